import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { runBuilt } from '../support/executables';
import { perfValue } from '../support/run-plugin';
import { createThrowawayPki, type ThrowawayPki } from '../support/tls';

/*
 * TLS through the built executable (the bundle, not the sources): verification on by default,
 * --ca-file, --insecure, mutual TLS with --client-cert/--client-key, and clear errors.
 */

const CHECK = 'check_camunda_incidents';
const scenario: Scenario = {
  engines: [{
    name: 'default',
    processDefinitions: [{ key: 'invoice', versions: [{ version: 1 }] }],
    instances: [{ ref: 'i', definition: 'invoice' }],
    incidents: [{ instance: 'i', type: 'failedJob', activityId: 'ServiceTask_1', message: 'Connection refused', ago: '1h' }],
  }],
};

let pki: ThrowawayPki;
let https: RunningSimulator;
let mutual: RunningSimulator;
let wrongName: RunningSimulator;

beforeAll(async () => {
  pki = createThrowawayPki();
  https = await startSimulator({ scenario, tls: { cert: pki.pem.serverCert, key: pki.pem.serverKey } });
  mutual = await startSimulator({ scenario, tls: { cert: pki.pem.serverCert, key: pki.pem.serverKey, clientCa: pki.pem.ca } });
  wrongName = await startSimulator({ scenario, tls: { cert: pki.pem.otherCert, key: pki.pem.otherKey } });
});

afterAll(async () => {
  await Promise.all([https?.close(), mutual?.close(), wrongName?.close()]);
  pki?.remove();
});

describe('check_camunda_incidents over https', () => {
  it('refuses a certificate it cannot verify and says what to do', async () => {
    const result = await runBuilt(CHECK, ['--url', https.url]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^CAMUNDA INCIDENTS UNKNOWN - .*(--ca-file)/);
  });

  it('verifies the engine with --ca-file', async () => {
    const result = await runBuilt(CHECK, ['--url', https.url, '--ca-file', pki.files.ca]);
    expect(result.code).toBe(1);
    expect(perfValue(result, 'incidents')).toBe(1);
  });

  it('skips verification only with --insecure', async () => {
    const result = await runBuilt(CHECK, ['--url', https.url, '--insecure']);
    expect(result.code).toBe(1);
  });

  it('names a certificate issued for another host', async () => {
    const result = await runBuilt(CHECK, ['--url', wrongName.url, '--ca-file', pki.files.ca]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/does not match the host name/);
  });

  it('presents a client certificate for mutual TLS', async () => {
    const without = await runBuilt(CHECK, ['--url', mutual.url, '--ca-file', pki.files.ca]);
    expect(without.code).toBe(3);
    expect(without.stdout).toMatch(/^CAMUNDA INCIDENTS UNKNOWN - .*requires a TLS client certificate: give --client-cert and --client-key\n$/);
    const foreign = await runBuilt(CHECK, ['--url', mutual.url, '--ca-file', pki.files.ca, '--client-cert', pki.files.otherCert, '--client-key', pki.files.otherKey]);
    expect(foreign.code).toBe(3);
    expect(foreign.stdout).toMatch(/^CAMUNDA INCIDENTS UNKNOWN - .*(rejected the TLS client certificate|connection reset by the server)/);
    const withCert = await runBuilt(CHECK, ['--url', mutual.url, '--ca-file', pki.files.ca, '--client-cert', pki.files.clientCert, '--client-key', pki.files.clientKey]);
    expect(withCert.code).toBe(1);
    expect(withCert.stdout + withCert.stderr).not.toContain('PRIVATE KEY');
  });

  it('says when https meets a plain http port', async () => {
    const plain = await startSimulator({ scenario });
    try {
      const result = await runBuilt(CHECK, ['--url', plain.url.replace('http:', 'https:')]);
      expect(result.code).toBe(3);
      expect(result.stdout).toMatch(/https for a plain http port/);
    } finally {
      await plain.close();
    }
  });
});
