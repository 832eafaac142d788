import type { Argv } from 'yargs';
import type { DefinitionSelection } from '../camunda/definitions';
import { UsageError } from '../plugin/errors';
import { annotate } from '../plugin/metric';
import { wholeGroupsWithin, type Perfdata } from '../plugin/perfdata';
import { cleanText } from '../plugin/text';
import { State, stateName } from '../plugin/state';
import { lastString, optionKey, stringList, type Args } from './args';
import { THRESHOLD_GROUP, VALUE } from './check-options';

/** The process definitions a per-definition check looks at, the same options in every such check. */
export const SELECTION_GROUP = 'Selection (repeat --key and --tenant-id for several values):';

/** `withoutKey`: what the check looks at when no --key is given. */
export function selectionOptions(argv: Argv, missingState: State, withoutKey = 'every deployed definition'): Argv {
  return argv
    .option('key', { ...VALUE, alias: 'k', group: SELECTION_GROUP, describe: `Process definition key, all its versions (repeat for a bundle); without --key ${withoutKey}` })
    .option('category', { ...VALUE, group: SELECTION_GROUP, describe: 'Only versions of this category (BPMN targetNamespace)' })
    .option('tenant-id', { ...VALUE, group: SELECTION_GROUP, describe: 'Only definitions of this tenant' })
    .option('missing-state', {
      ...VALUE,
      group: THRESHOLD_GROUP,
      describe: 'State for a --key that is not deployed: ok, warning, critical or unknown',
      defaultDescription: stateName(missingState).toLowerCase(),
    });
}

/** A value out of a fixed set, case-insensitive; the fallback when the option is not given. */
export function choiceOption<T extends string>(args: Args, option: string, allowed: readonly T[], fallback: T): T {
  const value = lastString(args, optionKey(option))?.trim().toLowerCase();
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${option}: '${value}' is not one of ${allowed.join(', ')}`);
  return value as T;
}

const STATES = ['ok', 'warning', 'critical', 'unknown'] as const;

export function missingStateOption(args: Args, fallback: State): State {
  const name = choiceOption(args, 'missing-state', STATES, stateName(fallback).toLowerCase() as (typeof STATES)[number]);
  return State[name.toUpperCase() as keyof typeof State];
}

/** --key, --tenant-id and --category; `latestOnly` for the checks that offer --latest-only. */
export function selectionFromArgs(args: Args, latestOnly = false): DefinitionSelection {
  return {
    keys: stringList(args, 'key'),
    tenantIds: stringList(args, 'tenant-id'),
    category: lastString(args, 'category'),
    latestOnly,
  };
}

/** `invoice: not deployed for tenant acme in category finance (critical)`: a selected key without a version in the selection. */
export function missingKeyText(key: string, selection: DefinitionSelection, state: State): string {
  const { tenantIds, category } = selection;
  const tenants = tenantIds.length ? ` for tenant ${tenantIds.map((t) => cleanText(t, 40)).join(', ')}` : '';
  const inCategory = category !== undefined ? ` in category ${cleanText(category, 80)}` : '';
  return annotate(`${cleanText(key, 80)}: not deployed${tenants}${inCategory}`, state);
}

/**
 * The perfdata of as many whole definitions as fit `budget` bytes, in their stable order, and the
 * long output line that says so when some are left out.
 */
export function definitionsPerfdata(perDefinition: readonly (readonly Perfdata[])[], budget: number): { perfdata: Perfdata[]; leftOut: string | undefined } {
  const { perfdata, groups } = wholeGroupsWithin(perDefinition, budget);
  const leftOut =
    groups < perDefinition.length
      ? `Performance data for the first ${groups} of ${perDefinition.length} definitions only (Nagios' 8 KiB output limit): select fewer with --key, --category or --tenant-id`
      : undefined;
  return { perfdata, leftOut };
}
