import { isAbsolute } from 'node:path';
import { defaultCacheDirectories } from '../camunda/model-cache';
import { UsageError } from '../plugin/errors';
import { cleanText } from '../plugin/text';
import { nonBlankString, type Args } from './args';
import { VALUE } from './check-options';

/** --cache-dir: where what was read from the BPMN models is kept (check_camunda_sla, camunda_action). */
export function cacheDirOption(group: string) {
  return { ...VALUE, group, describe: 'Directory for what was read from the models (private to the user running the checks)', defaultDescription: '~/.cache/camunda-monitoring-plugins' } as const;
}

/** The directories to try for the model cache: the one given, else the defaults. */
export function cacheDirectoriesFromArgs(args: Args): string[] {
  const cacheDir = nonBlankString(args, 'cache-dir', 'leave the option out for the default');
  // Monitoring cores start plugins in directories of their own choosing.
  if (cacheDir !== undefined && !isAbsolute(cacheDir)) throw new UsageError(`--cache-dir: '${cleanText(cacheDir, 80)}' is not an absolute path`);
  return cacheDir === undefined ? defaultCacheDirectories() : [cacheDir];
}
