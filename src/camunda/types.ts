/**
 * The parts of Camunda's DTOs the checks read, as the REST API's OpenAPI document defines them
 * (every property may be null). Shapes are checked at run time by `shapes.ts`.
 */
export interface CountResultDto {
  count: number;
}

export interface IncidentDto {
  id: string | null;
  processDefinitionId: string | null;
  processInstanceId: string | null;
  executionId?: string | null;
  incidentTimestamp: string | null;
  incidentType: string | null;
  activityId: string | null;
  failedActivityId?: string | null;
  causeIncidentId?: string | null;
  rootCauseIncidentId?: string | null;
  configuration?: string | null;
  tenantId: string | null;
  incidentMessage: string | null;
  jobDefinitionId?: string | null;
  annotation?: string | null;
}

export interface ProcessDefinitionDto {
  id: string | null;
  key: string | null;
  name: string | null;
  version: number | null;
  tenantId: string | null;
  category?: string | null;
  versionTag?: string | null;
  suspended?: boolean | null;
}

export interface VersionDto {
  version: string | null;
}

export interface ProcessEngineDto {
  name: string | null;
}

export interface SchemaLogEntryDto {
  id: string | null;
  timestamp: string | null;
  version: string | null;
}

export interface JobDto {
  id: string | null;
  jobDefinitionId: string | null;
  dueDate: string | null;
  processInstanceId: string | null;
  executionId?: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  retries: number | null;
  exceptionMessage: string | null;
  failedActivityId?: string | null;
  suspended?: boolean | null;
  priority?: number | null;
  tenantId: string | null;
  createTime: string | null;
}

/** Missing from the 7.15 document; as in the 7.24 one. */
export interface JobDefinitionDto {
  id: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  activityId: string | null;
  jobType: string | null;
  jobConfiguration: string | null;
  overridingJobPriority?: number | null;
  suspended: boolean | null;
  tenantId: string | null;
  deploymentId?: string | null;
}

export interface IncidentStatisticsResultDto {
  incidentType: string | null;
  incidentCount: number;
}

/** One row of `GET /process-definition/statistics`: one deployed version, with or without instances. */
export interface ProcessDefinitionStatisticsResultDto {
  id: string | null;
  instances: number;
  failedJobs: number;
  incidents: IncidentStatisticsResultDto[] | null;
  definition: ProcessDefinitionDto | null;
}

/** GET /process-definition/{id}/xml. */
export interface ProcessDefinitionDiagramDto {
  id: string | null;
  bpmn20Xml: string | null;
}

export interface TaskDto {
  id: string | null;
  taskDefinitionKey: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  created: string | null;
}

export interface HistoricActivityInstanceDto {
  id: string | null;
  activityId: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  startTime: string | null;
}

export interface HistoricProcessInstanceDto {
  id: string | null;
  processDefinitionId: string | null;
  startTime: string | null;
}

/**
 * GET /external-task. `createTime` exists from Camunda 7.21 on (the column ACT_RU_EXT_TASK.CREATE_TIME_
 * arrives with engine/src/main/resources/org/camunda/bpm/engine/db/upgrade/*_engine_7.20_to_7.21.sql;
 * tasks created before that upgrade keep null there). Missing from the 7.15 document.
 */
export interface ExternalTaskDto {
  id: string | null;
  topicName: string | null;
  workerId: string | null;
  lockExpirationTime: string | null;
  createTime?: string | null;
  retries: number | null;
  errorMessage: string | null;
  suspended: boolean | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey?: string | null;
  activityId: string | null;
  tenantId: string | null;
}

/** GET /metrics/{name}/sum. */
export interface MetricsResultDto {
  result: number | null;
}

/** One row of GET /metrics (the interval query). */
export interface MetricsIntervalResultDto {
  timestamp: string | null;
  name: string | null;
  reporter: string | null;
  value: number | null;
}
