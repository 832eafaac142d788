import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * check_camunda_sla keeps what it read from the BPMN models in a cache directory. Every test file
 * gives its runs a private one (`--cache-dir`), created before its tests and removed after them:
 * no test touches ~/.cache, and no test sees entries another one wrote.
 * Call it at the top of a test file or describe block; the returned function gives the path.
 */
export function privateCacheDir(prefix = 'sla-cache-'): () => string {
  let path: string | undefined;
  beforeAll(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (path !== undefined) rmSync(path, { recursive: true, force: true });
  });
  return () => {
    if (path === undefined) throw new Error('privateCacheDir(): the directory exists only while the tests of its block run');
    return path;
  };
}
