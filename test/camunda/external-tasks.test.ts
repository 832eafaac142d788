import { describe, expect, it } from 'vitest';
import { engineHasCreateTime, topicQueries, waitingSince } from '../../src/camunda/external-tasks';
import { formatCamundaDate } from '../../src/camunda/dates';
import { externalTaskDto } from '../support/external-task-fixtures';
import { mockedEngineClient, mockGet, useStrictNock } from '../support/nock';

useStrictNock();

describe('engineHasCreateTime', () => {
  it.each([
    ['7.20.3', false],
    ['7.21.0-alpha3', true],
    ['7.21.0', true],
    ['7.21.0-ee', true],
    ['7.24.0-SNAPSHOT', true],
    ['7.15.0', false],
    // Operaton and CIB seven number their own releases; both branched off 7.22 and later.
    ['1.0.0-beta-4', true],
    ['2.0.0', true],
    ['not a version', false],
  ] as const)('%s: %s', async (version, has) => {
    mockGet('/version', () => ({ version }), 1);
    expect((await engineHasCreateTime(mockedEngineClient())).has).toBe(has);
  });
});

describe('waitingSince', () => {
  const now = new Date('2024-03-01T12:00:00.000Z');
  const at = (minutes: number) => formatCamundaDate(new Date(now.getTime() + minutes * 60_000));

  it('is the creation of a task never locked', () => {
    expect(waitingSince(externalTaskDto({ now, createdSecondsAgo: 600 }) as never, now)).toEqual(new Date(now.getTime() - 600_000));
  });

  it('is the expiry of a lock that ran out after the creation', () => {
    expect(waitingSince({ ...externalTaskDto({ now, createdSecondsAgo: 3600 }), lockExpirationTime: at(-2) } as never, now)).toEqual(new Date(now.getTime() - 120_000));
  });

  it('ignores a lock that has not run out, and is unknown without creation time', () => {
    expect(waitingSince({ ...externalTaskDto({ now, createdSecondsAgo: 60 }), lockExpirationTime: at(5) } as never, now)).toEqual(new Date(now.getTime() - 60_000));
    expect(waitingSince(externalTaskDto({ now, createdSecondsAgo: null }) as never, now)).toBeUndefined();
  });
});

describe('topicQueries', () => {
  it('sends one query per key, the topic and the tenants in each', () => {
    expect(topicQueries('mail', { processDefinitionKeys: ['a', 'b'], tenantIds: ['x', 'y'] })).toEqual([
      { topicName: 'mail', tenantIdIn: ['x', 'y'], processDefinitionKey: 'a' },
      { topicName: 'mail', tenantIdIn: ['x', 'y'], processDefinitionKey: 'b' },
    ]);
    expect(topicQueries('mail', { processDefinitionKeys: [], tenantIds: [] })).toEqual([{ topicName: 'mail', tenantIdIn: [] }]);
  });
});
