import type { ProcessInstance } from '../model';
import { anyOf, eq, flag, like, splitList, tenantParams } from '../query';
import type { CollectionResource } from './types';

// The execution's tenant; processDefinitionWithoutTenantId is the one filter on the definition's.
const tenantOf = (p: ProcessInstance) => p.tenantId;

/** GET /process-instance/count (ProcessInstanceQueryDto of 7.15, the parameters monitoring needs). */
export const processInstances: CollectionResource<ProcessInstance> = {
  path: '/process-instance',
  countOnly: true,
  entities: (model) => model.instances,
  query: {
    id: (p) => p.id,
    params: {
      processInstanceIds: anyOf((p) => p.id),
      superProcessInstance: eq((p) => p.superInstance?.id ?? null),
      businessKey: eq((p) => p.businessKey),
      businessKeyLike: like((p) => p.businessKey),
      processDefinitionId: eq((p) => p.definition.id),
      processDefinitionKey: eq((p) => p.definition.key),
      processDefinitionKeyIn: anyOf((p) => p.definition.key),
      processDefinitionKeyNotIn: {
        apply: (raw) => {
          const keys = splitList(raw);
          return (p) => !keys.includes(p.definition.key);
        },
      },
      deploymentId: eq((p) => p.definition.deploymentId),
      active: flag((p) => !p.suspended),
      suspended: flag((p) => p.suspended),
      withIncident: flag((p) => p.incidents.length > 0),
      incidentId: { apply: (raw) => (p) => p.incidents.some((i) => i.id === raw) },
      incidentType: { apply: (raw) => (p) => p.incidents.some((i) => i.type === raw) },
      incidentMessage: { apply: (raw) => (p) => p.incidents.some((i) => i.message === raw) },
      ...tenantParams(tenantOf),
      processDefinitionWithoutTenantId: flag((p) => p.definition.tenantId === null),
    },
    sortBy: {
      instanceId: (p) => p.id,
      definitionKey: (p) => p.definition.key,
      definitionId: (p) => p.definition.id,
      tenantId: tenantOf,
      businessKey: (p) => p.businessKey,
    },
  },
};
