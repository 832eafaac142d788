// Bundles every check into one self-contained executable under dist/, so a check starts
// without resolving hundreds of module files, and can be copied alone into a plugin directory.
import { build } from 'esbuild';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const checks = (await readdir('bin')).filter((f) => f.endsWith('.ts')).map((f) => basename(f, '.ts'));

await rm('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  // Function and class names survive minification, so -vvv stack traces stay readable (costs ~1 ms).
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __PLUGIN_VERSION__: JSON.stringify(pkg.version) },
};

// got loads HTTP/2, response caching and DNS caching support at start-up, although each is used only
// when its option is set; the checks set none of them. Leaving those modules out saves start-up
// time of every check run (bench/). Should got ever reach them, the stub fails with a clear message.
const UNUSED_GOT_FEATURES = /^(http2-wrapper|cacheable-request|cacheable-lookup)$/;
const leaveOutUnusedGotFeatures = {
  name: 'leave-out-unused-got-features',
  setup(builder) {
    builder.onResolve({ filter: UNUSED_GOT_FEATURES }, (args) => ({ path: args.path, namespace: 'unused' }));
    builder.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      loader: 'js',
      contents: `
        const unused = () => { throw new Error(${JSON.stringify(`${args.path} is not bundled: the checks use neither HTTP/2 nor HTTP or DNS caching`)}); };
        export class CacheError extends Error {}
        export default Object.assign(unused, { auto: unused, globalAgent: undefined });
      `,
    }));
  },
};

// The checks are CommonJS: an extensionless file outside a "type": "module" package (a copy in
// /usr/lib/nagios/plugins) is loaded as CommonJS by Node. Dependencies written as ES modules ask
// for import.meta.url, which CommonJS provides through __filename.
await Promise.all(
  checks.map((name) =>
    build({
      ...common,
      entryPoints: [`bin/${name}.ts`],
      outfile: `dist/${name}`,
      format: 'cjs',
      plugins: [leaveOutUnusedGotFeatures],
      define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
      banner: {
        js: [
          '#!/usr/bin/env node',
          '"use strict";',
          'var __importMetaUrl=require("node:url").pathToFileURL(__filename).href;',
        ].join('\n'),
      },
    }),
  ),
);
await Promise.all(checks.map((name) => chmod(`dist/${name}`, 0o755)));
// Inside this "type": "module" package, the nearest package.json must say so too.
await writeFile('dist/package.json', '{ "type": "commonjs" }\n');

// Development tools: the simulator and the demo stay ES modules.
await build({
  ...common,
  minify: false,
  entryPoints: { simulator: 'src/simulator/cli.ts', demo: 'scripts/demo.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
}).catch((error) => {
  if (process.env.BUILD_CHECKS_ONLY) return;
  throw error;
});
console.log(`built ${checks.length} check(s): ${checks.join(', ')}`);
