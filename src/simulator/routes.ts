/**
 * The REST resources: which paths exist and what they answer. Paths are relative
 * to the engine: `/incident` serves both `<base>/incident` (default engine) and
 * `<base>/engine/{name}/incident`; `/engine` and `/version` exist only at the root.
 */
import { authorizationCheck, checkReadDefinition, groupInfo, groupList, readsDefinition, tenantList, visibleRows, type Access } from './authorization';
import { bpmnXml } from './bpmn';
import { invalidRequest, RestError } from './errors';
import type { EngineModel, ProcessDefinition } from './model';
import { countQuery, listQuery, parseQuery } from './query';
import { externalTaskRoutes } from './external-tasks';
import { historicActivityInstances } from './resources/historic-activity-instances';
import { historicProcessInstances } from './resources/historic-process-instances';
import { incidents } from './resources/incidents';
import { jobDefinitions } from './resources/job-definitions';
import { jobs } from './resources/jobs';
import { processDefinitionDto, processDefinitions } from './resources/process-definitions';
import { processInstances } from './resources/process-instances';
import { schemaLogEntryDto, schemaLogQuery, type SchemaLogEntry } from './resources/schema-log';
import { tasks } from './resources/tasks';
import type { CollectionResource, DateFormatter } from './resources/types';

export interface RequestContext {
  query: Record<string, string>;
  now: Date;
  date: DateFormatter;
  /** The addressed engine; throws Camunda's 400 if there is none by that name. */
  engine(): EngineModel;
  engineNames: readonly string[];
  camundaVersion: string;
  /** The addressed engine's schema log; throws like engine() if there is no such engine. */
  schemaLog(): readonly SchemaLogEntry[];
  /** Reports query parameters the resource did not apply. */
  ignore(names: readonly string[]): void;
  /** What the authenticated user may see (authorization.ts). */
  access: Access;
}

export interface Route {
  pattern: RegExp;
  /** Exists only at the root, not below `/engine/{name}`. */
  rootOnly?: boolean;
  handle(context: RequestContext, pathParams: string[]): unknown;
}

const exactPath = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

function collectionRoutes<E>(collection: CollectionResource<E>): Route[] {
  const { query: resource } = collection;
  const routes: Route[] = [
    {
      pattern: exactPath(`${collection.path}/count`),
      handle(ctx) {
        const parsed = parseQuery(resource, ctx.query, { paged: false, now: ctx.now });
        ctx.ignore(parsed.ignored);
        return { count: countQuery(resource, parsed, visibleRows(collection.path, collection.entities(ctx.engine()), ctx.access)) };
      },
    },
  ];
  const toDto = collection.toDto;
  if (!collection.countOnly && toDto) {
    routes.push({
      pattern: exactPath(collection.path),
      handle(ctx) {
        const parsed = parseQuery(resource, ctx.query, { paged: true, now: ctx.now });
        ctx.ignore(parsed.ignored);
        return listQuery(resource, parsed, visibleRows(collection.path, collection.entities(ctx.engine()), ctx.access)).map((e) => toDto(e, ctx.date));
      },
    });
  }
  return routes;
}

/**
 * GET /process-definition/statistics. Its flags are plain JAX-RS Boolean
 * parameters: converted with Boolean.valueOf (anything but "true" is false, never
 * an error), and merely being present counts for the mutual-exclusion checks.
 */
function statistics(ctx: RequestContext): unknown {
  const known = ['failedJobs', 'incidents', 'incidentsForType', 'rootIncidents'];
  ctx.ignore(Object.keys(ctx.query).filter((name) => !known.includes(name)));
  const { failedJobs, incidents: withIncidents, incidentsForType, rootIncidents } = ctx.query;
  if (withIncidents !== undefined && incidentsForType !== undefined) {
    throw invalidRequest('Only one of the query parameter includeIncidents or includeIncidentsForType can be set.');
  }
  if (withIncidents !== undefined && rootIncidents !== undefined) {
    throw invalidRequest('Only one of the query parameter includeIncidents or includeRootIncidents can be set.');
  }
  if (rootIncidents !== undefined && incidentsForType !== undefined) {
    throw invalidRequest('Only one of the query parameter includeRootIncidents or includeIncidentsForType can be set.');
  }
  const isTrue = (value: string | undefined) => value?.toLowerCase() === 'true';
  const model = ctx.engine();

  const counted = (i: EngineModel['incidents'][number]) =>
    isTrue(withIncidents) || (incidentsForType !== undefined ? i.type === incidentsForType : isTrue(rootIncidents) && i.id === i.rootCauseIncidentId);

  // One pass over each collection, so an engine with thousands of versions answers in linear time.
  // The counts have only the tenant check, on the rows' own tenant (Statistics.xml:147,167,196);
  // the definitions need READ (AuthorizationManager.java:1026-1028).
  const { access } = ctx;
  const instances = new Map<ProcessDefinition, number>();
  for (const p of model.instances) if (access.seesTenant(p.tenantId)) instances.set(p.definition, (instances.get(p.definition) ?? 0) + 1);
  const failed = new Map<ProcessDefinition, number>();
  if (isTrue(failedJobs)) {
    for (const j of model.jobs) if (j.retries === 0 && access.seesTenant(j.instance.tenantId)) failed.set(j.instance.definition, (failed.get(j.instance.definition) ?? 0) + 1);
  }
  const incidentTypes = new Map<ProcessDefinition, Map<string, number>>();
  for (const i of model.incidents) {
    if (!counted(i) || !access.seesTenant(i.instance.tenantId)) continue;
    const byType = incidentTypes.get(i.instance.definition) ?? new Map<string, number>();
    byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
    incidentTypes.set(i.instance.definition, byType);
  }

  return model.definitions
    .filter((d) => readsDefinition(access, d))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((d) => ({
      id: d.id,
      instances: instances.get(d) ?? 0,
      failedJobs: failed.get(d) ?? 0,
      definition: processDefinitionDto(d),
      incidents: [...(incidentTypes.get(d) ?? new Map<string, number>()).entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([incidentType, incidentCount]) => ({ incidentType, incidentCount })),
    }));
}

