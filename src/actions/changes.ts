import { isGone } from '../camunda/actions';
import { CamundaError } from '../camunda/errors';
import type { PluginOutput } from '../plugin/output';
import { State } from '../plugin/state';
import { plural } from '../plugin/text';

/*
 * What an action changes, as a list of steps decided before the first write: a dry run prints the
 * list, --apply carries it out. Whatever happens, the report says exactly which changes were made,
 * which failed (and why), which were left undone, and what needed no change.
 */

export interface Change {
  /** The object and what it holds, for the long output. */
  readonly text: string;
  apply(): Promise<void>;
}

/** One kind of change to a set of objects: `suspend` `job definition`. */
export interface Step {
  /** `suspend`, `activate`, `retry`. */
  readonly verb: string;
  /** `suspended`, `activated`, `retried`. */
  readonly done: string;
  /** `job definition`, `failed job`. */
  readonly noun: string;
  readonly changes: readonly Change[];
  /** Objects already in the wanted state, with why they need no change. */
  readonly unchanged: readonly string[];
  /** `already suspended`. */
  readonly unchangedAs: string;
}

export interface Plan {
  /** `of system SAP`. */
  readonly about: string;
  readonly steps: readonly Step[];
  /** Further facts for the long output (unreadable models, cascades the engine makes). */
  readonly notes: readonly string[];
}

type Outcome = 'applied' | 'gone' | 'failed' | 'unknown' | 'not attempted';

interface StepResult {
  readonly step: Step;
  readonly outcomes: readonly Outcome[];
  readonly error?: string | undefined;
}

/** Writes at a time: the engine runs each as a transaction of its own. */
const WRITES_IN_FLIGHT = 4;
/** No write starts closer than this to the deadline: it could not be reported. */
const WRITE_MARGIN_MS = 1500;

/**
 * Carries the steps out in order, each change once; the first failure stops every further change
 * (those in flight finish and are reported). A write without an answer may or may not have been
 * made: it is reported as unknown.
 */
async function applyPlan(plan: Plan, deadline: number): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let stopped: string | undefined;
  for (const step of plan.steps) {
    const outcomes: Outcome[] = step.changes.map(() => 'not attempted');
    let error: string | undefined;
    let next = 0;
    const worker = async (once = false): Promise<void> => {
      while (next < step.changes.length && stopped === undefined) {
        if (Date.now() > deadline - WRITE_MARGIN_MS) {
          stopped = 'the --timeout was nearly used up';
          error ??= stopped;
          return;
        }
        const index = next++;
        try {
          await step.changes[index]!.apply();
          outcomes[index] = 'applied';
        } catch (failure) {
          if (isGone(failure)) {
            outcomes[index] = 'gone';
            continue;
          }
          const answered = failure instanceof CamundaError && failure.httpStatus !== undefined;
          outcomes[index] = answered ? 'failed' : 'unknown';
          const message = failure instanceof Error ? failure.message : String(failure);
          error ??= message;
          stopped ??= message;
        }
        if (once) return;
      }
    };
    // The first change alone: a missing permission or a refusing engine stops the step after one write, not after several in flight.
    await worker(true);
    await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, step.changes.length) }, () => worker()));
    results.push({ step, outcomes, error });
  }
  return results;
}

const count = (outcomes: readonly Outcome[], outcome: Outcome) => outcomes.filter((o) => o === outcome).length;

function unchangedPart(step: Step): string[] {
  return step.unchanged.length ? [`${plural(step.unchanged.length, step.noun)} ${step.unchangedAs}`] : [];
}

function dryRun(plan: Plan): PluginOutput {
  const would = plan.steps.filter((s) => s.changes.length).map((s) => `${s.verb} ${plural(s.changes.length, s.noun)}`);
  const unchanged = plan.steps.flatMap(unchangedPart);
  const summary = would.length
    ? `dry run, nothing changed: would ${would.join(', ')} ${plan.about}${unchanged.length ? `; ${unchanged.join(', ')}` : ''} (add --apply to change)`
    : `dry run, nothing to change ${plan.about}${unchanged.length ? `: ${unchanged.join(', ')}` : ''}`;
  const details = plan.steps.flatMap((s) => [...s.changes.map((c) => `would ${s.verb}: ${c.text}`), ...s.unchanged.map((u) => `${s.unchangedAs}: ${u}`)]);
  return { state: State.OK, summary, details: [...details, ...plan.notes] };
}

function report(plan: Plan, results: readonly StepResult[]): PluginOutput {
  const failedStep = results.find((r) => r.outcomes.some((o) => o === 'failed' || o === 'unknown') || (r.error !== undefined && r.outcomes.includes('not attempted')));
  const parts = results
    .filter((r) => r.step.changes.length)
    .map(({ step, outcomes }) => {
      const applied = count(outcomes, 'applied');
      const gone = count(outcomes, 'gone');
      const text = `${step.done} ${applied === step.changes.length ? plural(applied, step.noun) : `${applied} of ${plural(step.changes.length, step.noun)}`}`;
      const extra = [
        count(outcomes, 'failed') ? `${count(outcomes, 'failed')} failed` : '',
        count(outcomes, 'unknown') ? `${count(outcomes, 'unknown')} without answer (may be applied)` : '',
        count(outcomes, 'not attempted') ? `${count(outcomes, 'not attempted')} not attempted` : '',
        gone ? `${gone} gone meanwhile (ran or ended)` : '',
      ].filter(Boolean);
      return extra.length ? `${text} (${extra.join(', ')})` : text;
    });
  const unchanged = plan.steps.flatMap(unchangedPart);
  const details = results.flatMap(({ step, outcomes }) => [
    ...step.changes.map((c, i) => `${outcomes[i] === 'applied' ? step.done : outcomes[i] === 'gone' ? 'gone meanwhile' : outcomes[i] === 'unknown' ? 'NO ANSWER, may be applied' : outcomes[i] === 'failed' ? 'FAILED' : 'not attempted'}: ${c.text}`),
    ...step.unchanged.map((u) => `${step.unchangedAs}: ${u}`),
  ]);
  if (failedStep) {
    return {
      state: State.CRITICAL,
      summary: `${failedStep.step.verb} failed part way ${plan.about}: ${parts.join(', ') || 'nothing changed'}; ${failedStep.error ?? 'stopped'}`,
      details: [...details, ...plan.notes],
    };
  }
  const summary = parts.length ? `${parts.join(', ')} ${plan.about}${unchanged.length ? `; ${unchanged.join(', ')}` : ''}` : `nothing to change ${plan.about}${unchanged.length ? `: ${unchanged.join(', ')}` : ''}`;
  return { state: State.OK, summary, details: [...details, ...plan.notes] };
}

/** Prints the plan (dry run) or carries it out and reports what happened. */
export async function execute(plan: Plan, apply: boolean, deadline: number): Promise<PluginOutput> {
  if (!apply) return dryRun(plan);
  return report(plan, await applyPlan(plan, deadline));
}
