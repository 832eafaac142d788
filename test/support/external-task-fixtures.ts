import { formatCamundaDate } from '../../src/camunda/dates';
import type { ExternalTaskDto } from '../../src/camunda/types';

/**
 * An ExternalTaskDto as a Camunda 7.21+ engine sends it (the 7.15 document's properties plus
 * `createTime`, FACT 12 of openapi.ts); `createdSecondsAgo: null` leaves createTime out, as before 7.21.
 */
export function externalTaskDto(
  overrides: Partial<ExternalTaskDto> & { createdSecondsAgo?: number | null; lockExpiresInSeconds?: number | null; now?: Date } = {},
): Record<string, unknown> {
  const { createdSecondsAgo = 600, lockExpiresInSeconds = null, now = new Date(), ...fields } = overrides;
  const at = (seconds: number) => formatCamundaDate(new Date(now.getTime() + seconds * 1000));
  return {
    activityId: 'ServiceTask_SendMail',
    activityInstanceId: 'ServiceTask_SendMail:aa00bb11-0000-11ee-8000-0000000000a1',
    errorMessage: null,
    executionId: 'aa00bb11-0000-11ee-8000-000000000001',
    id: 'aa11bb22-0000-11ee-8000-0000000000e1',
    lockExpirationTime: lockExpiresInSeconds === null ? null : at(lockExpiresInSeconds),
    processDefinitionId: 'invoice:1:c3a63aaa-2046-11e7-8f94-34f39ab71d4e',
    processDefinitionKey: 'invoice',
    processDefinitionVersionTag: null,
    processInstanceId: 'aa00bb11-0000-11ee-8000-000000000001',
    tenantId: null,
    retries: null,
    suspended: false,
    workerId: lockExpiresInSeconds === null ? null : 'worker-1',
    topicName: 'send-mail',
    priority: 0,
    businessKey: null,
    ...(createdSecondsAgo === null ? {} : { createTime: at(-createdSecondsAgo) }),
    ...fields,
  };
}
