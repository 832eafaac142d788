import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessModelFacts } from '../../src/camunda/bpmn-model';
import { defaultCacheDirectories, openModelCache } from '../../src/camunda/model-cache';
import type { Logger } from '../../src/plugin/log';

const FACTS: ProcessModelFacts = {
  processId: 'invoice',
  name: 'Invoice',
  sla: ['P5D'],
  warning: [],
  elements: [{ id: 'approve', name: 'Approve', type: 'userTask', sla: ['PT4H'], warning: ['PT3H'] }],
};

const logged: string[] = [];
const log: Logger = { level: 2, log: (_level, message) => void logged.push(message) };
let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'model-cache-'));
  logged.length = 0;
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('openModelCache', () => {
  it('keeps the facts of a definition id across runs, in a private directory it creates', async () => {
    const directory = join(base, 'cache');
    const first = openModelCache([directory], 'http://a/engine-rest', log);
    expect(first.directory).toBe(directory);
    expect(first.read('invoice:2:abc')).toBeUndefined();
    first.write('invoice:2:abc', FACTS);
    const second = openModelCache([directory], 'http://a/engine-rest', log);
    expect(second.read('invoice:2:abc')).toEqual(FACTS);
    expect(second.read('invoice:1:abc')).toBeUndefined();
    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{16}\.json$/);
    expect(second.problem).toBeUndefined();
  });

  it('keeps engines apart: the same id on another engine is another model', async () => {
    const directory = join(base, 'cache');
    openModelCache([directory], 'http://a/engine-rest', log).write('invoice:1:1', FACTS);
    expect(openModelCache([directory], 'http://b/engine-rest', log).read('invoice:1:1')).toBeUndefined();
  });

  it('reads a named pipe in place of an entry as a miss, at once (opening it for reading would wait for a writer)', async () => {
    const directory = join(base, 'cache');
    const cache = openModelCache([directory], 'scope', log);
    cache.write('invoice:1:1', FACTS);
    const [file] = await readdir(directory);
    await rm(join(directory, file!));
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(directory, file!)]);
    expect(cache.read('invoice:1:1')).toBeUndefined();
    expect(logged.join('\n')).toContain('model cache: cannot read the entry for invoice:1:1: NOT_REGULAR');
  });

  it('reads an entry that is damaged or not its own as a miss', async () => {
    const directory = join(base, 'cache');
    const cache = openModelCache([directory], 'scope', log);
    cache.write('invoice:1:1', FACTS);
    const [file] = await readdir(directory);
    await writeFile(join(directory, file!), '{"format":1,"scope":');
    expect(cache.read('invoice:1:1')).toBeUndefined();
    cache.write('invoice:1:1', FACTS);
    const good = JSON.parse(await readFile(join(directory, file!), 'utf8'));
    await writeFile(join(directory, file!), JSON.stringify({ ...good, definitionId: 'invoice:9:9' }));
    expect(cache.read('invoice:1:1')).toBeUndefined();
    await writeFile(join(directory, file!), JSON.stringify({ ...good, facts: { ...FACTS, elements: [{ id: 1 }] } }));
    expect(cache.read('invoice:1:1')).toBeUndefined();
  });

  it('writes through a temporary file and leaves none behind, also with many writers in turn', async () => {
    const directory = join(base, 'cache');
    const caches = Array.from({ length: 8 }, () => openModelCache([directory], 'scope', log));
    for (const cache of caches) cache.write('invoice:1:1', FACTS);
    expect(await readdir(directory)).toHaveLength(1);
    expect(caches[0]!.read('invoice:1:1')).toEqual(FACTS);
  });

  it.skipIf(process.getuid === undefined)('does not use a directory other users can write to, and takes the next candidate', async () => {
    const open = join(base, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    const fallback = join(base, 'private');
    const cache = openModelCache([open, fallback], 'scope', log);
    expect(cache.directory).toBe(fallback);
    expect(logged.join('\n')).toContain(`${open} is writable by other users`);
  });

  it('works without cache when no directory is usable, and says so', async () => {
    const file = join(base, 'file');
    await writeFile(file, '');
    const cache = openModelCache([file, join(file, 'below')], 'scope', log);
    expect(cache.directory).toBeUndefined();
    expect(cache.problem).toMatch(/^model cache not used \(.*\): every run reads the BPMN models; set --cache-dir$/);
    cache.write('x', FACTS);
    expect(cache.read('x')).toBeUndefined();
  });

  it('reports a directory it cannot write into, and goes on', async () => {
    const directory = join(base, 'gone');
    const cache = openModelCache([directory], 'scope', log);
    // Replaced by a file after the check chose it: no user, root neither, can write below it.
    await rm(directory, { recursive: true });
    await writeFile(directory, '');
    cache.write('x', FACTS);
    expect(cache.problem).toBe(`model cache ${directory} cannot be written (ENOTDIR): every run reads the BPMN models`);
    expect(cache.read('x')).toBeUndefined();
  });
});

