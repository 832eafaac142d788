import type { CountResultDto, IncidentDto, JobDefinitionDto, JobDto, ProcessDefinitionDto, ProcessEngineDto, SchemaLogEntryDto, VersionDto } from './types';

/**
 * Minimal run-time checks of answers, so that a proxy's JSON, an older API or a wrong URL is
 * reported as such instead of producing wrong numbers. Each shape checks a value and describes
 * what it expects, for the error message.
 */
export type Shape<T> = { readonly describe: string; check(value: unknown): value is T };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fieldsAre(value: Record<string, unknown>, fields: Record<string, 'string' | 'number' | 'boolean'>): boolean {
  return Object.entries(fields).every(([name, type]) => {
    const field = value[name];
    return field === undefined || field === null || typeof field === type;
  });
}

function objectShape<T>(describe: string, fields: Record<string, 'string' | 'number' | 'boolean'>): Shape<T> {
  return { describe, check: (value): value is T => isObject(value) && fieldsAre(value, fields) };
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
