import type { ConnectionOptions } from '../camunda/connection';
import { connectionSecrets } from '../camunda/connection';
import type { PluginOutput } from '../plugin/output';
import type { Plugin, RunContext } from '../plugin/run';
import { commandLineParser, manualOf, type CommandLine } from './command-line';
import type { Manual } from './help';
import { rawConnectionSecrets } from './connection';

/** A Camunda check: its command line plus the function that answers the operator's question. */
export interface CamundaCheck<O extends { readonly connection: ConnectionOptions }> {
  readonly prefix: string;
  readonly commandLine: Omit<CommandLine<O>, 'secrets'>;
  check(options: O, context: RunContext): Promise<PluginOutput>;
}

/** A plugin that can tell its Manual: the build writes its man page from it (scripts/build.mjs). */
export interface DocumentedPlugin<O> extends Plugin<O> {
  manual(): Manual;
}

export function camundaPlugin<O extends { readonly connection: ConnectionOptions }>(definition: CamundaCheck<O>): DocumentedPlugin<O> {
  return {
    prefix: definition.prefix,
    manual: () => manualOf(definition.commandLine),
    rawSecrets: (argv) => rawConnectionSecrets(argv),
    parse: commandLineParser({ ...definition.commandLine, secrets: (options) => connectionSecrets(options.connection) }),
    check: (options, context) => {
      context.log.log(2, `connection: ${describeConnection(options.connection)}; timeout ${context.timeoutSeconds}s`);
      return definition.check(options, context);
    },
  };
}

/** The connection as -vv shows it: which credentials and TLS material are used, never their values. */
export function describeConnection(connection: ConnectionOptions): string {
  const auth =
    connection.auth?.kind === 'basic'
      ? `Basic authentication as '${connection.auth.username}'`
      : connection.auth?.kind === 'bearer'
        ? 'Bearer token'
        : 'no authentication';
  const tls = connection.url.startsWith('https:')
    ? `, TLS ${connection.tls.insecure ? 'WITHOUT verification' : 'verified'}${connection.tls.ca ? ' against --ca-file' : ''}${connection.tls.cert ? ', client certificate' : ''}`
    : '';
  return `${connection.url}, engine ${connection.engine ?? '(default)'}, ${auth}${tls}`;
}