describe('defaultCacheDirectories', () => {
  it('prefers XDG_CACHE_HOME, then ~/.cache, then a private directory in the temporary directory', () => {
    const uid = process.getuid?.();
    expect(defaultCacheDirectories({ XDG_CACHE_HOME: '/xdg', HOME: '/var/lib/nagios', TMPDIR: '/run/tmp/' }, () => '/var/lib/nagios')).toEqual([
      '/xdg/camunda-monitoring-plugins',
      '/var/lib/nagios/.cache/camunda-monitoring-plugins',
      `/run/tmp/camunda-monitoring-plugins-${uid}`,
    ]);
    // As os.tmpdir() reads it: TMPDIR, else /tmp.
    expect(defaultCacheDirectories({}, () => undefined)).toEqual([`/tmp/camunda-monitoring-plugins-${uid}`]);
  });

  it('ignores relative directories, as the XDG specification says for XDG_CACHE_HOME', () => {
    expect(defaultCacheDirectories({ XDG_CACHE_HOME: 'relative', HOME: 'home', TMPDIR: 'tmp' }, () => 'relative-home')).toEqual([`/tmp/camunda-monitoring-plugins-${process.getuid?.()}`]);
  });

  // Nagios started from root's environment: HOME=/root, which the nagios user cannot use; the
  // shared temporary directory would be the only place left without the password database.
  it.skipIf(process.getuid === undefined)("adds the running user's home from the password database when HOME is someone else's or missing", async () => {
    const uid = process.getuid!();
    const foreign = join(base, 'foreign-home');
    await mkdir(foreign);
    const asked: string[] = [];
    const passwd = () => (asked.push('asked'), '/home/monitor');
    if (uid !== 0) {
      // Only root can give a directory away; for others, a directory they do not own is one of root's.
      expect(defaultCacheDirectories({ HOME: '/' }, passwd)).toEqual(['/.cache/camunda-monitoring-plugins', '/home/monitor/.cache/camunda-monitoring-plugins', `/tmp/camunda-monitoring-plugins-${uid}`]);
    } else {
      const { chown } = await import('node:fs/promises');
      await chown(foreign, 65534, 65534);
      expect(defaultCacheDirectories({ HOME: foreign }, passwd)).toEqual([join(foreign, '.cache/camunda-monitoring-plugins'), '/home/monitor/.cache/camunda-monitoring-plugins', `/tmp/camunda-monitoring-plugins-${uid}`]);
    }
    expect(defaultCacheDirectories({}, passwd)).toEqual(['/home/monitor/.cache/camunda-monitoring-plugins', `/tmp/camunda-monitoring-plugins-${uid}`]);
    asked.length = 0;
    // HOME that is ours: the password database is not asked (node:os stays unloaded).
    expect(defaultCacheDirectories({ HOME: base }, passwd)).toEqual([join(base, '.cache/camunda-monitoring-plugins'), `/tmp/camunda-monitoring-plugins-${uid}`]);
    expect(asked).toEqual([]);
    // The real lookup answers with this process's home.
    const { userInfo } = await import('node:os');
    expect(defaultCacheDirectories({})).toContain(join(userInfo().homedir, '.cache/camunda-monitoring-plugins'));
  });
});
