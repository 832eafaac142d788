import type { Task } from '../model';
import { anyOf, date, eq, flag, int, like, tenantParams } from '../query';
import type { CollectionResource } from './types';

const tenantOf = (t: Task) => t.instance.definition.tenantId;

/** GET /task/count (TaskQueryDto of 7.15, the parameters monitoring needs). */
export const tasks: CollectionResource<Task> = {
  path: '/task',
  countOnly: true,
  entities: (model) => model.tasks,
  query: {
    id: (t) => t.id,
    params: {
      taskId: eq((t) => t.id),
      taskIdIn: anyOf((t) => t.id),
      processInstanceId: eq((t) => t.instance.id),
      processInstanceIdIn: anyOf((t) => t.instance.id),
      processInstanceBusinessKey: eq((t) => t.instance.businessKey),
      processInstanceBusinessKeyIn: anyOf((t) => t.instance.businessKey),
      processInstanceBusinessKeyLike: like((t) => t.instance.businessKey),
      processDefinitionId: eq((t) => t.instance.definition.id),
      processDefinitionKey: eq((t) => t.instance.definition.key),
      processDefinitionKeyIn: anyOf((t) => t.instance.definition.key),
      processDefinitionName: eq((t) => t.instance.definition.name),
      processDefinitionNameLike: like((t) => t.instance.definition.name),
      taskDefinitionKey: eq((t) => t.taskDefinitionKey),
      taskDefinitionKeyIn: anyOf((t) => t.taskDefinitionKey),
      taskDefinitionKeyLike: like((t) => t.taskDefinitionKey),
      name: eq((t) => t.name),
      nameLike: like((t) => t.name),
      assignee: eq((t) => t.assignee),
      assigneeLike: like((t) => t.assignee),
      assigneeIn: anyOf((t) => t.assignee),
      assigned: flag((t) => t.assignee !== null),
      unassigned: flag((t) => t.assignee === null),
      priority: int((t) => t.priority),
      maxPriority: int((t) => t.priority, 'java.lang.Integer', (actual, bound) => actual <= bound),
      minPriority: int((t) => t.priority, 'java.lang.Integer', (actual, bound) => actual >= bound),
      dueBefore: date((t) => t.due, 'before'),
      dueAfter: date((t) => t.due, 'after'),
      withoutDueDate: flag((t) => t.due === null),
      createdBefore: date((t) => t.created, 'before'),
      createdAfter: date((t) => t.created, 'after'),
      // A task is suspended with its process instance.
      active: flag((t) => !t.instance.suspended),
      suspended: flag((t) => t.instance.suspended),
      ...tenantParams(tenantOf),
    },
    sortBy: {
      instanceId: (t) => t.instance.id,
      dueDate: (t) => t.due,
      executionId: (t) => t.instance.id,
      assignee: (t) => t.assignee,
      created: (t) => t.created,
      id: (t) => t.id,
      name: (t) => t.name,
      nameCaseInsensitive: (t) => t.name?.toLowerCase() ?? null,
      priority: (t) => t.priority,
      tenantId: tenantOf,
    },
  },
};
