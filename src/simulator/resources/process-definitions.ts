import { processEngineException } from '../errors';
import type { ProcessDefinition } from '../model';
import { anyOf, date, eq, flag, int, like, tenantParams } from '../query';
import type { CollectionResource } from './types';

export const processDefinitionDto = (d: ProcessDefinition) => ({
  id: d.id,
  key: d.key,
  category: d.category,
  // Not in the document's schema, but the engine's DTO has it (see test/support/openapi.ts, FACT 6).
  description: null,
  name: d.name,
  version: d.version,
  resource: d.resource,
  deploymentId: d.deploymentId,
  diagram: null,
  suspended: d.suspended,
  tenantId: d.tenantId,
  versionTag: d.versionTag,
  historyTimeToLive: d.historyTimeToLive,
  startableInTasklist: d.startableInTasklist,
});

/** GET /process-definition and /process-definition/count (ProcessDefinitionQueryDto of 7.15). */
export const processDefinitions: CollectionResource<ProcessDefinition> = {
  path: '/process-definition',
  entities: (model) => model.definitions,
  query: {
    id: (d) => d.id,
    params: {
      processDefinitionId: eq((d) => d.id),
      processDefinitionIdIn: anyOf((d) => d.id),
      name: eq((d) => d.name),
      nameLike: like((d) => d.name),
      deploymentId: eq((d) => d.deploymentId),
      deployedAfter: date((d) => d.deployTime, 'after'),
      key: eq((d) => d.key),
      keysIn: anyOf((d) => d.key),
      keyLike: like((d) => d.key),
      category: eq((d) => d.category),
      categoryLike: like((d) => d.category),
      version: int((d) => d.version),
      latestVersion: flag((d) => d.latestVersion),
      resourceName: eq((d) => d.resource),
      resourceNameLike: like((d) => d.resource),
      active: flag((d) => !d.suspended),
      suspended: flag((d) => d.suspended),
      ...tenantParams((d) => d.tenantId, 'includeProcessDefinitionsWithoutTenantId'),
      versionTag: eq((d) => d.versionTag),
      versionTagLike: like((d) => d.versionTag),
      withoutVersionTag: flag((d) => d.versionTag === null),
      startableInTasklist: flag((d) => d.startableInTasklist),
      notStartableInTasklist: flag((d) => !d.startableInTasklist),
    },
    sortBy: {
      category: (d) => d.category,
      key: (d) => d.key,
      id: (d) => d.id,
      name: (d) => d.name,
      version: (d) => d.version,
      deploymentId: (d) => d.deploymentId,
      deployTime: (d) => d.deployTime,
      tenantId: (d) => d.tenantId,
      versionTag: (d) => d.versionTag,
    },
    check(query) {
      // ProcessDefinitionQueryImpl#checkQueryOk; a ProcessEngineException, hence 500.
      if (query.latestVersion === 'true' && (query.processDefinitionId !== undefined || query.version !== undefined || query.deploymentId !== undefined)) {
        throw processEngineException(
          'Calling latest() can only be used in combination with key(String) and keyLike(String) or name(String) and nameLike(String)',
        );
      }
    },
  },
  toDto: processDefinitionDto,
};
