import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import { privateCacheDir } from '../support/cache-dir';
import { runBuilt, type ProcessRun } from '../support/executables';

/*
 * An engine full of hostile text (keys, names, activity ids, messages, tenant ids with `|`, newlines,
 * quotes, `=`, `;`, markup, right-to-left and zero width characters, emoji, 10 KB messages) and of
 * hundreds of definitions, incidents and jobs. Whatever it holds, every built check prints one
 * status line with intact perfdata, no markup, at most 8 KiB, nothing cut mid-line, and the same
 * perfdata labels on every run.
 */

const HOSTILE = [
  'pipe|key',
  'new\nline',
  "quote'key",
  'eq=key',
  'semi;key',
  '<script>alert(1)</script>',
  'rtl\u202Eevil',
  'zero\u200Bwidth',
  'emoji🔥💥',
  'k'.repeat(255),
  'with space',
  'line\u2028separator',
  'cr\rreturn',
];
const LONG = 'y'.repeat(10 * 1024);
const BULK = 250;

function hostileScenario(): Scenario {
  const keys = [...HOSTILE, ...Array.from({ length: BULK }, (_, i) => `bulk-${i}`)];
  const tenant = (i: number): string | null => (i % 3 === 0 ? `t|'=${i}\n<b>` : null);
  return {
    engines: [
      {
        name: 'default',
        processDefinitions: keys.map((key, i) => ({
          key,
          name: `Name ${key} <i>`,
          tenantId: tenant(i),
          versions: [{ version: 1 }, { version: 2, suspended: i % 4 === 0 }],
        })),
        instances: keys.map((key, i) => ({ ref: `r${i}`, definition: key, tenantId: tenant(i), started: '2h', suspended: i % 5 === 0 })),
        incidents: keys.map((key, i) => ({
          instance: `r${i}`,
          type: i % 2 ? 'failedJob' : `custom|type\n${i}`,
          activityId: `act ${key}`,
          message: `msg ${key} | 'x'=1;2;3 \n second line ${LONG} <img src=x onerror=alert(1)>`,
          ago: `${i + 1}m`,
        })),
        jobDefinitions: HOSTILE.map((key, i) => ({
          definition: key,
          tenantId: tenant(i),
          activityId: `job ${key}`,
          jobType: 'async-continuation',
          jobConfiguration: `cfg ${key}`,
          suspended: true,
        })),
        jobs: keys.map((key, i) => ({ instance: `r${i}`, activityId: `job ${key}`, due: '-1h', created: '2h', retries: 3 })),
        externalTasks: keys.map((key, i) => ({ instance: `r${i}`, topic: `topic ${key}`, created: '30m', ...(i % 2 ? { lockExpires: '5m', retries: 1, errorMessage: `err ${LONG}` } : {}) })),
      },
    ],
  };
}

let directory: string;
let engine: RunningSimulator;
const cacheDir = privateCacheDir();

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'hostile-'));
  const file = join(directory, 'hostile.json');
  writeFileSync(file, JSON.stringify(hostileScenario()));
  engine = await startSimulator({ scenario: loadScenario(file) });
});

afterAll(async () => {
  await engine?.close();
  rmSync(directory, { recursive: true, force: true });
});

/** One perfdata item as the guidelines write it: 'label'=value[UOM];warn;crit;min;max. */
const RANGE = String.raw`@?(?:~|-?\d+(?:\.\d+)?)?(?::(?:-?\d+(?:\.\d+)?)?)?`;
const ITEM = new RegExp(
  String.raw`^(?:'(?:[^']|'')+'|[^'\s=]+)=-?\d+(?:\.\d+)?(?:s|ms|us|%|B|KB|MB|GB|TB|c)?(?:;(?:${RANGE})?){0,2}(?:;(?:-?\d+(?:\.\d+)?)?){0,2}$`,
);

function perfdataItems(statusLine: string): string[] {
  const bar = statusLine.indexOf('|');
  if (bar === -1) return [];
  return statusLine.slice(bar + 1).trim().split(/ (?=(?:'(?:[^']|'')+'|[^'\s=]+)=)/);
}

function expectWellFormed(run: ProcessRun, prefix: string): void {
  expect(run.stderr).toBe('');
  expect([0, 1, 2]).toContain(run.code);
  expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(8191);
  expect(run.stdout.endsWith('\n')).toBe(true);
  const lines = run.stdout.slice(0, -1).split('\n');
  expect(lines[0]).toMatch(new RegExp(`^${prefix} (OK|WARNING|CRITICAL) - \\S`));
  expect(lines.slice(1).filter((line) => line.includes('|'))).toEqual([]);
  expect(run.stdout).not.toMatch(/[<>\r\u2028\u2029\p{Cf}]/u);
  expect(lines.filter((line) => line.trim() === '')).toEqual([]);
  // A line cut by the output limit would end without its closing text; dropped lines are announced instead.
  expect(lines.at(-1)).not.toMatch(/[\\']$/);
  const items = perfdataItems(lines[0]!);
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    expect(item).toMatch(ITEM);
    // `=` never stays in a label, so the last one starts the value.
    expect(item.slice(item.lastIndexOf('=') + 1).split(';')[3], `${item} has min 0`).toBe('0');
  }
}

const labels = (run: ProcessRun): string[] => perfdataItems(run.stdout.split('\n')[0]!).map((item) => item.slice(0, item.lastIndexOf('=')));

describe.each([
  ['check_camunda_incidents', 'CAMUNDA INCIDENTS', ['--list', '100']],
  ['check_camunda_jobs', 'CAMUNDA JOBS', ['--list', '100']],
  ['check_camunda_definition', 'CAMUNDA DEFINITION', []],
  ['check_camunda_definition', 'CAMUNDA DEFINITION', HOSTILE.flatMap((key) => ['-k', key])],
  ['check_camunda_definition', 'CAMUNDA DEFINITION', ['--mode', 'counts', ...HOSTILE.slice(0, 6).flatMap((key) => ['-k', key])]],
  ['check_camunda_engine', 'CAMUNDA ENGINE', ['--list', '100']],
  ['check_camunda_external_tasks', 'CAMUNDA EXTERNAL TASKS', ['--max-topics', '50']],
  // The generated models carry no SLA; every instance started 2h ago is past one of 1h. Every
  // definition: a model per definition (read once, then cached), counts, the oldest instances.
  ['check_camunda_sla', 'CAMUNDA SLA', ['--instance-sla', '1h', '--max-requests', '10000']],
  ['check_camunda_sla', 'CAMUNDA SLA', ['--instance-sla', '1h', ...HOSTILE.flatMap((key) => ['-k', key])]],
])('%s %j against a hostile engine', (check, prefix, options) => {
  let runs: ProcessRun[];
  beforeAll(async () => {
    const cache = check === 'check_camunda_sla' ? ['--cache-dir', cacheDir()] : [];
    runs = await Promise.all([1, 2].map(() => runBuilt(check, ['--url', engine.url, ...cache, ...options])));
  });

  it('prints one status line with intact perfdata, no markup, within 8 KiB', () => {
    for (const run of runs) expectWellFormed(run, prefix);
  });

  it('prints the same perfdata labels on every run', () => {
    expect(labels(runs[0]!)).toEqual(labels(runs[1]!));
  });
});
