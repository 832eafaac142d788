import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../plugin/log';
import type { ProcessModelFacts } from './bpmn-model';

/*
 * A definition's BPMN XML never changes for its id, so what check_camunda_sla reads from it is
 * kept on disk: a warm run sends count requests only. One small file per definition id and
 * engine, written to a temporary file and renamed, so concurrent runs never see half a file.
 * What the files say decides which alarms fire, so the directory must belong to the user the
 * checks run as and be writable by nobody else; otherwise the cache is not used.
 */

const FORMAT = 1;
const APPLICATION = 'camunda-monitoring-plugins';

export interface ModelCache {
  /** The directory in use; undefined when none could be used (every run then reads the models). */
  readonly directory: string | undefined;
  /** Why the cache is not used or could not be written, for the long output; undefined while all is well. */
  readonly problem: string | undefined;
  read(definitionId: string): Promise<ProcessModelFacts | undefined>;
  write(definitionId: string, facts: ProcessModelFacts): Promise<void>;
}

/** Where the cache lives when --cache-dir is not given, best first: the user's cache directory, else a private one in the temporary directory. */
export function defaultCacheDirectories(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  if (env.XDG_CACHE_HOME?.startsWith('/')) candidates.push(join(env.XDG_CACHE_HOME, APPLICATION));
  try {
    const home = homedir();
    if (home.startsWith('/')) candidates.push(join(home, '.cache', APPLICATION));
  } catch {
    // A user without home directory: the temporary directory remains.
  }
  candidates.push(join(tmpdir(), `${APPLICATION}-${process.getuid?.() ?? 'user'}`));
  return candidates;
}

/** Creates the directory (private) if needed and says why it cannot be trusted, or undefined when it can. */
async function refusal(directory: string): Promise<string | undefined> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const stats = await lstat(directory);
    if (!stats.isDirectory()) return `${directory} is not a directory`;
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) return `${directory} belongs to another user`;
    if ((stats.mode & 0o022) !== 0) return `${directory} is writable by other users`;
    return undefined;
  } catch (error) {
    return `${directory}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The cache for one engine (`scope`: its REST URL and engine name) and one SLA property name, whose
 * facts depend on it. File names are hashes: definition ids and URLs may hold any character.
 */
export async function openModelCache(directories: readonly string[], scope: string, log: Logger): Promise<ModelCache> {
  const scopeHash = hash(scope);
  let directory: string | undefined;
  const refusals: string[] = [];
  for (const candidate of directories) {
    const reason = await refusal(candidate);
    if (reason === undefined) {
      directory = candidate;
      break;
    }
    refusals.push(reason);
    log.log(1, `model cache: not using ${reason}`);
  }
  let problem = directory === undefined ? `model cache not used (${refusals.join('; ')}): every run reads the BPMN models; set --cache-dir` : undefined;
  const fileOf = (definitionId: string) => join(directory!, `${hash(`${scopeHash}\u0000${definitionId}`).slice(0, 40)}.json`);

  return {
    directory,
    get problem() {
      return problem;
    },
    async read(definitionId) {
      if (directory === undefined) return undefined;
      try {
        const entry = JSON.parse(await readFile(fileOf(definitionId), 'utf8')) as Partial<CacheEntry>;
        if (entry.format === FORMAT && entry.scope === scopeHash && entry.definitionId === definitionId && isFacts(entry.facts)) return entry.facts;
        log.log(2, `model cache: entry for ${definitionId} does not match, reading the model again`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.log(1, `model cache: cannot read the entry for ${definitionId}: ${(error as Error).message}`);
      }
      return undefined;
    },
    async write(definitionId, facts) {
      if (directory === undefined) return;
      const file = fileOf(definitionId);
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const entry: CacheEntry = { format: FORMAT, scope: scopeHash, definitionId, facts };
      try {
        await writeFile(temporary, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
        await rename(temporary, file);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        problem ??= `model cache ${directory} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): every run reads the BPMN models`;
        log.log(1, `model cache: ${problem}`);
      }
    },
  };
}

interface CacheEntry {
  readonly format: number;
  readonly scope: string;
  readonly definitionId: string;
  readonly facts: ProcessModelFacts;
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isNameOrNull = (value: unknown) => value === null || typeof value === 'string';

/** An entry written by another version of the plugins, or edited by hand, is read again rather than trusted. */
function isFacts(value: unknown): value is ProcessModelFacts {
  const facts = value as ProcessModelFacts | null;
  return (
    typeof facts === 'object' &&
    facts !== null &&
    typeof facts.processId === 'string' &&
    isNameOrNull(facts.name) &&
    isStrings(facts.sla) &&
    isStrings(facts.warning) &&
    Array.isArray(facts.elements) &&
    facts.elements.every((e) => typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.type === 'string' && isNameOrNull(e.name) && isStrings(e.sla) && isStrings(e.warning))
  );
}
