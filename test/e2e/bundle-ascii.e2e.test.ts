import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtCheck } from '../support/executables';

/*
 * Node reads a script as UTF-8: one character outside ASCII anywhere in a bundle makes V8 hold
 * the whole source as a two-byte string (twice the bundle in memory, a large object in the young
 * generation). In check_camunda_incidents a raw `…` in three regular expression literals, which
 * esbuild leaves as written, was enough to trigger a scavenge at every start (2–3 ms of CPU, see
 * bench/README.md). Write such characters as `\u…` escapes in regular expressions; esbuild
 * escapes them in strings and templates by itself.
 */

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { bin: Record<string, string> };

describe('built executables', () => {
  it.each(Object.keys(pkg.bin))('%s is plain ASCII', (name) => {
    const text = readFileSync(builtCheck(name), 'latin1');
    const offending = [...text.matchAll(/[^\x00-\x7f]+/g)].map((m) => text.slice(Math.max(0, m.index - 30), m.index + 10));
    expect(offending).toEqual([]);
  });
});
