import { PluginError } from '../plugin/errors';
import { cleanText } from '../plugin/text';

/** What the client knows about a failed request when it explains it to the operator. */
export interface FailedRequest {
  /** `GET /incident/count`, without query or base URL. */
  readonly endpoint: string;
  /** The REST API base URL as the operator gave it (never contains credentials). */
  readonly url: string;
  /** The option that gave the URL (`--url`, or `--node` for another cluster node), named in the hints. */
  readonly urlOption: string;
  readonly engine?: string | undefined;
  readonly authenticated: boolean;
  readonly timeoutSeconds: number;
  /** The HTTP proxy the request went through, and the option or variable that named it. */
  readonly proxy?: { readonly url: string; readonly source: string } | undefined;
}

export class CamundaError extends PluginError {
  override name = 'CamundaError';
  /** The HTTP status the engine (or a proxy) answered with; undefined for failures below HTTP. */
  httpStatus?: number;
  /** The engine's exception (`{"type", "message"}`, cleaned) when its answer carried one. */
  engineException?: { readonly type: string; readonly message: string };
}

interface CamundaExceptionBody {
  type?: unknown;
  message?: unknown;
}

/** Camunda's error body is `{"type": "...Exception", "message": "..."}`; anything else is not from the engine. */
function camundaException(body: string): { type: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as CamundaExceptionBody;
    if (parsed && typeof parsed === 'object' && (typeof parsed.type === 'string' || typeof parsed.message === 'string')) {
      return { type: cleanText(parsed.type ?? 'error', 80), message: cleanText(parsed.message ?? '', 300) };
    }
  } catch {
    // not JSON: handled by the caller
  }
  return undefined;
}

const looksLikeHtml = (body: string): boolean => /^\s*</.test(body);

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Turns an HTTP status other than 200 into one sentence that says what to check. */
export function httpStatusError(status: number, body: string, request: FailedRequest, location?: string): CamundaError {
  const error = statusError(status, body, request, location);
  // Some checks read a status as a finding (an endpoint that needs more rights), not as a failure.
  error.httpStatus = status;
  error.engineException = camundaException(body);
  return error;
}

function statusError(status: number, body: string, request: FailedRequest, location?: string): CamundaError {
  const at = `${request.endpoint} on ${request.url}`;
  const exception = camundaException(body);
  if (status === 400 && /plain HTTP request was sent to HTTPS port/i.test(body)) {
    return new CamundaError(`${at}: the server expects https on this port; use https:// in ${request.urlOption}`);
  }
  if (status === 401) {
    return new CamundaError(
      request.authenticated
        ? `authentication failed (HTTP 401) for ${at}: check --username and the password (--password-file or CAMUNDA_PASSWORD) or the --token`
        : `the engine requires authentication (HTTP 401) for ${at}: give --username with --password-file or CAMUNDA_PASSWORD, or --token`,
    );
  }
  if (status === 403) {
    const why = exception?.message ? `: ${exception.message}` : '';
    const grant = request.endpoint.startsWith('GET ')
      ? 'grant the monitoring user READ permission on the resources this check reads'
      : 'grant the action user the permission the engine names (docs/camunda_action.md lists them)';
    return new CamundaError(`not authorized (HTTP 403) for ${at}${why}; ${grant}`);
  }
  // Camunda answers an unknown engine with 400 "No process engine available", or with 404
  // "Process engine NAME not available" when its authentication filter is on.
  if ((status === 400 || status === 404) && exception && /process engine .*not available|no process engine available/i.test(exception.message)) {
    const which = request.engine === undefined ? 'the default engine' : `engine '${cleanText(request.engine, 80)}'`;
    return new CamundaError(`${which} does not exist on ${request.url} (Camunda: ${exception.message}); check --engine`);
  }
  if (status === 404) {
    const engineHint = request.engine === undefined ? '' : ` and that an engine named '${cleanText(request.engine, 80)}' exists`;
    return new CamundaError(`not found (HTTP 404) for ${at}: check that ${request.urlOption} is the REST API base (usually ending in /engine-rest)${engineHint}`);
  }
  if (status === 407) {
    const proxy = request.proxy ? `the proxy ${request.proxy.url} (from ${request.proxy.source})` : 'a proxy';
    return new CamundaError(`${proxy} requires authentication (HTTP 407) for ${at}: give its user and password in the proxy URL (http://user:password@proxy:port)`);
  }
  if (status >= 300 && status < 400) {
    const target = location ? ` to ${cleanText(location.replace(/\?.*$/, ''), 120)}` : '';
    return new CamundaError(`redirected (HTTP ${status})${target} for ${at}: a login page or proxy is in the way; point ${request.urlOption} at the REST API itself`);
  }
  if (exception) {
    return new CamundaError(`engine error (HTTP ${status} ${exception.type}) for ${at}: ${exception.message}`);
  }
  const reason = STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : '';
  const source = looksLikeHtml(body)
    ? ' with an HTML page, not from Camunda: check the proxy or load balancer in front of the engine and that the engine is running behind it'
    : ': check the engine log';
  return new CamundaError(`HTTP ${status}${reason} for ${at}${source}`);
}

