/**
 * Splits a request path the way the Camunda REST API routes it:
 * `<base>/engine/{name}/<resource>` addresses engine `name`, `<base>/<resource>`
 * the default engine. Returns undefined for paths outside `<base>`.
 */
export function splitEnginePath(
  pathname: string,
  basePath: string,
): { engine: string | undefined; path: string } | undefined {
  const base = basePath.replace(/\/+$/, '');
  if (pathname !== base && !pathname.startsWith(`${base}/`)) return undefined;
  const rest = pathname.slice(base.length) || '/';
  const named = /^\/engine\/([^/]+)(\/.*)?$/.exec(rest);
  if (!named) return { engine: undefined, path: rest };
  let engine: string;
  try {
    engine = decodeURIComponent(named[1]!);
  } catch {
    engine = named[1]!;
  }
  return { engine, path: named[2] ?? '/' };
}
