import { lstatSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinModule } from '../plugin/builtin';
import { readSmallRegularFile } from '../plugin/files';
import type { Logger } from '../plugin/log';
import { fnv1a } from '../plugin/text';
import type { ProcessModelFacts } from './bpmn-model';

/*
 * A definition's BPMN XML never changes for its id, so what check_camunda_sla reads from it is
 * kept on disk: a warm run sends count requests only. One small file per definition id and
 * engine, written to a temporary file and renamed, so concurrent runs never see half a file.
 * What the files say decides which alarms fire, so the directory must belong to the user the
 * checks run as and be writable by nobody else; otherwise the cache is not used. Plain synchronous
 * node:fs on a few small local files: fs/promises, os and crypto would add some 25 internal modules
 * to every start.
 */

const FORMAT = 1;
/** An entry lists a model's elements with SLAs: a few KiB; anything near this is not an entry. */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
const APPLICATION = 'camunda-monitoring-plugins';

export interface ModelCache {
  /** The directory in use; undefined when none could be used (every run then reads the models). */
  readonly directory: string | undefined;
  /** Why the cache is not used or could not be written, for the long output; undefined while all is well. */
  readonly problem: string | undefined;
  read(definitionId: string): ProcessModelFacts | undefined;
  write(definitionId: string, facts: ProcessModelFacts): void;
}

/**
 * Where the cache lives when --cache-dir is not given, best first: the user's cache directory, else
 * a private one in the temporary directory (HOME and TMPDIR as os.homedir() and os.tmpdir() read them).
 * A HOME that is not the running user's (Nagios started from root's environment, `su` without `-`)
 * is followed by the home the password database gives the user, as `ssh` and `cron` take it.
 * Looking that up costs loading node:os (about 0.7 ms, 2 modules on Node 20; bench/README.md), so it
 * is done only when HOME is missing or belongs to someone else, which one stat tells.
 */
export function defaultCacheDirectories(env: NodeJS.ProcessEnv = process.env, userHome: () => string | undefined = homeFromPasswordDatabase): string[] {
  const candidates: string[] = [];
  if (env.XDG_CACHE_HOME?.startsWith('/')) candidates.push(join(env.XDG_CACHE_HOME, APPLICATION));
  const home = env.HOME?.startsWith('/') ? env.HOME : undefined;
  if (home !== undefined) candidates.push(join(home, '.cache', APPLICATION));
  if (home === undefined || !ownedByUs(home)) {
    const own = userHome();
    if (own?.startsWith('/') && own !== home) candidates.push(join(own, '.cache', APPLICATION));
  }
  const temporary = env.TMPDIR?.startsWith('/') ? env.TMPDIR.replace(/(.)\/+$/, '$1') : '/tmp';
  candidates.push(join(temporary, `${APPLICATION}-${process.getuid?.() ?? 'user'}`));
  return candidates;
}

function ownedByUs(path: string): boolean {
  const uid = process.getuid?.();
  try {
    return uid === undefined || statSync(path).uid === uid;
  } catch {
    return false;
  }
}

/** The running user's home from the password database (getpwuid_r), not from the environment. */
function homeFromPasswordDatabase(): string | undefined {
  try {
    return builtinModule<typeof import('node:os')>('node:os').userInfo().homedir;
  } catch {
    return undefined;
  }
}

/** Creates the directory (private) if needed and says why it cannot be trusted, or undefined when it can. */
function refusal(directory: string): string | undefined {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stats = lstatSync(directory);
    if (!stats.isDirectory()) return `${directory} is not a directory`;
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) return `${directory} belongs to another user`;
    if ((stats.mode & 0o022) !== 0) return `${directory} is writable by other users`;
    return undefined;
  } catch (error) {
    return `${directory}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

/** 64 bits of hash: a collision costs a cache miss (each entry names its scope and id), never a wrong answer. */
const hash = (text: string): string => fnv1a(text) + fnv1a(text, 0x2f6b1d3b);

/** Temporary file names of this process: the pid tells processes apart, the counter writes. */
let written = 0;

/**
 * The cache for one engine (`scope`: its REST URL and engine name) and one SLA property name, whose
 * facts depend on it. File names are hashes: definition ids and URLs may hold any character.
 */
export function openModelCache(directories: readonly string[], scope: string, log: Logger): ModelCache {
  const scopeHash = hash(scope);
  let directory: string | undefined;
  const refusals: string[] = [];
  for (const candidate of directories) {
    const reason = refusal(candidate);
    if (reason === undefined) {
      directory = candidate;
      break;
    }
    refusals.push(reason);
    log.log(1, `model cache: not using ${reason}`);
  }
  let problem = directory === undefined ? `model cache not used (${refusals.join('; ')}): every run reads the BPMN models; set --cache-dir` : undefined;
  const fileOf = (definitionId: string) => join(directory!, `${hash(`${scopeHash}\u0000${definitionId}`)}.json`);

  return {
    directory,
    get problem() {
      return problem;
    },
    read(definitionId) {
      if (directory === undefined) return undefined;
      try {
        // Read as secrets are: a pipe or device put in place of an entry must not hold the run past --timeout.
        const entry = JSON.parse(readSmallRegularFile(fileOf(definitionId), MAX_ENTRY_BYTES)) as Partial<CacheEntry>;
        if (entry.format === FORMAT && entry.scope === scopeHash && entry.definitionId === definitionId && isFacts(entry.facts)) return entry.facts;
        log.log(2, `model cache: entry for ${definitionId} does not match, reading the model again`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.log(1, `model cache: cannot read the entry for ${definitionId}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return undefined;
    },
    write(definitionId, facts) {
      if (directory === undefined) return;
      const file = fileOf(definitionId);
      const temporary = `${file}.${process.pid}.${++written}.tmp`;
      const entry: CacheEntry = { format: FORMAT, scope: scopeHash, definitionId, facts };
      try {
        writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
        renameSync(temporary, file);
      } catch (error) {
        try {
          unlinkSync(temporary);
        } catch {
          // Not written at all.
        }
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
