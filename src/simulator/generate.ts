/**
 * Big engines on demand, for scale tests and benchmarks: N definitions × M versions with
 * running instances on every version and K incidents spread over them, as a scenario the
 * simulator serves like any other. Deterministic: the same spec yields the same engine.
 *
 *   generateScenario({ definitions: 1000, versions: 10, incidents: 10000 })
 *   simulator --generate definitions=1000,versions=10,incidents=10000
 */
import type { DefinitionScenario, IncidentScenario, InstanceScenario, Scenario } from './scenario';

export interface GenerateSpec {
  /** Process definition keys `process-0001`, `process-0002`, … */
  readonly definitions: number;
  /** Versions 1..M of each key. Default 1. */
  readonly versions?: number;
  /** Running instances on every version, without incidents. Default 1. */
  readonly instancesPerVersion?: number;
  /** Open incidents, each on an instance of its own, round-robin over definitions and versions; every other one a failedJob (with its failed job). Default 0. */
  readonly incidents?: number;
}

const LIMITS: Record<keyof GenerateSpec, [min: number, max: number]> = {
  definitions: [1, 100_000],
  versions: [1, 1_000],
  instancesPerVersion: [0, 1_000],
  incidents: [0, 1_000_000],
};

export function generateScenario(spec: GenerateSpec): Scenario {
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = spec[name as keyof GenerateSpec];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new Error(`generate: ${name} must be a whole number from ${min} to ${max}, not ${value}`);
    }
  }
  const { definitions, versions = 1, instancesPerVersion = 1, incidents = 0 } = spec;
  const width = String(definitions).length;
  const key = (d: number) => `process-${String(d + 1).padStart(width, '0')}`;

  const processDefinitions: DefinitionScenario[] = [];
  const instances: InstanceScenario[] = [];
  for (let d = 0; d < definitions; d++) {
    processDefinitions.push({
      key: key(d),
      name: `Generated process ${d + 1}`,
      versions: Array.from({ length: versions }, (_, v) => ({ version: v + 1, deployed: `${versions - v}d` })),
    });
    if (instancesPerVersion > 0) {
      for (let v = 1; v <= versions; v++) instances.push({ definition: key(d), version: v, count: instancesPerVersion, started: '2h', every: '1m' });
    }
  }

  const incidentList: IncidentScenario[] = [];
  for (let i = 0; i < incidents; i++) {
    const ref = `incident-instance-${i}`;
    instances.push({ ref, definition: key(i % definitions), version: (Math.floor(i / definitions) % versions) + 1, started: '3h' });
    incidentList.push({
      instance: ref,
      type: i % 2 === 0 ? 'failedJob' : 'failedExternalTask',
      activityId: 'ServiceTask_Generated',
      message: `generated incident ${i + 1}`,
      ago: `${(i % 600) + 1}m`,
    });
  }
  return { engines: [{ name: 'default', processDefinitions, instances, incidents: incidentList }] };
}

/** `definitions=1000,versions=10,incidents=10000` → GenerateSpec; throws with a message naming the bad part. */
export function parseGenerateSpec(text: string): GenerateSpec {
  const spec: Record<string, number> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*([a-zA-Z]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match || !(match[1]! in LIMITS)) {
      throw new Error(`generate: '${part}' is not one of ${Object.keys(LIMITS).map((name) => `${name}=N`).join(', ')}`);
    }
    spec[match[1]!] = Number(match[2]);
  }
  if (spec.definitions === undefined) throw new Error('generate: definitions=N is required');
  return spec as unknown as GenerateSpec;
}
