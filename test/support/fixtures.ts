import { formatCamundaDate } from '../../src/camunda/dates';
import type { IncidentDto, JobDefinitionDto, JobDto, ProcessDefinitionDto } from '../../src/camunda/types';

/**
 * Complete DTOs as Camunda's REST API returns them (every property of the OpenAPI schema), so
 * that nock answers look like the engine's. `test/checks/fixtures.test.ts` validates them against
 * the OpenAPI document.
 */
export function incidentDto(overrides: Partial<IncidentDto> & { ageSeconds?: number; now?: Date } = {}): Required<IncidentDto> {
  const { ageSeconds = 600, now = new Date(), ...fields } = overrides;
  // An incident is its own cause and root cause unless a calling level's copy (IncidentEntity.create).
  const id = fields.id ?? 'c9b1f1a2-0000-11ee-8000-000000000001';
  return {
    id,
    processDefinitionId: 'invoice:1:c3a63aaa-2046-11e7-8f94-34f39ab71d4e',
    processInstanceId: 'aa00bb11-0000-11ee-8000-000000000001',
    executionId: 'aa00bb11-0000-11ee-8000-0000000000e1',
    incidentTimestamp: formatCamundaDate(new Date(now.getTime() - ageSeconds * 1000)),
    incidentType: 'failedJob',
    activityId: 'ServiceTask_1',
    failedActivityId: 'ServiceTask_1',
    causeIncidentId: id,
    rootCauseIncidentId: id,
    configuration: 'd1e2f3a4-0000-11ee-8000-0000000000j1',
    tenantId: null,
    incidentMessage: 'Connection refused',
    jobDefinitionId: 'f0e0d0c0-0000-11ee-8000-0000000000d1',
    annotation: null,
    ...fields,
  };
}

export function processDefinitionDto(overrides: Partial<ProcessDefinitionDto> = {}): Record<string, unknown> {
  const key = overrides.key ?? 'invoice';
  const version = overrides.version ?? 1;
  return {
    id: `${key}:${version}:c3a63aaa-2046-11e7-8f94-34f39ab71d4e`,
    key,
    category: 'http://www.omg.org/spec/BPMN/20100524/MODEL',
    description: null,
    name: 'Invoice Receipt',
    version,
    resource: `${key}.v${version}.bpmn`,
    deploymentId: 'c398cd26-2046-11e7-8f94-34f39ab71d4e',
    diagram: null,
    suspended: false,
    tenantId: null,
    versionTag: null,
    historyTimeToLive: 5,
    startableInTasklist: true,
    ...overrides,
  };
}

/** A JobDto as `GET /job` returns it; `dueSeconds` / `createdSeconds` ago (null due date unless given). */
export function jobDto(
  overrides: Partial<JobDto> & { dueSecondsAgo?: number; createdSecondsAgo?: number; now?: Date } = {},
): Required<JobDto> {
  const { dueSecondsAgo, createdSecondsAgo = 600, now = new Date(), ...fields } = overrides;
  const ago = (seconds: number) => formatCamundaDate(new Date(now.getTime() - seconds * 1000));
  return {
    id: 'aa11bb22-0000-11ee-8000-0000000000j1',
    jobDefinitionId: 'f0e0d0c0-0000-11ee-8000-0000000000d1',
    dueDate: dueSecondsAgo === undefined ? null : ago(dueSecondsAgo),
    processInstanceId: 'aa00bb11-0000-11ee-8000-000000000001',
    executionId: 'aa00bb11-0000-11ee-8000-000000000001',
    processDefinitionId: 'invoice:1:c3a63aaa-2046-11e7-8f94-34f39ab71d4e',
    processDefinitionKey: 'invoice',
    retries: 3,
    exceptionMessage: null,
    failedActivityId: null,
    suspended: false,
    priority: 0,
    tenantId: null,
    createTime: ago(createdSecondsAgo),
    ...fields,
  };
}

/** A JobDefinitionDto as the 7.24 document describes `GET /job-definition` answers. */
export function jobDefinitionDto(overrides: Partial<JobDefinitionDto> = {}): Required<JobDefinitionDto> {
  return {
    id: 'f0e0d0c0-0000-11ee-8000-0000000000d1',
    processDefinitionId: 'invoice:2:c3a63aaa-2046-11e7-8f94-34f39ab71d4e',
    processDefinitionKey: 'invoice',
    activityId: 'ServiceTask_PostToSAP',
    jobType: 'async-continuation',
    jobConfiguration: 'async-before',
    overridingJobPriority: null,
    suspended: true,
    tenantId: null,
    deploymentId: 'c398cd26-2046-11e7-8f94-34f39ab71d4e',
    ...overrides,
  };
}

/** One row of GET /process-definition/statistics, with its complete ProcessDefinitionDto. */
export function statisticsRowDto(
  row: {
    key?: string;
    version?: number;
    tenantId?: string | null;
    category?: string;
    name?: string | null;
    instances?: number;
    failedJobs?: number;
    incidents?: Record<string, number>;
  } = {},
): Record<string, unknown> {
  const { key = 'invoice', version = 1, tenantId = null, instances = 0, failedJobs = 0, incidents = {} } = row;
  const id = `${key}:${version}:${tenantId ?? 'c3a63aaa'}-2046-11e7-8f94-34f39ab71d4e`;
  const definition = processDefinitionDto({
    key,
    version,
    id,
    tenantId,
    ...(row.category !== undefined ? { category: row.category } : {}),
    ...(row.name !== undefined ? { name: row.name } : {}),
  });
  return {
    id,
    instances,
    failedJobs,
    incidents: Object.entries(incidents).map(([incidentType, incidentCount]) => ({ incidentType, incidentCount })),
    definition,
  };
}
