// Bundles every check into one self-contained executable under dist/, so a check starts
// without resolving hundreds of module files, and can be copied alone into a plugin directory.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const checks = (await readdir('bin')).filter((f) => f.endsWith('.ts')).map((f) => basename(f, '.ts'));

await rm('dist', { recursive: true, force: true });

/** The oldest Node.js the checks run on (package.json engines, .ci/run). */
const MIN_NODE = Number(/^>=(\d+)/.exec(pkg.engines.node)[1]);
/** `check_camunda_jobs` → `CAMUNDA JOBS`, as the check's status lines begin. */
const statusPrefix = (name) => name.replace(/^check_/, '').replace(/_/g, ' ').toUpperCase();

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __PLUGIN_VERSION__: JSON.stringify(pkg.version) },
};

// The BPMN reader (bpmn-moddle and its metamodels) is loaded only by check_camunda_sla when a model
// is not in its cache. V8 compiles every function of a script ahead of its first call only
// shallowly, but even that costs at every start; as a string literal it costs a fifth of that. So
// the check carries it as the text of a CommonJS module, compiled when a run first imports it
// (bench/README.md).
// Import specifier → the module whose default export the text provides.
const LOADED_AS_TEXT = {
  './bpmn-reader': './src/camunda/bpmn-reader.ts',
};
const moduleTexts = Object.fromEntries(
  await Promise.all(
    Object.entries(LOADED_AS_TEXT).map(async ([specifier, source]) => {
      const result = await build({
        ...common,
        stdin: { contents: `export { default } from '${source}';`, resolveDir: '.', loader: 'js' },
        format: 'cjs',
        write: false,
        define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
      });
      return [specifier, result.outputFiles[0].text];
    }),
  ),
);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const loadAsText = {
  name: 'load-as-text',
  setup(builder) {
    builder.onResolve({ filter: new RegExp(`^(${Object.keys(LOADED_AS_TEXT).map(escapeRegExp).join('|')})$`) }, (args) => ({ path: args.path, namespace: 'load-as-text' }));
    builder.onLoad({ filter: /.*/, namespace: 'load-as-text' }, (args) => ({
      loader: 'js',
      contents: `
        const textModule = { exports: {} };
        new Function('module', 'exports', 'require', '__importMetaUrl', ${JSON.stringify(moduleTexts[args.path])})(
          textModule, textModule.exports, require, __importMeta.url);
        export default textModule.exports.default;
      `,
    }));
  },
};

// The checks are CommonJS: an extensionless file outside a "type": "module" package (a copy in
// /usr/lib/nagios/plugins) is loaded as CommonJS by Node. Dependencies written as ES modules ask
// for import.meta.url, which CommonJS provides through __filename; computed when first asked for,
// because node:url costs about 2 ms of every start and only paths off the ordinary run need it.
await Promise.all(
  checks.map((name) =>
    build({
      ...common,
      entryPoints: [`bin/${name}.ts`],
      // Syntax Node.js 10 can parse, so that an old Node reaches the version test of the banner and
      // answers with one UNKNOWN line instead of a SyntaxError; what is lowered runs as fast.
      target: 'node10',
      outfile: `dist/${name}`,
      // Names are left as written, so -vvv stack traces stay readable: no larger than minified names
      // with esbuild's keepNames, which would set the name of every function at every start.
      minify: false,
      minifyWhitespace: true,
      minifySyntax: true,
      format: 'cjs',
      plugins: [loadAsText],
      define: { ...common.define, 'import.meta.url': '__importMeta.url' },
      banner: {
        js: [
          '#!/usr/bin/env node',
          '"use strict";',
          // The one thing an older Node.js is told, in the check's own status line format.
          `if(+process.versions.node.split(".")[0]<${MIN_NODE}){process.stdout.write(${JSON.stringify(`${statusPrefix(name)} UNKNOWN - Node.js `)}+process.version+${JSON.stringify(` is too old for ${name}: install Node.js ${MIN_NODE} or newer\n`)});process.exit(3)}`,
          'var __importMeta={get url(){return require("node:url").pathToFileURL(__filename).href}};',
        ].join('\n'),
      },
    }),
  ),
);
await Promise.all(checks.map((name) => chmod(`dist/${name}`, 0o755)));

// Man pages from the same Manual as --help: each launcher is bundled once more with a runAsProcess
// that prints the man page of the plugin it is given instead of running it.
const manPages = {
  name: 'man-pages',
  setup(builder) {
    builder.onResolve({ filter: /\/src\/plugin\/run$/ }, (args) => (/[\\/]bin$/.test(args.resolveDir) ? { path: 'run', namespace: 'man-pages' } : undefined));
    builder.onLoad({ filter: /.*/, namespace: 'man-pages' }, () => ({
      loader: 'js',
      resolveDir: '.',
      contents: `import { renderManPage } from './src/cli/help.ts';
        export function runAsProcess(plugin) { process.stdout.write(renderManPage(plugin.manual())); }`,
    }));
  },
};
await mkdir('dist/man', { recursive: true });
await Promise.all(
  checks.map(async (name) => {
    const generator = await build({
      ...common,
      entryPoints: [`bin/${name}.ts`],
      format: 'cjs',
      write: false,
      plugins: [manPages, loadAsText],
      define: { ...common.define, 'import.meta.url': '__importMeta.url' },
      banner: { js: 'var __importMeta={url:"file:///"};' },
    });
    const page = execFileSync(process.execPath, ['-'], { input: generator.outputFiles[0].text, encoding: 'utf8' });
    await writeFile(`dist/man/${name}.1`, page);
  }),
);
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
