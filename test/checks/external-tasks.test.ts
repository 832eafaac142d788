import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { externalTasksCheck } from '../../src/checks/external-tasks';
import { OLDEST_SAMPLE, RETRY_SAMPLE } from '../../src/camunda/external-tasks';
import { externalTaskDto } from '../support/external-task-fixtures';
import { fakeEngine, FAKE_REST_URL as REST_URL, type SeenRequest } from '../support/fake-engine';
import { runInProcess } from '../support/run-plugin';


beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const run = (...args: string[]) => runInProcess(externalTasksCheck, ['--url', REST_URL, ...args]);

interface TopicState {
  readonly waiting?: number;
  readonly locked?: number;
  readonly expiredLocks?: number;
  readonly failed?: number;
  /** Answer of the page of tasks ever locked (retrying). */
  readonly everLocked?: Record<string, unknown>[];
  /** Answer of the page of the oldest waiting tasks. */
  readonly oldest?: Record<string, unknown>[];
}

/** A fake engine: the topics' figures by condition, as the check's queries select them. */
function engine(topics: Record<string, TopicState>, version = '7.22.0'): SeenRequest[] {
  return fakeEngine((path, query) => {
    const topic = topics[query.topicName ?? ''] ?? {};
    if (path === '/version') return [200, { version }];
    if (path === '/external-task/topic-names') return [200, Object.keys(topics)];
    // Every key is deployed but 'invoce'; under a tenant only with includeProcessDefinitionsWithoutTenantId (a shared one).
    if (path === '/process-definition/count') return [200, { count: query.key === 'invoce' || (query.tenantIdIn && !query.includeProcessDefinitionsWithoutTenantId) ? 0 : 1 }];
    if (path === '/external-task/count') {
      if (query.notLocked) return [200, { count: topic.waiting ?? 0 }];
      if (query.locked) return [200, { count: topic.locked ?? 0 }];
      if (query.lockExpirationBefore) return [200, { count: topic.expiredLocks ?? 0 }];
      if (query.noRetriesLeft) return [200, { count: topic.failed ?? 0 }];
    }
    if (path === '/external-task') return [200, query.sortBy === 'createTime' ? (topic.oldest ?? []) : (topic.everLocked ?? [])];
    return undefined;
  });
}

