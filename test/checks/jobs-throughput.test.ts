import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCamundaDate } from '../../src/camunda/dates';
import { jobsCheck } from '../../src/checks/jobs';
import { fakeEngine, FAKE_REST_URL as REST_URL, type SeenRequest } from '../support/fake-engine';
import { runInProcess } from '../support/run-plugin';


beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const run = (...args: string[]) => runInProcess(jobsCheck, ['--url', REST_URL, '--throughput', ...args]);

interface EngineState {
  readonly sums?: Partial<Record<string, number>>;
  /** Whether `GET /metrics` finds a row (a reporter wrote within the window). */
  readonly reported?: boolean;
  readonly executable?: number;
  /** Executable jobs created before the window's start, and of those, due after it. */
  readonly createdBeforeWindow?: number;
  readonly dueAfterWindowStart?: number;
}

/** A fake engine for the jobs check with --throughput; returns the requests it saw. */
function engine(state: EngineState): SeenRequest[] {
  return fakeEngine((path, query) => {
    const sum = /^\/metrics\/([^/]+)\/sum$/.exec(path);
    if (sum) return [200, { result: state.sums?.[decodeURIComponent(sum[1]!)] ?? 0 }];
    if (path === '/metrics') return [200, state.reported === false ? [] : [{ timestamp: '2024-01-01T00:00:00.000+0000', name: 'job-successful', reporter: 'camunda-1', value: 0 }]];
    if (path === '/job/count') {
      // The throughput's counts go back to the window's start (30m and more); the overdue counts 5 minutes.
      const bound = parseCamundaDate(query.createTimes?.slice(3));
      const windowCount = bound !== undefined && Date.now() - bound.getTime() > 20 * 60_000;
      if (windowCount && query.dueDates?.startsWith('gt_')) return [200, { count: state.dueAfterWindowStart ?? 0 }];
      if (windowCount && !query.dueDates) return [200, { count: state.createdBeforeWindow ?? 0 }];
      if (query.executable && !query.createTimes && !query.dueDates) return [200, { count: state.executable ?? 0 }];
      return [200, { count: 0 }];
    }
    if (path === '/job-definition/count') return [200, { count: 0 }];
    if (path === '/job-definition' || path === '/job') return [200, []];
    return undefined;
  });
}

describe('check_camunda_jobs --throughput', () => {
  it('adds the sums of the job executor metrics over the window as perfdata', async () => {
    const seen = engine({ sums: { 'job-successful': 120, 'job-failed': 3, 'job-execution-rejected': 12, 'job-acquired-failure': 4 }, executable: 2 });
    const started = Date.now();
    const result = await run('--jobs-rejected-warning', '10');
    expect(result.code).toBe(1);
    expect(result.status).toBe(
      'CAMUNDA JOBS WARNING - 2 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions, in 30m: 120 succeeded, 3 failed, 12 rejected (warning), 4 acquisition failures',
    );
    expect(result.perfdata).toMatchObject({ jobs_successful: '120;;;0', jobs_failed: '3;;;0', jobs_rejected: '12;10;;0', acquisition_failures: '4;;;0' });
    // Every sum from the window's start on, no end: whatever the nodes wrote since then.
    const sums = seen.filter((r) => r.path.startsWith('/metrics/'));
    expect(sums.map((r) => r.path).sort()).toEqual(['/metrics/job-acquired-failure/sum', '/metrics/job-execution-rejected/sum', '/metrics/job-failed/sum', '/metrics/job-successful/sum']);
    for (const r of sums) {
      expect(Object.keys(r.query)).toEqual(['startDate']);
      expect(Math.abs(started - 1800_000 - parseCamundaDate(r.query.startDate)!.getTime())).toBeLessThan(5000);
    }
  });

  it('calls the executor stalled when jobs were executable through the window and no node executed one', async () => {
    engine({ executable: 5, createdBeforeWindow: 4, dueAfterWindowStart: 1 });
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.status).toMatch(/^CAMUNDA JOBS CRITICAL - job executor stalled: 3 jobs executable for more than 30m, none executed \(critical\), 5 executable/);
    expect(result.details).toContain(
      'Stalled: no node executed a job between 30m and 15m ago (reported by now for sure), while 3 jobs stayed executable through that time. ' +
        'Is the job executor running (jobExecutorActivate), are its nodes registered for the deployments, is its thread pool stuck?',
    );
  });

  it('does not call it stalled when jobs only became executable within the window (their runs may not be reported yet)', async () => {
    engine({ executable: 5, createdBeforeWindow: 2, dueAfterWindowStart: 2 });
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.status).not.toContain('stalled');
  });

  it('does not call it stalled when jobs ran, even if they all failed', async () => {
    engine({ executable: 5, createdBeforeWindow: 5, sums: { 'job-failed': 1 } });
    expect((await run()).status).not.toContain('stalled');
    nock.cleanAll();
    engine({ executable: 5, createdBeforeWindow: 5, sums: { 'job-successful': 1 } });
    expect((await run()).status).not.toContain('stalled');
  });

  it('asks whether executable jobs waited through the window with the check filters', async () => {
    const seen = engine({});
    await run('-k', 'invoice', '--tenant-id', 'acme', '--throughput-window', '1h');
    const windowCounts = seen.filter((r) => r.path === '/job/count' && r.query.createTimes !== undefined && Date.now() - parseCamundaDate(r.query.createTimes.slice(3))!.getTime() > 50 * 60_000);
    expect(windowCounts).toHaveLength(2);
    for (const r of windowCounts) expect(r.query).toMatchObject({ processDefinitionKey: 'invoice', tenantIdIn: 'acme', executable: 'true', active: 'true' });
  });

  it('says when no metrics are written (metrics off) instead of reading zeros as a stall', async () => {
    engine({ reported: false, executable: 5, createdBeforeWindow: 5 });
    const result = await run();
    expect(result.code).toBe(3);
    expect(result.status).toBe('CAMUNDA JOBS UNKNOWN - 5 executable, 0 overdue, 0 failed, 0 retrying, 0 suspended job definitions, no job metrics reported in the last 30m (unknown)');
    expect(result.perfdata.jobs_successful).toBeUndefined();
    expect(result.details.at(-1)).toMatch(/^Throughput unknown: no engine node wrote metrics in the last 30m, although a running reporter writes every 15m\. Metrics are off \(metricsEnabled=false or dbMetricsReporterActivate=false\)/);
  });

  it('refuses a window the reporting delay would make lie', async () => {
    engine({});
    expect((await run('--throughput-window', '15m')).status).toBe(
      'CAMUNDA JOBS UNKNOWN - --throughput-window 15m is too short for --metrics-interval 15m: the engine writes its metrics up to one interval late, so the window must be at least 30m',
    );
    expect((await run('--metrics-interval', '1m', '--throughput-window', '5m')).status).toMatch(/window must be at least 6m$/);
    expect((await run('--metrics-interval', '1m', '--throughput-window', '6m')).code).toBe(0);
  });

  it('refuses throughput options without --throughput', async () => {
    engine({});
    const result = await runInProcess(jobsCheck, ['--url', REST_URL, '--jobs-rejected-warning', '0']);
    expect(result.code).toBe(3);
    expect(result.status).toBe('CAMUNDA JOBS UNKNOWN - --jobs-rejected-warning needs --throughput');
  });

  it('sends no metrics request without --throughput', async () => {
    const seen = engine({});
    await runInProcess(jobsCheck, ['--url', REST_URL]);
    expect(seen.some((r) => r.path.startsWith('/metrics'))).toBe(false);
  });
});
