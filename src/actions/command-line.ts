import type { Argv } from 'yargs';
import type { ConnectionOptions } from '../camunda/connection';
import { integerOption, lastString, nonBlankString, optionKey, stringList, type Args } from '../cli/args';
import { cacheDirectoriesFromArgs, cacheDirOption } from '../cli/cache-dir';
import { VALUE } from '../cli/check-options';
import type { CommandLine } from '../cli/command-line';
import { connectionFromArgs, connectionOptions } from '../cli/connection';
import { choiceOption } from '../cli/selection';
import { UsageError } from '../plugin/errors';
import { cleanText } from '../plugin/text';
import type { JobActionOptions } from './job-definitions';
import type { DefinitionActionOptions } from './process-definitions';
import type { ActivitySelection } from './selection';

/** The command lines of camunda_action's subcommands: each has its own options and --help. */

export const SUBCOMMANDS = ['suspend', 'resume', 'retry', 'stop', 'start', 'event'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export const DEFAULTS = {
  /** Job definitions or process definition versions one run may change. */
  maxAffected: 20,
  /** Failed jobs and external tasks one run may give new retries (one request each). */
  maxJobs: 500,
  retries: 1,
  property: 'system',
} as const;

/** Host and service states of Icinga 2 and Nagios, and what the event handler does on them (HARD only). */
export const EVENT_STATES: Readonly<Record<string, 'suspend' | 'resume' | 'none'>> = {
  DOWN: 'suspend',
  UNREACHABLE: 'suspend',
  CRITICAL: 'suspend',
  UP: 'resume',
  OK: 'resume',
  WARNING: 'none',
  UNKNOWN: 'none',
};

export type ActionOptions =
  | { readonly kind: 'jobs'; readonly subcommand: 'suspend' | 'resume' | 'retry'; readonly connection: ConnectionOptions; readonly apply: boolean; readonly retry: boolean; readonly jobs: JobActionOptions }
  | { readonly kind: 'definitions'; readonly subcommand: 'stop' | 'start'; readonly connection: ConnectionOptions; readonly apply: boolean; readonly definitions: DefinitionActionOptions }
  | {
      readonly kind: 'event';
      readonly subcommand: 'event';
      readonly connection: ConnectionOptions;
      readonly apply: boolean;
      readonly jobs: JobActionOptions;
      readonly event: {
        readonly state: string;
        readonly stateType: 'HARD' | 'SOFT';
        readonly lastState?: string | undefined;
        readonly lastStateType?: 'HARD' | 'SOFT' | undefined;
        readonly attempt?: string | undefined;
      };
    };

const SAFETY = 'Safety:';
const SELECTION = 'Selection (repeat an option for several values):';
const RETRIES = 'Retries:';
const EVENT = 'Event handler (Icinga/Nagios macros):';

function applyOption(argv: Argv): Argv {
  return argv.option('apply', { type: 'boolean', group: SAFETY, describe: 'Make the changes; without it a dry run lists them and changes nothing' });
}

function safetyOptions(argv: Argv): Argv {
  return applyOption(argv).option('max-affected', {
      ...VALUE,
      group: SAFETY,
      describe: 'More selected job definitions or process definition versions than this end UNKNOWN, nothing changed',
      defaultDescription: String(DEFAULTS.maxAffected),
    });
}

function activityOptions(argv: Argv): Argv {
  return argv
    .option('system', { ...VALUE, group: SELECTION, describe: 'Target system: activities whose BPMN property (--property) has this value' })
    .option('property', { ...VALUE, group: SELECTION, describe: 'Extension property naming the system on the calling element', defaultDescription: DEFAULTS.property })
    .option('activity-match', { ...VALUE, group: SELECTION, describe: 'Regular expression on activity id and name (case-insensitive)' })
    .option('activity-id', { ...VALUE, group: SELECTION, describe: 'Only this activity (BPMN element id)' })
    .option('process-definition-key', { ...VALUE, alias: 'k', group: SELECTION, describe: 'Only this process definition, all its versions' })
    .option('tenant-id', { ...VALUE, group: SELECTION, describe: 'Only definitions of this tenant' })
    .option('cache-dir', cacheDirOption(SELECTION));
}

function retryOptions(argv: Argv): Argv {
  return argv
    .option('retries', { ...VALUE, group: RETRIES, describe: 'Retries given to each failed job or external task', defaultDescription: String(DEFAULTS.retries) })
    .option('max-jobs', {
      ...VALUE,
      group: RETRIES,
      describe: 'More failed jobs and external tasks than this end UNKNOWN, nothing changed (one request each)',
      defaultDescription: String(DEFAULTS.maxJobs),
    });
}

const common = (argv: Argv) => safetyOptions(connectionOptions(argv));

const OPTIONS: Record<Subcommand, (argv: Argv) => Argv> = {
  suspend: (argv) => activityOptions(common(argv)),
  resume: (argv) =>
    retryOptions(activityOptions(common(argv))).option('retry', { type: 'boolean', group: RETRIES, describe: 'Also give the failed jobs and external tasks of the selection new retries' }),
  // retry changes no job definition: --max-jobs bounds it.
  retry: (argv) =>
    retryOptions(activityOptions(applyOption(connectionOptions(argv))))
      .option('message-like', { ...VALUE, group: RETRIES, describe: "Only failures whose message is LIKE this ('%' any text, '_' one character)" })
      .option('only', { ...VALUE, group: RETRIES, describe: 'Only failed jobs or only failed external tasks: jobs, external-tasks', defaultDescription: 'both' }),
  stop: (argv) =>
    common(argv)
      .option('process-definition-key', { ...VALUE, alias: 'k', group: SELECTION, describe: 'Process definition to stop, all its versions (required)' })
      .option('tenant-id', { ...VALUE, group: SELECTION, describe: 'Only definitions of this tenant' }),
  start: (argv) =>
    common(argv)
      .option('process-definition-key', { ...VALUE, alias: 'k', group: SELECTION, describe: 'Process definition to start again, all its versions (required)' })
      .option('tenant-id', { ...VALUE, group: SELECTION, describe: 'Only definitions of this tenant' }),
  event: (argv) =>
    retryOptions(activityOptions(common(argv)))
      .option('state', { ...VALUE, group: EVENT, describe: 'State of the watched host or service: UP, DOWN, UNREACHABLE, OK, WARNING, CRITICAL, UNKNOWN' })
      .option('state-type', { ...VALUE, group: EVENT, describe: 'SOFT or HARD; SOFT states change nothing' })
      .option('last-state', { ...VALUE, group: EVENT, describe: 'State before this one: OK or UP after OK or UP is no recovery, changes nothing' })
      .option('last-state-type', { ...VALUE, group: EVENT, describe: 'Its type: OK or UP after a SOFT problem changes nothing (nothing was suspended)' })
      .option('attempt', { ...VALUE, group: EVENT, describe: 'Check attempt, for the output only' }),
};

function activitySelection(args: Args): ActivitySelection {
  const text = lastString(args, 'activityMatch');
  let activityMatch: RegExp | undefined;
  if (text !== undefined) {
    try {
      activityMatch = new RegExp(text, 'i');
    } catch (error) {
      throw new UsageError(`--activity-match: '${cleanText(text, 80)}' is not a regular expression (${(error as Error).message})`);
    }
  }
  const selection: ActivitySelection = {
    scope: { keys: stringList(args, 'process-definition-key'), tenantIds: stringList(args, 'tenant-id') },
    system: nonBlankString(args, 'system', 'leave the option out to select by other means')?.trim(),
    property: nonBlankString(args, 'property', `leave the option out for '${DEFAULTS.property}'`)?.trim() ?? DEFAULTS.property,
    activityMatch,
    activityIds: stringList(args, 'activity-id'),
  };
  if (selection.system === undefined && !activityMatch && selection.activityIds.length === 0 && selection.scope.keys.length === 0) {
    throw new UsageError('select what to act on: --system, --activity-match, --activity-id or -k/--process-definition-key');
  }
  return selection;
}

function jobActionOptions(args: Args, subcommand: Subcommand): JobActionOptions {
  // resume --retry and the event handler's resume retry both: the failed calls of the system, whatever runs them.
  const only = subcommand === 'retry' ? choiceOption(args, 'only', ['jobs', 'external-tasks', 'both'] as const, 'both') : 'both';
  return {
    selection: activitySelection(args),
    settings: { connection: connectionFromArgs(args), cacheDirectories: cacheDirectoriesFromArgs(args) },
    maxAffected: integerOption(args, 'max-affected', 1, 10_000) ?? DEFAULTS.maxAffected,
    maxJobs: integerOption(args, 'max-jobs', 1, 100_000) ?? DEFAULTS.maxJobs,
    retries: integerOption(args, 'retries', 1, 1000) ?? DEFAULTS.retries,
    messageLike: nonBlankString(args, 'message-like', 'leave the option out for every failure'),
    retryKinds: { jobs: only !== 'external-tasks', externalTasks: only !== 'jobs' },
  };
}

function stateOption(args: Args, option: string, macros: string): string {
  const state = lastString(args, optionKey(option))?.trim().toUpperCase();
  if (state === undefined || !(state in EVENT_STATES)) {
    throw new UsageError(`--${option}: '${cleanText(state ?? '', 40)}' is not a host or service state (${Object.keys(EVENT_STATES).join(', ')}); pass ${macros}`);
  }
  return state;
}

function stateTypeOption(args: Args, option: string, macros: string): 'HARD' | 'SOFT' {
  const stateType = lastString(args, optionKey(option))?.trim().toUpperCase();
  if (stateType !== 'HARD' && stateType !== 'SOFT') throw new UsageError(`--${option}: '${cleanText(stateType ?? '', 40)}' is neither SOFT nor HARD; pass ${macros}`);
  return stateType;
}

function eventOptions(args: Args): Extract<ActionOptions, { kind: 'event' }>['event'] {
  const given = (option: string) => lastString(args, optionKey(option)) !== undefined;
  return {
    state: stateOption(args, 'state', '$host.state$ or $service.state$'),
    stateType: stateTypeOption(args, 'state-type', '$service.state_type$ or $SERVICESTATETYPE$'),
    lastState: given('last-state') ? stateOption(args, 'last-state', '$host.last_state$ or $LASTHOSTSTATE$') : undefined,
    lastStateType: given('last-state-type') ? stateTypeOption(args, 'last-state-type', '$host.last_state_type$') : undefined,
    attempt: lastString(args, 'attempt')?.trim(),
  };
}

function toOptions(subcommand: Subcommand, args: Args): ActionOptions {
  const apply = args.apply === true;
  if (subcommand === 'stop' || subcommand === 'start') {
    const keys = stringList(args, 'process-definition-key');
    if (keys.length === 0) throw new UsageError(`${subcommand} needs -k/--process-definition-key: the process definition to ${subcommand}`);
    return {
      kind: 'definitions',
      subcommand,
      connection: connectionFromArgs(args),
      apply,
      definitions: { scope: { keys, tenantIds: stringList(args, 'tenant-id') }, maxAffected: integerOption(args, 'max-affected', 1, 10_000) ?? DEFAULTS.maxAffected },
    };
  }
  const jobs = jobActionOptions(args, subcommand);
  if (subcommand === 'event') return { kind: 'event', subcommand, connection: jobs.settings.connection, apply, jobs, event: eventOptions(args) };
  return { kind: 'jobs', subcommand, connection: jobs.settings.connection, apply, retry: subcommand === 'retry' || args.retry === true, jobs };
}

const DESCRIPTIONS: Record<Subcommand, string> = {
  suspend: 'Suspends the job definitions of a target system, with their jobs: the calls wait instead of failing and burning retries.',
  resume: 'Activates the job definitions of a target system and their jobs; with --retry also gives their failed jobs and the failed external tasks of the same activities new retries, which resolves their incidents.',
  retry: 'Gives the failed jobs and failed external tasks of a selection new retries, which resolves their incidents.',
  stop: 'Emergency stop: suspends every version of the process definitions with their instances (and, by the engine, their job definitions).',
  start: 'Activates every version of the process definitions with their instances (and, by the engine, all their job definitions).',
  event: 'Event handler: on a HARD CRITICAL, DOWN or UNREACHABLE state of the host or service that watches the target system, suspend; on a HARD OK or UP, resume --retry; nothing on SOFT states.',
};

const EXAMPLES: Record<Subcommand, readonly (readonly [string, string])[]> = {
  suspend: [
    ['$0 --url http://camunda:8080/engine-rest --system SAP', 'dry run: lists the job definitions of the SAP calls'],
    ['$0 --system SAP --apply', 'suspends them'],
    ['$0 --activity-match "sap|erp" -k invoice --apply', 'by naming convention, in one process definition'],
  ],
  resume: [['$0 --system SAP --retry --apply', 'activates the SAP calls and retries the failed ones']],
  retry: [
    ['$0 --activity-id ServiceTask_PostToSAP --message-like "%SocketTimeout%"', 'dry run: the failures of one activity with that message'],
    ['$0 -k invoice --retries 3 --apply', 'every failed job and external task of invoice'],
  ],
  stop: [['$0 -k invoice --apply', 'suspends every version of invoice with its instances']],
  start: [['$0 -k invoice --apply', 'activates them again']],
  event: [['$0 --system SAP --state "$host.state$" --state-type "$host.state_type$" --last-state "$host.last_state$" --apply', 'as an Icinga 2 EventCommand of the host sap-prod']],
};

const EPILOGUE = [
  'Without --apply nothing changes: the long output lists what would. Job definitions, versions,',
  'jobs already in the wanted state are reported as such and left alone.',
  '',
  'Exit codes: 0 done (or dry run), 2 a change failed part way (the output says which were',
  'applied), 3 wrong command line, engine unreachable, or a selection that matches nothing or too',
  'much (nothing changed). Permissions the action user needs: docs/camunda_action.md.',
].join('\n');

export function actionCommandLine(subcommand: Subcommand): Omit<CommandLine<ActionOptions>, 'secrets'> {
  return {
    command: `camunda_action ${subcommand}`,
    description: DESCRIPTIONS[subcommand],
    examples: EXAMPLES[subcommand],
    epilogue: EPILOGUE,
    options: OPTIONS[subcommand],
    toOptions: (args) => toOptions(subcommand, args),
  };
}

export const GENERAL_HELP = [
  'Usage: camunda_action SUBCOMMAND [options]',
  '',
  "An operator's interventions on a Camunda 7 engine, from the command line or as an",
  'Icinga/Nagios event handler. Dry run unless --apply is given.',
  '',
  ...SUBCOMMANDS.map((name) => `  ${name.padEnd(8)} ${{ suspend: 'suspend the job definitions (calls) of a target system', resume: 'activate them again; --retry: retry their failed jobs', retry: 'new retries for failed jobs and external tasks', stop: 'suspend process definitions with their instances', start: 'activate process definitions with their instances', event: 'suspend or resume on the state of a host or service' }[name]}`),
  '',
  'camunda_action SUBCOMMAND --help shows the options of a subcommand.',
  'Options every subcommand takes: connection (--url, --username, --password-file,',
  '--token-file, TLS), -t/--timeout, -v, --apply.',
].join('\n');
