/*
 * Preload (`node --require test/support/compiled-functions.cjs <check> ...`) that records every
 * function a process compiles from text with `new Function(...)`: the built checks carry their
 * rarely needed modules (the BPMN reader) as text and compile them only when a run imports
 * them (scripts/build.mjs). One line per compiled body is appended to the file named by
 * COMPILED_FUNCTIONS_LOG: `compiled <characters> <what it is>`; `loaded` first, so a log without
 * `compiled` lines proves the preload ran and nothing was compiled.
 */
'use strict';
const { appendFileSync } = require('node:fs');

const log = process.env.COMPILED_FUNCTIONS_LOG;
if (!log) throw new Error('compiled-functions.cjs: set COMPILED_FUNCTIONS_LOG to the file to write to');

/** The modules the build carries as text, told apart by text only each of them contains. */
const FINGERPRINTS = [
  // bpmn-moddle's metamodel names the BPMN 2.0 namespace.
  ['bpmn-reader', 'http://www.omg.org/spec/BPMN/20100524/MODEL'],
];

const original = globalThis.Function;
appendFileSync(log, 'loaded\n');
globalThis.Function = new Proxy(original, {
  construct(target, args, newTarget) {
    const body = String(args.at(-1) ?? '');
    const [what = 'other'] = FINGERPRINTS.filter(([, text]) => body.includes(text)).map(([name]) => name);
    appendFileSync(log, `compiled ${body.length} ${what}\n`);
    return Reflect.construct(target, args, newTarget === globalThis.Function ? target : newTarget);
  },
});
