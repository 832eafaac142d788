import { countJobDefinitions, countProcessInstances, readProcessDefinitions, setProcessDefinitionSuspended, type DefinitionScope } from '../camunda/actions';
import type { CamundaWriteClient } from '../camunda/client';
import { describeDefinition } from '../camunda/definitions';
import type { ProcessDefinitionDto } from '../camunda/types';
import { mapConcurrently } from '../plugin/concurrency';
import { PluginError } from '../plugin/errors';
import { cleanText, plural } from '../plugin/text';
import type { Change, Plan } from './changes';

/*
 * stop and start: the emergency stop of whole process definitions. Every version of the keys is
 * suspended (activated) with its instances; the engine does the same to the version's job
 * definitions (AbstractSetProcessDefinitionStateCmd.java:106-114), so `start` also activates job
 * definitions that `suspend` suspended for a target system.
 */

const COUNTS_IN_FLIGHT = 4;

export interface DefinitionActionOptions {
  readonly scope: DefinitionScope;
  readonly maxAffected: number;
}

function describeVersion(definition: ProcessDefinitionDto): string {
  const name = definition.name && definition.name !== definition.key ? ` "${cleanText(definition.name, 80)}"` : '';
  const known = new Map([[definition.id ?? '', { key: definition.key, version: definition.version }]]);
  return `${describeDefinition({ processDefinitionId: definition.id, tenantId: definition.tenantId }, known)}${name}`;
}

export async function planDefinitionSuspension(client: CamundaWriteClient, options: DefinitionActionOptions, stop: boolean): Promise<Plan> {
  const { scope } = options;
  const versions = (await readProcessDefinitions(client, scope, options.maxAffected)).filter((d): d is ProcessDefinitionDto & { id: string } => d.id !== null);
  const deployed = new Set(versions.map((d) => d.key));
  const missing = scope.keys.filter((key) => !deployed.has(key));
  if (missing.length) {
    const tenants = scope.tenantIds.length ? ` for tenant ${scope.tenantIds.map((t) => cleanText(t, 40)).join(', ')}` : '';
    throw new PluginError(`no process definition is deployed with the key ${missing.map((k) => `'${cleanText(k, 80)}'`).join(', ')}${tenants}: check -k, nothing changed`);
  }
  if (versions.length > options.maxAffected) {
    throw new PluginError(`${versions.length} process definition versions selected, more than --max-affected ${options.maxAffected}: nothing changed; narrow the selection or raise --max-affected`);
  }
  // Instances and job definitions still in the other state, per version.
  const other = stop ? 'active' : 'suspended';
  const counts = await mapConcurrently(versions, COUNTS_IN_FLIGHT, async (d) => {
    const [instances, jobDefinitions] = await Promise.all([
      countProcessInstances(client, { processDefinitionId: d.id, [other]: true }),
      countJobDefinitions(client, { processDefinitionId: d.id, [other]: true }),
    ]);
    return { instances, jobDefinitions };
  });
  const changes: Change[] = [];
  const unchanged: string[] = [];
  let cascaded = 0;
  versions.forEach((d, i) => {
    const { instances, jobDefinitions } = counts[i]!;
    const text = describeVersion(d);
    if (d.suspended === stop && instances === 0) {
      unchanged.push(text);
      return;
    }
    cascaded += jobDefinitions;
    const cascade = jobDefinitions ? `, ${plural(jobDefinitions, `${other} job definition`)}` : '';
    changes.push({ text: `${text}: ${plural(instances, `${other} instance`)}${cascade}`, apply: () => setProcessDefinitionSuspended(client, d.id, stop) });
  });
  const notes = stop
    ? ['Suspended with their instances: instances neither start nor continue, their jobs wait, until started again.']
    : cascaded
      ? [
          `Starting also activates ${plural(cascaded, 'suspended job definition')} of these versions (the engine activates every job definition of a process definition), ` +
            'also those suspended for a target system that may still be down: suspend those again with camunda_action suspend.',
        ]
      : [];
  const step = stop
    ? { verb: 'stop', done: 'stopped', noun: 'process definition version', changes, unchanged, unchangedAs: 'already stopped' }
    : { verb: 'start', done: 'started', noun: 'process definition version', changes, unchanged, unchangedAs: 'already running' };
  const about = `of process definition${scope.keys.length === 1 ? '' : 's'} ${scope.keys.map((k) => cleanText(k, 60)).join(', ')}${scope.tenantIds.length ? ` of tenant ${scope.tenantIds.map((t) => cleanText(t, 40)).join(', ')}` : ''}`;
  return { about, steps: [step], notes };
}
