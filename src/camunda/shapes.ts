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
 * what it expects, for the error message.
 */
export type Shape<T> = { readonly describe: string; check(value: unknown): value is T };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type FieldType = 'string' | 'number' | 'boolean';

/** Plain loops over fields listed once: statistics answers hold tens of thousands of objects. */
function fieldsAre(value: Record<string, unknown>, fields: readonly (readonly [string, FieldType])[]): boolean {
  for (const [name, type] of fields) {
    const field = value[name];
    if (field !== undefined && field !== null && typeof field !== type) return false;
  }
  return true;
}

function objectShape<T>(describe: string, fields: Record<string, FieldType>): Shape<T> {
  const entries = Object.entries(fields);
  return { describe, check: (value): value is T => isObject(value) && fieldsAre(value, entries) };
}

export function arrayOf<T>(item: Shape<T>): Shape<T[]> {
  return {
    describe: `a list of ${item.describe}`,
    check: (value): value is T[] => Array.isArray(value) && value.every((entry) => item.check(entry)),
  };
}

export const countResult: Shape<CountResultDto> = {
  describe: 'a count object {"count": n}',
  check: (value): value is CountResultDto =>
    isObject(value) && typeof value.count === 'number' && Number.isInteger(value.count) && value.count >= 0,
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
  version: 'number',
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
  retries: 'number',
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

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

const isIncidentStatistics = (value: unknown): value is IncidentStatisticsResultDto =>
  isObject(value) && (value.incidentType === null || typeof value.incidentType === 'string') && isCount(value.incidentCount);

/** A row without its `definition` could not be grouped by key, so the definition and its key are required here. */
export const processDefinitionStatistics: Shape<ProcessDefinitionStatisticsResultDto> = {
  describe: 'process definition statistics',
  check(value): value is ProcessDefinitionStatisticsResultDto {
    if (!isObject(value) || !isCount(value.instances) || !isCount(value.failedJobs)) return false;
    if (value.id !== null && value.id !== undefined && typeof value.id !== 'string') return false;
    const { incidents, definition } = value;
    if (incidents !== null && incidents !== undefined && !(Array.isArray(incidents) && incidents.every(isIncidentStatistics))) return false;
    return processDefinition.check(definition) && typeof (definition as { key?: unknown }).key === 'string';
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
  retries: 'number',
  errorMessage: 'string',
  suspended: 'boolean',
  processInstanceId: 'string',
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
  check: (value): value is MetricsResultDto => isObject(value) && (value.result === null || (typeof value.result === 'number' && Number.isFinite(value.result))),
};

export const metricsInterval = objectShape<MetricsIntervalResultDto>('metrics interval rows', { timestamp: 'string', name: 'string', reporter: 'string', value: 'number' });
