import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What the test proxy saw of one request: CONNECT host:port, or the absolute URL of a GET. */
export interface ProxiedRequest {
  readonly method: string;
  readonly target: string;
  readonly proxyAuthorization?: string | undefined;
  /** Whether the Authorization meant for the engine reached the proxy in clear text. */
  readonly sawEngineAuthorization: boolean;
}

export interface TestProxy {
  readonly url: string;
  readonly port: number;
  readonly seen: ProxiedRequest[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** `user:password` the proxy demands (HTTP 407 otherwise). */
  readonly credentials?: string;
  /** Host names only the proxy can resolve: name → address. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Answer every CONNECT with this status instead of opening a tunnel. */
  readonly connectStatus?: number;
}

/**
 * A small forward proxy as Squid behaves for these tests: absolute-form requests for http URLs,
 * CONNECT tunnels for https, optional Basic proxy authentication, and host names of its own, so a
 * request that reaches the engine at such a name must have gone through it.
 */
export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const seen: ProxiedRequest[] = [];
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const resolve = (host: string) => options.hosts?.[host] ?? host;
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', target: request.url ?? '', proxyAuthorization: request.headers['proxy-authorization'], sawEngineAuthorization: !!request.headers.authorization });
    if (expected && request.headers['proxy-authorization'] !== expected) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-type': 'text/html' }).end('<html>proxy authentication required</html>');
      return;
    }
    const target = new URL(request.url ?? '');
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host: resolve(target.hostname), port: target.port || 80, path: `${target.pathname}${target.search}`, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'));
    upstream.end();
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    sockets.add(client);
    seen.push({ method: 'CONNECT', target: request.url ?? '', proxyAuthorization: request.headers['proxy-authorization'], sawEngineAuthorization: !!request.headers.authorization });
    if (expected && request.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (options.connectStatus) {
      client.end(`HTTP/1.1 ${options.connectStatus} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host = '', port = '443'] = (request.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
