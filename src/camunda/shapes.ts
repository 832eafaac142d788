import type {
  CountResultDto,
  ExternalTaskDto,
  HistoricActivityInstanceDto,
  HistoricProcessInstanceDto,
  IncidentDto,
  IncidentStatisticsResultDto,
  JobDefinitionDto,
  JobDto,
  MetricsIntervalResultDto,
  MetricsResultDto,
  ProcessDefinitionDiagramDto,
  ProcessDefinitionDto,
  ProcessDefinitionStatisticsResultDto,
  ProcessEngineDto,
  SchemaLogEntryDto,
  TaskDto,
  VersionDto,
} from './types';

/**
 * Minimal run-time checks of answers, so that a proxy's JSON, an older API or a wrong URL is
 * reported as such instead of producing wrong numbers. Each shape checks a value and describes
 * what it expects, for the error message. A number that cannot be true (a count of 1e308, of
 * 2^70, of -1) is recorded in `found`, so that the client can name it: it is a wrong answer, not a
 * figure to judge or print.
 */
export type Shape<T> = { readonly describe: string; check(value: unknown, found?: ShapeFindings): value is T };

export interface ShapeFindings {
  /** The first number of the answer that is no whole number from 0 to 2^53 - 1 where the engine sends one. */
  impossible?: { readonly field: string; readonly value: number };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The numbers the checks read are Java ints and longs that cannot be negative: counts
 * (engine-rest CountResultDto.java:21, `long count`), statistics (StatisticsResultDto.java:38-39),
 * versions (ProcessDefinitionDto.java:28) and job retries (JobDto.java:33; never set below 0,
 * CommandLogger.java:353 exceptionJobRetriesMustNotBeNegative). Beyond 2^53 a JavaScript number
 * is no longer exact, and nothing an engine counts comes near it.
 */
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A field meant to hold a count: true when it is one (or absent, when allowed); a number that is not one is recorded. */
function countField(value: Record<string, unknown>, field: string, found: ShapeFindings | undefined, optional = false): boolean {
  const number = value[field];
  if (isCount(number)) return true;
  if (optional && (number === undefined || number === null)) return true;
  if (typeof number === 'number' && found && !found.impossible) found.impossible = { field, value: number };
  return false;
}

/** `count`: a whole number from 0 to 2^53 - 1 (see isCount). */
type FieldType = 'string' | 'count' | 'boolean';

/** Plain loops over fields listed once: statistics answers hold tens of thousands of objects. */
function fieldsAre(value: Record<string, unknown>, fields: readonly (readonly [string, FieldType])[], found: ShapeFindings | undefined): boolean {
  for (const [name, type] of fields) {
    if (type === 'count') {
      if (!countField(value, name, found, true)) return false;
      continue;
    }
    const field = value[name];
    if (field !== undefined && field !== null && typeof field !== type) return false;
  }
  return true;
}

function objectShape<T>(describe: string, fields: Record<string, FieldType>): Shape<T> {
  const entries = Object.entries(fields);
  return { describe, check: (value, found): value is T => isObject(value) && fieldsAre(value, entries, found) };
}

export function arrayOf<T>(item: Shape<T>): Shape<T[]> {
  return {
    describe: `a list of ${item.describe}`,
    check: (value, found): value is T[] => Array.isArray(value) && value.every((entry) => item.check(entry, found)),
  };
}

export const countResult: Shape<CountResultDto> = {
  describe: 'a count object {"count": n}',
  check: (value, found): value is CountResultDto => isObject(value) && countField(value, 'count', found),
};

export const incident = objectShape<IncidentDto>('incidents', {
  id: 'string',
  processDefinitionId: 'string',
  processInstanceId: 'string',
  incidentTimestamp: 'string',
  incidentType: 'string',
  activityId: 'string',
  failedActivityId: 'string',
  tenantId: 'string',
  incidentMessage: 'string',
  annotation: 'string',
});

export const processDefinition = objectShape<ProcessDefinitionDto>('process definitions', {
  id: 'string',
  key: 'string',
  name: 'string',
  version: 'count',
  tenantId: 'string',
  category: 'string',
  versionTag: 'string',
  suspended: 'boolean',
});

export const job = objectShape<JobDto>('jobs', {
  id: 'string',
  jobDefinitionId: 'string',
  dueDate: 'string',
  processInstanceId: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  retries: 'count',
  exceptionMessage: 'string',
  failedActivityId: 'string',
  suspended: 'boolean',
  tenantId: 'string',
  createTime: 'string',
});

export const jobDefinition = objectShape<JobDefinitionDto>('job definitions', {
  id: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  activityId: 'string',
  jobType: 'string',
  jobConfiguration: 'string',
  suspended: 'boolean',
  tenantId: 'string',
});

export const version = objectShape<VersionDto>('a version object {"version": "7.x.y"}', { version: 'string' });

export const processEngine = objectShape<ProcessEngineDto>('process engines', { name: 'string' });

export const schemaLogEntry = objectShape<SchemaLogEntryDto>('schema log entries', { id: 'string', timestamp: 'string', version: 'string' });

const isIncidentStatistics = (value: unknown, found: ShapeFindings | undefined): value is IncidentStatisticsResultDto =>
  isObject(value) && (value.incidentType === null || typeof value.incidentType === 'string') && countField(value, 'incidentCount', found);

/** A row without its `definition` could not be grouped by key, so the definition and its key are required here. */
export const processDefinitionStatistics: Shape<ProcessDefinitionStatisticsResultDto> = {
  describe: 'process definition statistics',
  check(value, found): value is ProcessDefinitionStatisticsResultDto {
    if (!isObject(value) || !countField(value, 'instances', found) || !countField(value, 'failedJobs', found)) return false;
    if (value.id !== null && value.id !== undefined && typeof value.id !== 'string') return false;
    const { incidents, definition } = value;
    if (incidents !== null && incidents !== undefined && !(Array.isArray(incidents) && incidents.every((row) => isIncidentStatistics(row, found)))) return false;
    return processDefinition.check(definition, found) && typeof (definition as { key?: unknown }).key === 'string';
  },
};

export const processDefinitionDiagram: Shape<ProcessDefinitionDiagramDto> = {
  describe: 'a BPMN diagram object {"id": ..., "bpmn20Xml": "..."}',
  check: (value): value is ProcessDefinitionDiagramDto => isObject(value) && typeof value.bpmn20Xml === 'string',
};

export const task = objectShape<TaskDto>('tasks', { id: 'string', taskDefinitionKey: 'string', processInstanceId: 'string', processDefinitionId: 'string', created: 'string' });

export const historicActivityInstance = objectShape<HistoricActivityInstanceDto>('historic activity instances', {
  id: 'string',
  activityId: 'string',
  processInstanceId: 'string',
  processDefinitionId: 'string',
  startTime: 'string',
});

export const historicProcessInstance = objectShape<HistoricProcessInstanceDto>('historic process instances', { id: 'string', processDefinitionId: 'string', startTime: 'string' });

export const externalTask = objectShape<ExternalTaskDto>('external tasks', {
  id: 'string',
  topicName: 'string',
  workerId: 'string',
  lockExpirationTime: 'string',
  createTime: 'string',
  retries: 'count',
  errorMessage: 'string',
  suspended: 'boolean',
  processInstanceId: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  activityId: 'string',
  tenantId: 'string',
});

/** GET /external-task/topic-names: a list of names. */
export const topicNames: Shape<string[]> = {
  describe: 'a list of topic names',
  check: (value): value is string[] => Array.isArray(value) && value.every((name) => typeof name === 'string'),
};

/** `{"result": n}`; the engine answers null (SQL SUM over no rows) as 0 only in some versions. */
export const metricsSum: Shape<MetricsResultDto> = {
  describe: 'a metrics sum object {"result": n}',
  // A sum of Java longs: a whole number from 0 to 2^53 - 1 like every count (countField), or null; never missing.
  check: (value, found): value is MetricsResultDto => isObject(value) && (value.result === null || countField(value, 'result', found)),
};

export const metricsInterval = objectShape<MetricsIntervalResultDto>('metrics interval rows', { timestamp: 'string', name: 'string', reporter: 'string', value: 'count' });
