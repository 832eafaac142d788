import type { ConnectionOptions } from '../camunda/connection';
import { connectionSecrets } from '../camunda/connection';
import type { PluginOutput } from '../plugin/output';
import type { Plugin, RunContext } from '../plugin/run';
import { commandLineParser, type CommandLine } from './command-line';
import { rawConnectionSecrets } from './connection';

/** A Camunda check: its command line plus the function that answers the operator's question. */
export interface CamundaCheck<O extends { readonly connection: ConnectionOptions }> {
  readonly prefix: string;
  readonly commandLine: Omit<CommandLine<O>, 'secrets'>;
  check(options: O, context: RunContext): Promise<PluginOutput>;
}

export function camundaPlugin<O extends { readonly connection: ConnectionOptions }>(definition: CamundaCheck<O>): Plugin<O> {
  return {
    prefix: definition.prefix,
    rawSecrets: (argv) => rawConnectionSecrets(argv),
    parse: commandLineParser({ ...definition.commandLine, secrets: (options) => connectionSecrets(options.connection) }),
    check: (options, context) => definition.check(options, context),
  };
}
