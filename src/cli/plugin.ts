import type { ConnectionOptions } from '../camunda/connection';
import { connectionSecrets } from '../camunda/connection';
import type { PluginOutput } from '../plugin/output';
import { cleanText } from '../plugin/text';
import type { Plugin, RunContext } from '../plugin/run';
import { commandLineParser, manualOf, type CommandLine } from './command-line';
import type { Manual } from './help';
import { rawConnectionSecrets } from './connection';

/** A Camunda check: its command line plus the function that answers the operator's question. */
export interface CamundaCheck<O extends { readonly connection: ConnectionOptions }> {
  readonly prefix: string;
  readonly commandLine: Omit<CommandLine<O>, 'secrets'>;
  check(options: O, context: RunContext): Promise<PluginOutput>;
  /** Whether the check says itself what its user may not see (check_camunda_engine), instead of the note below. */
  readonly checksAccess?: boolean;
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
    check: async (options, context) => {
      context.log.log(2, `connection: ${describeConnection(options.connection)}; timeout ${context.timeoutSeconds}s`);
      const output = await definition.check(options, context);
      const note = definition.checksAccess ? undefined : partialViewNote(options.connection);
      return note ? { ...output, details: [...(output.details ?? []), note] } : output;
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

/**
 * What an authenticated user's figures may leave out, said for free: Camunda answers no query with
 * 403 for missing permissions or tenants but leaves the rows out (AuthorizationManager.java:359-375,
 * TenantManager.java:77-82), and only an authenticated user is checked at all.
 */
export function partialViewNote(connection: ConnectionOptions): string | undefined {
  if (!connection.auth) return undefined;
  const who = connection.auth.kind === 'basic' ? `user '${cleanText(connection.auth.username, 60)}'` : 'the token\'s user';
  return `Seen as ${who}: Camunda leaves out what it may not read and other tenants' rows; check_camunda_engine checks this access (docs/permissions.md)`;
}