export function notJsonError(body: string, request: FailedRequest): CamundaError {
  if (looksLikeHtml(body)) {
    return new CamundaError(
      `${request.endpoint} on ${request.url} answered with an HTML page instead of JSON: ${request.urlOption} must point at the REST API (usually ending in /engine-rest), not at a web application or proxy page`,
    );
  }
  return new CamundaError(`${request.endpoint} on ${request.url} answered with broken JSON (${body.length} bytes): check the engine and any proxy in front of it`);
}

export function wrongShapeError(expected: string, request: FailedRequest): CamundaError {
  return new CamundaError(
    `${request.endpoint} on ${request.url} answered with JSON of an unexpected shape (expected ${expected}): is ${request.urlOption} the Camunda 7 REST API?`,
  );
}

/**
 * A number no engine can send (a count of 1e308 or -1, a version of 2^70): a wrong answer, never a
 * figure. `text` is the number as the answer wrote it, when it could be found there.
 */
export function impossibleNumberError(field: string, value: number, text: string | undefined, request: FailedRequest): CamundaError {
  const shown = cleanText(text ?? String(value), 40);
  return new CamundaError(
    `wrong answer from ${request.endpoint} on ${request.url}: ${cleanText(field, 40)} ${shown} is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER} as Camunda sends: check the engine and any proxy in front of it`,
  );
}

export function tooLargeError(maxBytes: number, request: FailedRequest): CamundaError {
  return new CamundaError(
    `${request.endpoint} on ${request.url} answered with more than ${Math.round(maxBytes / 1024 / 1024)} MiB, far more than the check asked for: is ${request.urlOption} the Camunda 7 REST API?`,
  );
}

/** One sentence per network, DNS or TLS error code; `url` is the option that gave the URL (`--url`, `--node`). */
const NETWORK_ERRORS: Record<string, (url: string) => string> = {
  ECONNREFUSED: (url) => `connection refused: check ${url} and that the engine is running and listening there`,
  ECONNRESET: () => 'connection reset by the server: check the engine and any proxy or firewall between',
  EHOSTUNREACH: (url) => `host unreachable: check ${url} and the network route to the engine`,
  ENETUNREACH: (url) => `network unreachable: check ${url} and the network route to the engine`,
  ENOTFOUND: (url) => `host name not found (DNS): check the host name in ${url}`,
  EAI_AGAIN: (url) => `host name lookup failed temporarily (DNS): check the resolver and the host name in ${url}`,
  EPROTO: (url) => `TLS protocol error: does ${url} use https for a plain http port, or the reverse?`,
  DEPTH_ZERO_SELF_SIGNED_CERT: () => 'TLS certificate is self-signed: give its CA with --ca-file (or --insecure to skip verification)',
  SELF_SIGNED_CERT_IN_CHAIN: () => 'TLS certificate chain ends in an untrusted self-signed CA: give it with --ca-file',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => 'TLS certificate cannot be verified: give the issuing CA with --ca-file',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () => 'TLS certificate issuer is unknown: give the issuing CA with --ca-file',
  CERT_HAS_EXPIRED: () => 'TLS certificate of the engine has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: (url) => `TLS certificate does not match the host name in ${url}`,
  ERR_SSL_WRONG_VERSION_NUMBER: (url) => `TLS handshake failed: does ${url} use https for a plain http port?`,
};

