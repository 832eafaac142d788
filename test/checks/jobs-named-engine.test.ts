import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { jobsCheck } from '../../src/checks/jobs';
import { jobDto } from '../support/fixtures';
import { MOCK_ENGINE, MOCK_REST_URL, useStrictNock } from '../support/nock';
import { runInProcess } from '../support/run-plugin';

useStrictNock();

/*
 * GET /version exists below /engine/{name} too (NamedProcessEngineRestServiceImpl.java:254-256
 * maps `/{name}/version`; VersionRestService.java:39 answers the package version), so a check of a
 * named engine learns whether that engine has the job query's `acquired` without leaving its path.
 */
describe('check_camunda_jobs on a named engine', () => {
  it('asks /engine/{name}/version when jobs are overdue, and the locked jobs below the same path', async () => {
    const paths: string[] = [];
    nock(MOCK_ENGINE)
      .persist()
      .get(/^\/engine-rest\/engine\/second\//)
      .query(true)
      .reply(function () {
        const url = new URL(this.req.path, MOCK_ENGINE);
        const path = url.pathname.replace('/engine-rest/engine/second', '');
        paths.push(url.searchParams.has('acquired') ? `${path}?acquired` : path);
        if (path === '/version') return [200, { version: '7.24.0' }];
        if (path === '/job') return [200, url.searchParams.has('acquired') ? [] : [jobDto({ dueSecondsAgo: 900 })]];
        if (path === '/job/count') return [200, { count: url.searchParams.has('dueDates') && !url.searchParams.has('createTimes') ? 1 : 0 }];
        return [200, path.endsWith('/count') ? { count: 0 } : []];
      });
    const result = await runInProcess(jobsCheck, ['--url', MOCK_REST_URL, '--engine', 'second']);
    expect(result.perfdata.overdue).toBe('1;0;;0');
    expect(paths).toContain('/version');
    expect(paths).toContain('/job?acquired');
    nock.cleanAll();
  });
});
