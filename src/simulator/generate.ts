/**
 * Big engines on demand, for scale tests and benchmarks: N definitions × M versions with
 * running instances on every version and K incidents spread over them, as a scenario the
 * simulator serves like any other. Deterministic: the same spec yields the same engine.
 *
 *   generateScenario({ definitions: 1000, versions: 10, incidents: 10000 })
 *   simulator --generate definitions=1000,versions=10,incidents=10000
 *   simulator --generate definitions=100,versions=2,incidents=10000,causes=300   (grouped by cause)
 */
import type { IncidentSeriesScenario } from './incident-series';
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
  /**
   * Group the incidents into this many causes (at most `incidents`): cause c (0-based) sits in
   * definition c mod N at an activity of its own with a message of its own, its incidents spread
   * over all versions; sizes follow Zipf's law (cause c gets a share ∝ 1/(c+1), every cause at
   * least one), so a few causes are large and many small. Default: no grouping (every incident its
   * own message, as above).
   */
  readonly causes?: number;
}

const LIMITS: Record<keyof GenerateSpec, [min: number, max: number]> = {
  definitions: [1, 100_000],
  versions: [1, 1_000],
  instancesPerVersion: [0, 1_000],
  incidents: [0, 1_000_000],
  causes: [1, 100_000],
};

export function generateScenario(spec: GenerateSpec): Scenario {
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = spec[name as keyof GenerateSpec];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new Error(`generate: ${name} must be a whole number from ${min} to ${max}, not ${value}`);
    }
  }
  const { definitions, versions = 1, instancesPerVersion = 1, incidents = 0, causes } = spec;
  if (causes !== undefined && causes > incidents) throw new Error(`generate: causes must not exceed incidents (${incidents}), not ${causes}`);
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

  const incidentList: (IncidentScenario | IncidentSeriesScenario)[] = [];
  if (causes !== undefined) {
    causeSizes(incidents, causes).forEach((size, c) => incidentList.push(...causeSeries(c, size, key(c % definitions), versions)));
    return { engines: [{ name: 'default', processDefinitions, instances, incidents: incidentList }] };
  }
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

/**
 * Sizes of `causes` causes sharing `incidents` incidents: one each, the rest by Zipf's law
 * (weight 1/(c+1)) with the largest remainders rounded up, so the sizes sum up exactly and never
 * grow with c.
 */
export function causeSizes(incidents: number, causes: number): number[] {
  const rest = incidents - causes;
  const weights = Array.from({ length: causes }, (_, c) => 1 / (c + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => (rest * w) / total);
  const sizes = shares.map((share) => 1 + Math.floor(share));
  const left = incidents - sizes.reduce((a, b) => a + b, 0);
  shares
    .map((share, c) => ({ c, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || a.c - b.c)
    .slice(0, left)
    .forEach(({ c }) => sizes[c]!++);
  return sizes;
}

/** Names that make the causes' messages differ in words, which no masking rule takes out. */
const SYSTEMS = [
  'billing', 'ledger', 'inventory', 'pricing', 'shipping', 'customs', 'payroll', 'crm', 'erp', 'warehouse',
  'tax', 'invoicing', 'dunning', 'scoring', 'geocoding', 'catalog', 'loyalty', 'fraud', 'kyc', 'archive',
  'reporting', 'notification', 'contracts', 'claims', 'quotes', 'returns', 'procurement', 'treasury', 'compliance', 'logistics',
];

/** Message families of real Java failures; the variable parts are series placeholders (incident-series.ts). */
const FAMILIES: ((system: string) => string)[] = [
  (s) => `com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway of destination ${s.toUpperCase()}_PRD failed\nConnection parameters: TYPE=A DEST=${s.toUpperCase()}_PRD ASHOST=sap-${s}.example.com SYSNR=00\nERROR partner '10.20.{int:0-255}.{int:1-254}:3300' not reached\nTIME {timestamp}\nERRNO TEXT Connection refused`,
  (s) => `503 Service Unavailable from POST https://${s}.example.com/api/v1/orders/{n:100000}, ${s} API unavailable`,
  (s) => `HikariPool-${s} - Connection is not available, request timed out after {int:30000-30099}ms.`,
  (s) => `ORA-01653: unable to extend table ${s.toUpperCase()}.EVENT_LOG by {int:128-8192} in tablespace ${s.toUpperCase()}_DATA`,
  (s) => `Mail server connection failed; nested exception is com.sun.mail.util.MailConnectException: Couldn't connect to host, port: smtp-${s}.example.com, 25; timeout -1`,
  (s) => `Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect) : [com.example.${s}.Order#{n:90000}]`,
  (s) => `could not execute statement; nested exception is org.postgresql.util.PSQLException: ERROR: deadlock detected in table ${s}_events\n  Detail: Process {int:1000-99999} waits for ShareLock on transaction {int:100000-999999}`,
  (s) => `Connection to the ${s} gateway timed out after {int:5000-5999} ms (java.net.http.HttpConnectTimeoutException)`,
  (s) => `Unknown property used in expression: \${${s}.status}. Cause: Cannot resolve identifier '${s}' in process instance {uuid}`,
  (s) => `${s} worker failed: 500 Internal Server Error: {"error":"upstream ${s} unavailable","requestId":"{uuid}"}`,
];

/** The series of cause c: its incidents over all versions of its key, interleaved in time. */
function causeSeries(c: number, size: number, key: string, versions: number): IncidentSeriesScenario[] {
  const system = SYSTEMS[Math.floor(c / FAMILIES.length) % SYSTEMS.length]!;
  const message = FAMILIES[c % FAMILIES.length]!(system);
  const newestSeconds = ((c * 7) % 600) * 60 + 60;
  const series: IncidentSeriesScenario[] = [];
  for (let v = 0; v < versions; v++) {
    const count = Math.floor(size / versions) + (v < size % versions ? 1 : 0);
    if (count === 0) continue;
    series.push({
      count,
      definition: key,
      version: v + 1,
      type: c % 4 === 3 ? 'failedExternalTask' : 'failedJob',
      activityId: `ServiceTask_${system[0]!.toUpperCase()}${system.slice(1)}_${c + 1}`,
      message,
      ago: `${newestSeconds + v * 30}s`,
      every: `${versions * 30}s`,
    });
  }
  return series;
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
