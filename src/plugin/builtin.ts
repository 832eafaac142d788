/**
 * A Node.js built-in module loaded when a run first needs it, not at start-up (node:crypto for PEM
 * files, node:zlib for a compressed answer, node:os for the password database). Not through
 * node:module's createRequire, whose loading pulls in the ES module loader: getBuiltinModule
 * (Node 20.16+), else the bundle's own CommonJS require.
 */
export function builtinModule<T>(name: `node:${string}`): T {
  return (process.getBuiltinModule?.(name) ?? require(name)) as T;
}
