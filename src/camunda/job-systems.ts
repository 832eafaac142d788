import type { Logger } from '../plugin/log';
import type { CamundaClient } from './client';
import type { ConnectionOptions } from './connection';
import { defaultCacheDirectories, openModelCache } from './model-cache';
import { readModels } from './process-models';
import type { JobDefinitionDto } from './types';

/*
 * Which target system a job definition calls: the BPMN extension property `system` on its activity
 * (`<camunda:property name="system" value="SAP"/>`), the convention camunda_action selects by. Read
 * through the model cache of check_camunda_sla and camunda_action, so a model read once (by the
 * action that suspended the job definition, say) costs no further request.
 */

export const SYSTEM_PROPERTY = 'system';

/** Multi-instance activities have their job definitions on the body: `ServiceTask_1#multiInstanceBody`. */
export const elementId = (activityId: string): string => activityId.replace(/#multiInstanceBody$/, '');

/** The model cache of one engine for one property, where the checks and camunda_action share it. */
export function modelCacheScope(connection: ConnectionOptions, property: string): string {
  return [connection.url, connection.engine ?? '', property].join('\u0000');
}

/**
 * The system of each job definition (by id) whose activity names one; at most one model request per
 * version not yet cached. Informational: a model that cannot be read leaves its job definitions unnamed.
 */
export async function systemsOfJobDefinitions(client: CamundaClient, connection: ConnectionOptions, jobDefinitions: readonly JobDefinitionDto[], log: Logger): Promise<Map<string, string>> {
  const versions = new Map<string, { id: string; key: string; tenantId: string | null; version: number; name: null; instances: number }>();
  for (const jd of jobDefinitions) {
    if (jd.processDefinitionId && jd.processDefinitionKey) versions.set(jd.processDefinitionId, { id: jd.processDefinitionId, key: jd.processDefinitionKey, tenantId: jd.tenantId, version: 0, name: null, instances: 0 });
  }
  const systems = new Map<string, string>();
  if (versions.size === 0) return systems;
  try {
    const cache = openModelCache(defaultCacheDirectories(), modelCacheScope(connection, SYSTEM_PROPERTY), log);
    const { facts } = await readModels(client, [...versions.values()], cache, versions.size, SYSTEM_PROPERTY, log);
    for (const jd of jobDefinitions) {
      const element = jd.activityId ? facts.get(jd.processDefinitionId ?? '')?.elements.find((e) => e.id === elementId(jd.activityId!)) : undefined;
      const values = [...new Set(element?.sla ?? [])].filter((v) => v.trim() !== '');
      if (jd.id && values.length) systems.set(jd.id, values.join(', '));
    }
  } catch (error) {
    log.log(1, `the systems of the suspended job definitions are not named: ${(error as Error).message}`);
  }
  return systems;
}
