import { describe, expect, it } from 'vitest';
import { optionKey, thresholdOptions } from '../../src/cli/args';
import { UsageError } from '../../src/plugin/errors';
import { parseRange } from '../../src/plugin/range';

describe('optionKey', () => {
  it('names an option as yargs gives it with strip-dashed', () => {
    expect(optionKey('warning')).toBe('warning');
    expect(optionKey('new-window')).toBe('newWindow');
    expect(optionKey('suspended-job-definitions-warning')).toBe('suspendedJobDefinitionsWarning');
  });
});

describe('thresholdOptions', () => {
  it('reads --<metric>-warning and --<metric>-critical, the last value winning', () => {
    expect(thresholdOptions({ failedJobsWarning: '5', failedJobsCritical: ['1', '10'] }, 'failed-jobs')).toEqual({ warning: parseRange('5'), critical: parseRange('10') });
  });

  it('reads --warning and --critical for the metric named by the empty string', () => {
    expect(thresholdOptions({ warning: '0' }, '')).toEqual({ warning: parseRange('0'), critical: undefined });
  });

  it('takes a default only when the option is not given at all; given empty, it means no threshold', () => {
    expect(thresholdOptions({}, 'overdue', { warning: '0' })).toEqual({ warning: parseRange('0'), critical: undefined });
    expect(thresholdOptions({ overdueWarning: '' }, 'overdue', { warning: '0' })).toEqual({ warning: undefined, critical: undefined });
    expect(thresholdOptions({}, 'nodes-down', { warning: '0', critical: '1' })).toEqual({ warning: parseRange('0'), critical: parseRange('1') });
  });

  it('names the option of an invalid range', () => {
    expect(() => thresholdOptions({ oldestCritical: '10:5' }, 'oldest')).toThrow(UsageError);
    expect(() => thresholdOptions({ oldestCritical: '10:5' }, 'oldest')).toThrow(/--oldest-critical/);
  });
});
