import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway certificate authority with a server and a client certificate, as PEM files and contents. */
export interface ThrowawayPki {
  readonly dir: string;
  readonly files: { readonly ca: string; readonly serverCert: string; readonly serverKey: string; readonly clientCert: string; readonly clientKey: string; readonly otherCert: string; readonly otherKey: string };
  readonly pem: { readonly ca: string; readonly serverCert: string; readonly serverKey: string; readonly clientCert: string; readonly clientKey: string; readonly otherCert: string; readonly otherKey: string };
  remove(): void;
}

/**
 * Creates, with the openssl command, a CA valid for two days, a server certificate for
 * 127.0.0.1/localhost, a client certificate for mutual TLS and a server certificate for another
 * host name (to test name mismatch). EC keys keep it fast.
 */
export function createThrowawayPki(): ThrowawayPki {
  const dir = mkdtempSync(join(tmpdir(), 'camunda-plugins-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Throwaway Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const leaf = (name: string, extensions: string) => {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\n${extensions}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  leaf('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth');
  leaf('client', 'extendedKeyUsage=clientAuth');
  leaf('other', 'subjectAltName=DNS:other.test\nextendedKeyUsage=serverAuth');
  const files = {
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
    otherCert: join(dir, 'other.crt'),
    otherKey: join(dir, 'other.key'),
  };
  const pem = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, readFileSync(file, 'utf8')])) as ThrowawayPki['pem'];
  return { dir, files, pem, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
