import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator } from '../../src/simulator';
import { runBuilt } from '../support/executables';
import { startTestProxy, type TestProxy } from '../support/proxy';

/*
 * The built checks behind an HTTP proxy, configured as operators do: in the environment of the
 * monitoring daemon (http_proxy, HTTPS_PROXY, NO_PROXY) or with --proxy. The engine's host name is
 * one only the proxy resolves, so an answer proves the request went through it; the proxy password
 * never appears, not even at -vvv.
 */

const PROXY_PASSWORD = 'pr0xy-Secret-Value';
let engine: RunningSimulator;
let proxy: TestProxy;
let engineUrl: string;

beforeAll(async () => {
  engine = await startSimulator({ scenario: loadScenario('src/simulator/scenarios/demo.json') });
  proxy = await startTestProxy({ credentials: `monitor:${PROXY_PASSWORD}`, hosts: { 'camunda.test': '127.0.0.1' } });
  engineUrl = engine.url.replace('127.0.0.1', 'camunda.test');
});
afterAll(async () => {
  await proxy?.close();
  await engine?.close();
});

const withCredentials = () => `http://monitor:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;

describe('check_camunda_incidents behind a proxy', () => {
  it('goes through http_proxy from the environment, with the proxy password kept out of -vvv', async () => {
    const run = await runBuilt('check_camunda_incidents', ['--url', engineUrl, '-vvv'], { http_proxy: withCredentials() });
    expect(run.stdout).toMatch(/^CAMUNDA INCIDENTS (OK|WARNING|CRITICAL) - /);
    expect(run.stderr).toContain(`proxy: http://127.0.0.1:${proxy.port} (from http_proxy) with credentials`);
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain(PROXY_PASSWORD);
      expect(text).not.toContain(Buffer.from(`monitor:${PROXY_PASSWORD}`).toString('base64'));
    }
    expect(proxy.seen.some((seen) => seen.target.startsWith(`${engineUrl}/incident/count`))).toBe(true);
  });

  it('takes --proxy, and says so without the password when the proxy refuses the credentials', async () => {
    const wrong = `http://monitor:wrong-${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;
    const run = await runBuilt('check_camunda_incidents', ['--url', engineUrl, '--proxy', wrong]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(new RegExp(`^CAMUNDA INCIDENTS UNKNOWN - the proxy http://127\\.0\\.0\\.1:${proxy.port} \\(from --proxy\\) requires authentication \\(HTTP 407\\)`));
    expect(run.stdout).not.toContain(PROXY_PASSWORD);
  });

  it('goes directly to hosts in NO_PROXY or --no-proxy, and with --proxy ""', async () => {
    const before = proxy.seen.length;
    for (const [args, env] of [
      [[], { http_proxy: withCredentials(), NO_PROXY: '127.0.0.1' }],
      [['--no-proxy', 'localhost,127.0.0.1'], { http_proxy: withCredentials(), NO_PROXY: 'other' }],
      [['--proxy', ''], { http_proxy: withCredentials() }],
    ] as const) {
      const run = await runBuilt('check_camunda_incidents', ['--url', engine.url, ...args], env);
      expect(run.stdout).toMatch(/^CAMUNDA INCIDENTS (OK|WARNING|CRITICAL) - /);
    }
    expect(proxy.seen.length).toBe(before);
  });

  it('refuses a proxy URL it cannot use with one UNKNOWN line that shows no credentials, only where it would be used', async () => {
    const env = { HTTPS_PROXY: `socks5://monitor:${PROXY_PASSWORD}@proxy:1080`, http_proxy: withCredentials() };
    expect((await runBuilt('check_camunda_incidents', ['--url', engineUrl], env)).stdout).toMatch(/^CAMUNDA INCIDENTS (OK|WARNING|CRITICAL) - /);
    const run = await runBuilt('check_camunda_incidents', ['--url', 'https://camunda.test:8443/engine-rest'], env);
    expect(run.stdout).toBe('CAMUNDA INCIDENTS UNKNOWN - HTTPS_PROXY: only http:// proxies are supported, not socks5:// (the tunnel to an https engine is encrypted end to end all the same)\n');
  });
});
