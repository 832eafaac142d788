import { createCamundaClient } from '../camunda/client';
import { connectionSecrets } from '../camunda/connection';
import { commandLineParser, manualOf } from '../cli/command-line';
import type { Manual, OptionDoc } from '../cli/help';
import { rawConnectionSecrets } from '../cli/connection';
import { describeConnection } from '../cli/plugin';
import { UsageError } from '../plugin/errors';
import type { PluginOutput } from '../plugin/output';
import type { Invocation, Plugin, RunContext } from '../plugin/run';
import { State } from '../plugin/state';
import { VERSION } from '../version';
import { execute, type Plan } from './changes';
import { actionCommandLine, EVENT_STATES, GENERAL_HELP, SUBCOMMANDS, type ActionOptions, type Subcommand } from './command-line';
import { planRetry, planSuspension } from './job-definitions';
import { planDefinitionSuspension } from './process-definitions';

/*
 * camunda_action: the writes an operator makes when a system the processes call goes down and
 * comes back, or in an emergency. A sibling of the checks: the same connection, secrets, timeout
 * and one-line errors (src/plugin/run.ts), its own subcommands. Every subcommand first decides
 * the whole change (the plan), bounded by --max-affected/--max-jobs, then prints it (dry run) or
 * carries it out and reports each change (changes.ts).
 */

const parsers = new Map(SUBCOMMANDS.map((name) => [name, commandLineParser({ ...actionCommandLine(name), secrets: (options: ActionOptions) => connectionSecrets(options.connection) })]));

async function parse(argv: readonly string[]): Promise<Invocation<ActionOptions>> {
  const [first, ...rest] = argv;
  const parser = first === undefined ? undefined : parsers.get(first as Subcommand);
  if (parser) return parser(rest);
  if (first === '-h' || first === '--help' || first === undefined) return { kind: 'info', text: GENERAL_HELP };
  if (first === '-V' || first === '--version') return { kind: 'info', text: `camunda_action ${VERSION} (camunda-monitoring-plugins)` };
  throw new UsageError(`the first argument must be a subcommand: ${SUBCOMMANDS.join(', ')} (see --help)`);
}

/** The event handler's decision: what a host or service state means for the calls to the system it watches. */
function eventPlan(options: Extract<ActionOptions, { kind: 'event' }>): 'suspend' | 'resume' | string {
  const { state, stateType, attempt } = options.event;
  const seen = `${stateType} ${state}${attempt ? ` (attempt ${attempt})` : ''}`;
  if (stateType === 'SOFT') return `${seen}: nothing done, a SOFT state may pass (the action waits for a HARD state)`;
  const action = EVENT_STATES[state];
  // Only the recovery from a HARD problem resumes: Icinga 2 also runs the handler on the first result of a new
  // host (UP after its initial SOFT DOWN) and on the recovery from a SOFT problem, when nothing was suspended.
  const { lastState, lastStateType } = options.event;
  if (action === 'resume' && lastState !== undefined && EVENT_STATES[lastState] === 'resume') return `${seen} after ${lastState}: nothing done, no recovery`;
  if (action === 'resume' && lastStateType === 'SOFT') return `${seen} after ${lastStateType} ${lastState ?? 'problem'}: nothing done, nothing was suspended for a SOFT state`;
  if (action === 'none') return `${seen}: nothing done (HARD CRITICAL, DOWN or UNREACHABLE suspend, HARD OK or UP resume)`;
  return action!;
}

async function plan(options: ActionOptions, client: ReturnType<typeof createCamundaClient>, context: RunContext): Promise<Plan | PluginOutput> {
  switch (options.kind) {
    case 'definitions':
      return planDefinitionSuspension(client, options.definitions, options.subcommand === 'stop');
    case 'jobs':
      if (options.subcommand === 'retry') return planRetry(client, options.jobs, context.log);
      return planSuspension(client, options.jobs, options.subcommand === 'suspend', options.retry, context.log);
    case 'event': {
      const decision = eventPlan(options);
      if (decision !== 'suspend' && decision !== 'resume') return { state: State.OK, summary: decision };
      const planned = await planSuspension(client, options.jobs, decision === 'suspend', decision === 'resume', context.log);
      return { ...planned, about: `${planned.about} (${options.event.stateType} ${options.event.state})` };
    }
  }
}

/** The man page: every subcommand's options once, with the overview of GENERAL_HELP (build.mjs). */
function manual(): Manual {
  const manuals = SUBCOMMANDS.map((name) => manualOf(actionCommandLine(name)));
  const options = new Map<string, OptionDoc>();
  for (const option of manuals.flatMap((m) => m.options)) if (!options.has(option.name)) options.set(option.name, option);
  return {
    command: 'camunda_action',
    version: VERSION,
    // One paragraph: the subcommand table of --help becomes "suspend: …; resume: …".
    description: GENERAL_HELP.split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => line.replace(/^ {2}(\S+) +(.*)$/, '$1: $2;'))
      .join(' '),
    options: [...options.values()],
    examples: manuals.flatMap((m) => m.examples),
    epilogue: manuals[0]!.epilogue,
  };
}

export const actionPlugin: Plugin<ActionOptions> & { manual(): Manual } = {
  prefix: 'CAMUNDA ACTION',
  manual,
  rawSecrets: (argv) => rawConnectionSecrets(argv),
  parse,
  async check(options, context) {
    context.log.log(2, `connection: ${describeConnection(options.connection)}; timeout ${context.timeoutSeconds}s; ${options.apply ? 'APPLY' : 'dry run'}`);
    const client = createCamundaClient(options.connection, context);
    const planned = await plan(options, client, context);
    if (!('steps' in planned)) return planned;
    return execute(planned, options.apply, context.deadline);
  },
};