describe('check_camunda_external_tasks', () => {
  it('names a topic nobody fetches: tasks waiting longer than --stale, none locked (the worker-gone rule)', async () => {
    engine({
      'send-mail': { waiting: 12, oldest: [externalTaskDto({ createdSecondsAgo: 1500 }), externalTaskDto({ createdSecondsAgo: 1400 })] },
      archive: { waiting: 3, locked: 2, oldest: [externalTaskDto({ createdSecondsAgo: 120 })] },
    });
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS CRITICAL - no worker fetches topic 'send-mail' (12 waiting, oldest 25m) (critical) / 'archive' 3 waiting, 2 locked");
    expect(result.perfdata['send-mail_waiting']).toBe('12;;;0');
    expect(result.perfdata['send-mail_locked']).toBe('0;;;0');
    expect(result.perfdata['send-mail_oldest_waiting_age']).toMatch(/^150\ds;;;0$/);
    expect(result.perfdata['archive_failed']).toBe('0;0;;0');
    expect(result.details[0]).toMatch(/^'send-mail': 12 waiting, 0 locked.*no worker fetches this topic \(critical\)$/);
  });

  it('does not call a topic dead while one of its tasks is locked, nor before --stale has passed', async () => {
    engine({ busy: { waiting: 50, locked: 1, oldest: [externalTaskDto({ createdSecondsAgo: 3600 })] }, fresh: { waiting: 5, oldest: [externalTaskDto({ createdSecondsAgo: 200 })] } });
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS OK - 'busy' 50 waiting, 1 locked / 'fresh' 5 waiting, 0 locked");
    const stricter = await run('--stale', '3m');
    expect(stricter.code).toBe(2);
    expect(stricter.status).toContain("no worker fetches topic 'fresh' (5 waiting, oldest 3m)");
  });

  it('counts a task as waiting from the expiry of its last lock when that is later than its creation', async () => {
    const now = new Date();
    engine({ 'send-mail': { waiting: 1, oldest: [externalTaskDto({ now, createdSecondsAgo: 7200, lockExpiresInSeconds: -120 })] } });
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.perfdata['send-mail_oldest_waiting_age']).toMatch(/^12\ds;;;0$/);
  });

  it('prints an oldest waiting age of 0 for a topic with nothing waiting, so its graph keeps the label', async () => {
    engine({ quiet: { locked: 2 } });
    const result = await run();
    expect(result.perfdata['quiet_oldest_waiting_age']).toBe('0s;;;0');
    expect(result.details[0]).toBe("'quiet': 0 waiting, 2 locked, 0 expired locks, 0 failed, 0 retrying");
  });

  it('applies the thresholds to every topic and names the topics in trouble', async () => {
    engine({
      a: { waiting: 10, failed: 2 },
      b: { waiting: 200, expiredLocks: 4, locked: 1 },
      c: { waiting: 1, locked: 1, everLocked: [externalTaskDto({ retries: 2, errorMessage: 'boom', lockExpiresInSeconds: 30 }), externalTaskDto({ lockExpiresInSeconds: 30 })] },
    });
    const result = await run('-w', '100', '-c', '150', '--expired-locks-warning', '3', '--retrying-critical', '0');
    expect(result.code).toBe(2);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS CRITICAL - 'b': 200 waiting (critical), 4 expired locks (warning) / 'c': 1 retrying (critical) / 'a': 2 failed (warning)");
    expect(result.perfdata['b_waiting']).toBe('200;100;150;0');
    expect(result.perfdata['c_retrying']).toBe('1;;0;0');
  });

  it('asks a bounded number of requests, constant in the number of tasks', async () => {
    const seen = engine({ a: { waiting: 100000, locked: 5 }, b: {} });
    await run();
    const paths = seen.map((r) => r.path);
    expect(paths.filter((p) => p === '/external-task/topic-names')).toHaveLength(1);
    expect(paths.filter((p) => p === '/version')).toHaveLength(1);
    expect(paths.filter((p) => p === '/external-task/count')).toHaveLength(8);
    // The ever-locked page of both topics, the oldest waiting of `a` only (b has none waiting).
    const pages = seen.filter((r) => r.path === '/external-task');
    expect(pages).toHaveLength(3);
    expect(pages.every((r) => Number(r.query.maxResults) <= RETRY_SAMPLE)).toBe(true);
    expect(pages.find((r) => r.query.sortBy === 'createTime')?.query).toMatchObject({ topicName: 'a', sortOrder: 'asc', maxResults: String(OLDEST_SAMPLE), notLocked: 'true', active: 'true', withRetriesLeft: 'true' });
  });

  it('sends the filters to every query: one set per key, tenants as a list', async () => {
    const seen = engine({ a: { waiting: 1, locked: 1 } });
    await run('-k', 'invoice', '-k', 'order', '--tenant-id', 'acme');
    const counts = seen.filter((r) => r.path === '/external-task/count');
    expect(counts).toHaveLength(8);
    expect(new Set(counts.map((r) => r.query.processDefinitionKey))).toEqual(new Set(['invoice', 'order']));
    expect(counts.every((r) => r.query.tenantIdIn === 'acme' && r.query.topicName === 'a')).toBe(true);
  });

  it('ends UNKNOWN naming a --process-definition-key that is not deployed; a shared one counts for every tenant', async () => {
    const seen = engine({ a: { waiting: 1, locked: 1 } });
    const result = await run('-k', 'invoice', '-k', 'invoce');
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS UNKNOWN - no process definition is deployed with the key 'invoce': check --process-definition-key");
    expect((await run('-k', 'invoice', '--tenant-id', 'acme')).code).toBe(0);
    const lookups = seen.filter((r) => r.path === '/process-definition/count');
    expect(lookups.at(-1)!.query).toEqual({ key: 'invoice', tenantIdIn: 'acme', includeProcessDefinitionsWithoutTenantId: 'true' });
  });

  it('leaves out topics without matching tasks under a key filter, but not a topic named with --topic', async () => {
    engine({ a: { waiting: 1, locked: 1 }, b: {} });
    expect((await run('-k', 'invoice')).status).toBe("CAMUNDA EXTERNAL TASKS OK - 'a' 1 waiting, 1 locked");
    expect((await run('-k', 'invoice', '--topic', 'b')).status).toBe("CAMUNDA EXTERNAL TASKS OK - 'b' 0 waiting, 0 locked");
  });

  it('reports a --topic without any task instead of a silent 0; --missing-state sets its state', async () => {
    engine({ archive: { waiting: 1, locked: 1 } });
    const result = await run('--topic', 'send-mial', '--topic', 'archive');
    expect(result.code).toBe(3);
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS UNKNOWN - topic 'send-mial' has no external tasks (a typo, or no work now, see --missing-state) (unknown) / 'archive' 1 waiting, 1 locked");
    expect((await run('--topic', 'send-mial', '--missing-state', 'ok')).code).toBe(0);
  });

  it('says that ages are unknown on an engine before 7.21 and never sorts by createTime there', async () => {
    const seen = engine({ 'send-mail': { waiting: 12 } }, '7.20.0');
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.perfdata['send-mail_oldest_waiting_age']).toBeUndefined();
    expect(result.details).toContain(
      'Camunda 7.20.0 records no creation time of external tasks (from 7.21 on): the age of waiting tasks is unknown, so the worker-gone rule (--stale) cannot fire; use -w/-c on waiting tasks instead.',
    );
    expect(seen.some((r) => r.query.sortBy === 'createTime')).toBe(false);
  });

  it('says so when waiting tasks from before the upgrade to 7.21 have no creation time', async () => {
    engine({ 'send-mail': { waiting: 2, oldest: [externalTaskDto({ createdSecondsAgo: null }), { ...externalTaskDto(), createTime: null }] } });
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.details[0]).toBe("'send-mail': 2 waiting, 0 locked, 0 expired locks, 0 failed, 0 retrying, age of the oldest waiting task unknown");
  });

  it('marks retrying as a lower bound when more tasks were ever locked than it examines', async () => {
    engine({ a: { locked: 200, everLocked: Array.from({ length: RETRY_SAMPLE }, () => externalTaskDto({ retries: 1, lockExpiresInSeconds: 60 })) } });
    const result = await run();
    expect(result.details[0]).toContain(`at least ${RETRY_SAMPLE} retrying`);
    expect(result.details).toContain(`retrying counts the first ${RETRY_SAMPLE} tasks per topic that were ever locked; more exist, so it is a lower bound.`);
  });

  it('measures at most --max-topics topics and says how many more there are', async () => {
    const seen = engine({ a: {}, b: {}, c: {} });
    const result = await run('--max-topics', '2');
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS OK - 'a' 0 waiting, 0 locked / 'b' 0 waiting, 0 locked / 1 more topic not checked (--max-topics 2)");
    expect(new Set(seen.filter((r) => r.query.topicName).map((r) => r.query.topicName))).toEqual(new Set(['a', 'b']));
    expect((await run('--max-topics', '1', '--topic', 'a', '--topic', 'b')).status).toMatch(/^CAMUNDA EXTERNAL TASKS UNKNOWN - 2 --topic values, but --max-topics is 1/);
  });

  it('keeps untrusted topic names out of the markup and the perfdata grammar', async () => {
    engine({ "<b>x</b>|y='z'": { waiting: 1, locked: 1 } });
    const result = await run();
    expect(result.status).toBe("CAMUNDA EXTERNAL TASKS OK - '‹b›x‹/b›¦y='z'' 1 waiting, 1 locked");
    expect(Object.keys(result.perfdata)).toContain("_b_x_/b__y_'z'_waiting");
  });

  it('is OK and says so when the engine has no external tasks', async () => {
    engine({});
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).toBe('CAMUNDA EXTERNAL TASKS OK - no external tasks');
  });
});