/** The single-definition resources: by id, by key (no tenant) and by key and tenant. */
function definitionRoutes(): Route[] {
  const byId = (ctx: RequestContext, id: string) => {
    const found = ctx.engine().definitions.find((d) => d.id === id);
    if (!found) throw new RestError(404, 'InvalidRequestException', `No matching definition with id ${id}`);
    checkReadDefinition(ctx.access, found);
    return found;
  };
  // By key the REST resource runs a definition query, which leaves out what the user may not read.
  const byKey = (ctx: RequestContext, key: string, tenantId: string | null) =>
    ctx.engine().definitions.find((d) => d.key === key && d.tenantId === tenantId && d.latestVersion && readsDefinition(ctx.access, d)) ??
    (() => {
      const tenant = tenantId === null ? 'no tenant-id' : `tenant-id: ${tenantId}`;
      throw new RestError(404, 'RestException', `No matching process definition with key: ${key} and ${tenant}`);
    })();
  const xml = (d: ProcessDefinition) => ({ id: d.id, bpmn20Xml: bpmnXml(d) });
  const segment = '([^/]+)';
  return [
    { pattern: new RegExp(`^/process-definition/key/${segment}$`), handle: (ctx, [key]) => processDefinitionDto(byKey(ctx, key!, null)) },
    { pattern: new RegExp(`^/process-definition/key/${segment}/xml$`), handle: (ctx, [key]) => xml(byKey(ctx, key!, null)) },
    {
      pattern: new RegExp(`^/process-definition/key/${segment}/tenant-id/${segment}$`),
      handle: (ctx, [key, tenant]) => processDefinitionDto(byKey(ctx, key!, tenant!)),
    },
    {
      pattern: new RegExp(`^/process-definition/key/${segment}/tenant-id/${segment}/xml$`),
      handle: (ctx, [key, tenant]) => xml(byKey(ctx, key!, tenant!)),
    },
    { pattern: new RegExp(`^/process-definition/${segment}$`), handle: (ctx, [id]) => processDefinitionDto(byId(ctx, id!)) },
    { pattern: new RegExp(`^/process-definition/${segment}/xml$`), handle: (ctx, [id]) => xml(byId(ctx, id!)) },
  ];
}

/** Literal paths first, as JAX-RS prefers them over templates (`/count` is not an id). */
export const routes: readonly Route[] = [
  { pattern: /^\/engine\/?$/, rootOnly: true, handle: (ctx) => ctx.engineNames.map((name) => ({ name })) },
  // Also below /engine/{name}, for any name: NamedProcessEngineRestServiceImpl.java:254-256 and
  // VersionRestService.java:39 answer the package version without looking the engine up.
  { pattern: /^\/version$/, handle: (ctx) => ({ version: ctx.camundaVersion }) },
  ...collectionRoutes(incidents),
  ...collectionRoutes(processDefinitions),
  { pattern: /^\/process-definition\/statistics$/, handle: statistics },
  ...collectionRoutes(processInstances),
  ...collectionRoutes(jobs),
  ...collectionRoutes(jobDefinitions),
  ...collectionRoutes(tasks),
  ...collectionRoutes(historicProcessInstances),
  ...collectionRoutes(historicActivityInstances),
  ...definitionRoutes(),
  { pattern: /^\/authorization\/check$/, handle: (ctx) => authorizationCheck(ctx.engine().identity, ctx.access, ctx.query) },
  { pattern: /^\/group$/, handle: (ctx) => groupList(ctx.engine().identity, ctx.access, ctx.query) },
  { pattern: /^\/tenant$/, handle: (ctx) => tenantList(ctx.engine().identity, ctx.access, ctx.query) },
  { pattern: /^\/identity\/groups$/, handle: (ctx) => groupInfo(ctx.engine().identity, ctx.access, ctx.query) },
  ...externalTaskRoutes,
  {
    pattern: /^\/schema\/log$/,
    handle(ctx) {
      const parsed = parseQuery(schemaLogQuery, ctx.query, { paged: true, now: ctx.now });
      ctx.ignore(parsed.ignored);
      return listQuery(schemaLogQuery, parsed, ctx.schemaLog()).map((entry) => schemaLogEntryDto(entry, ctx.date));
    },
  },
];

export function matchRoute(path: string, atRoot: boolean): { route: Route; pathParams: string[] } | undefined {
  for (const route of routes) {
    if (route.rootOnly && !atRoot) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, pathParams: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}