/** Turns a failure below HTTP (network, DNS, TLS, timeout) into one sentence. */
export function transportError(error: unknown, request: FailedRequest): CamundaError {
  const code = (error as { code?: unknown })?.code;
  const name = (error as { name?: unknown })?.name;
  const at = `${request.endpoint} on ${request.url}`;
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return new CamundaError(`no answer within the timeout of ${request.timeoutSeconds}s for ${at}: check that the engine is responsive, or raise --timeout`);
  }
  const proxy = request.proxy;
  if (proxy && (error as { atProxy?: unknown }).atProxy) {
    const reason = typeof code === 'string' && NETWORK_ERRORS[code] ? NETWORK_ERRORS[code](proxy.source).replace(/the engine/g, 'the proxy') : cleanText((error as Error)?.message ?? 'unknown error', 200);
    return new CamundaError(`cannot reach the proxy ${proxy.url} for ${at}: ${reason}`);
  }
  if (proxy && code === 'EPROXYREFUSED') {
    const { proxyStatus, target } = error as { proxyStatus?: number; target?: string };
    if (proxyStatus === 407) {
      return new CamundaError(`the proxy ${proxy.url} (from ${proxy.source}) requires authentication (HTTP 407) for CONNECT ${target} (${at}): give its user and password in the proxy URL (http://user:password@proxy:port)`);
    }
    return new CamundaError(`the proxy ${proxy.url} (from ${proxy.source}) refused the tunnel to ${target} with HTTP ${proxyStatus} (${at}): check the proxy's rules for this host and port, or reach the engine directly with --no-proxy`);
  }
  if (code === 'EUNKNOWNENCODING' || code === 'EBADENCODING') {
    return new CamundaError(`${at} answered with a body that cannot be read: ${cleanText((error as Error).message, 120)}; check the engine and any proxy in front of it`);
  }
  if (code === 'ECONNRESET' && /^http:/i.test(request.url)) {
    // A TLS port drops a plain-text request without an answer; an ordinary reset looks the same.
    return new CamundaError(`cannot reach ${at}: connection reset by the server: does the port expect https? Otherwise check the engine and any proxy or firewall between`);
  }
  if (typeof code === 'string' && NETWORK_ERRORS[code]) {
    return new CamundaError(`cannot reach ${at}: ${NETWORK_ERRORS[code](request.urlOption)}`);
  }
  const message = error instanceof Error ? cleanText(error.message, 200) : 'unknown error';
  // OpenSSL reports what the server said about our certificate as an alert inside a long internal message.
  if (/alert certificate required/i.test(message)) {
    return new CamundaError(`cannot reach ${at}: the server requires a TLS client certificate: give --client-cert and --client-key`);
  }
  if (/alert (bad certificate|unknown ca|certificate unknown|certificate expired|certificate revoked)/i.test(message)) {
    return new CamundaError(`cannot reach ${at}: the server rejected the TLS client certificate: check --client-cert and --client-key`);
  }
  if (/certificate|tls|ssl/i.test(message)) {
    return new CamundaError(`TLS error for ${at}: ${message}; check --ca-file, --client-cert/--client-key, or --insecure`);
  }
  return new CamundaError(`request failed for ${at}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`);
}

/** A date from the engine that the check must judge but cannot read: UNKNOWN rather than a made-up age. */
export function unreadableDateError(what: string, value: string | null | undefined): PluginError {
  return new PluginError(
    `${what} '${cleanText(value ?? '', 40)}' is not in Camunda's date format (yyyy-MM-dd'T'HH:mm:ss.SSSZ): check the engine's date format configuration`,
  );
}
