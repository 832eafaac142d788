import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PluginError, UsageError } from '../../src/plugin/errors';
import type { PluginOutput } from '../../src/plugin/output';
import { msSinceStart, runPlugin, timeoutInArgv, type Invocation, type Plugin, type RunContext } from '../../src/plugin/run';
import { expectCutStatus, fullStatus, parseOutput } from '../support/run-plugin';
import { State } from '../../src/plugin/state';

interface Options {
  readonly name: string;
}

interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
  writes: number;
}

async function run(plugin: Plugin<Options>, argv: readonly string[] = []): Promise<FakeRun> {
  const result = { code: -1, stdout: '', stderr: '', writes: 0 };
  result.code = await runPlugin(plugin, argv, {
    stdout: (text) => {
      result.stdout += text;
      result.writes++;
    },
    stderr: (text) => (result.stderr += text),
    startedAt: msSinceStart(),
  });
  return result;
}

function invocation(overrides: Partial<Extract<Invocation<Options>, { kind: 'check' }>> = {}): Invocation<Options> {
  return { kind: 'check', options: { name: 'x' }, timeoutSeconds: 5, verbosity: 0, secrets: [], ...overrides };
}

function fakePlugin(
  check: (options: Options, context: RunContext) => Promise<PluginOutput>,
  parsed: Invocation<Options> | (() => Promise<Invocation<Options>>) = invocation(),
  rawSecrets: (argv: readonly string[]) => string[] = () => [],
): Plugin<Options> {
  return {
    prefix: 'FAKE',
    rawSecrets,
    parse: typeof parsed === 'function' ? parsed : async () => parsed,
    check,
  };
}

describe('timeoutInArgv', () => {
  it.each([
    [['-t', '5'], 5],
    [['-t5'], 5],
    [['--timeout', '1m'], 60],
    [['--timeout=2.5'], 2.5],
    [['-t', '3', '--url', 'x', '-t', '7s'], 7],
    [['--url', 'x'], undefined],
    [['-t', 'soon'], undefined],
    [['-t'], undefined],
  ] as const)('%j → %s', (argv, seconds) => {
    expect(timeoutInArgv(argv)).toBe(seconds);
  });
});

describe('runPlugin', () => {
  it.each([
    [State.OK, 0, 'FAKE OK - all fine'],
    [State.WARNING, 1, 'FAKE WARNING - all fine'],
    [State.CRITICAL, 2, 'FAKE CRITICAL - all fine'],
    [State.UNKNOWN, 3, 'FAKE UNKNOWN - all fine'],
  ])('exits with the state of the output (%s → %d)', async (state, code, line) => {
    const result = await run(fakePlugin(async () => ({ state, summary: 'all fine' })));
    expect(result).toEqual({ code, stdout: `${line}\n`, stderr: '', writes: 1 });
  });

  it('prints perfdata and long output as renderOutput does', async () => {
    const result = await run(
      fakePlugin(async () => ({ state: State.WARNING, summary: '2 things', perfdata: [{ label: 'things', value: 2, min: 0 }], details: ['a', 'b'] })),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('FAKE WARNING - 2 things | things=2;;;0\na\nb\n');
  });

  it('passes the parsed options and a context to the check', async () => {
    let seen: { options: Options; context: RunContext } | undefined;
    const before = Date.now();
    await run(
      fakePlugin(async (options, context) => {
        seen = { options, context };
        return { state: State.OK, summary: 'ok' };
      }, invocation({ options: { name: 'given' }, timeoutSeconds: 7, verbosity: 2 })),
    );
    expect(seen!.options).toEqual({ name: 'given' });
    expect(seen!.context.timeoutSeconds).toBe(7);
    expect(seen!.context.log.level).toBe(2);
    // The deadline keeps 100 ms back from the timeout to print and exit.
    expect(seen!.context.deadline).toBeGreaterThan(before + 6500);
    expect(seen!.context.deadline).toBeLessThanOrEqual(Date.now() + 6900);
    // Once the output is written the signal is aborted, which stops anything still running.
    expect(seen!.context.signal.aborted).toBe(true);
  });

  it('prints info text (help, version) as it is and exits UNKNOWN', async () => {
    const check = () => Promise.reject(new Error('must not run'));
    const help = await run(fakePlugin(check, { kind: 'info', text: 'Usage: fake [options]\n\nHelp text' }));
    expect(help).toEqual({ code: 3, stdout: 'Usage: fake [options]\n\nHelp text\n', stderr: '', writes: 1 });
    const version = await run(fakePlugin(check, { kind: 'info', text: 'fake 1.0\n' }));
    expect(version.stdout).toBe('fake 1.0\n');
    expect(version.code).toBe(3);
  });

  it('reports a PluginError with its state as one line', async () => {
    const result = await run(
      fakePlugin(async () => {
        throw new PluginError('the queue is stuck\nsince yesterday | really', State.CRITICAL);
      }),
    );
    expect(result).toEqual({ code: 2, stdout: 'FAKE CRITICAL - the queue is stuck since yesterday ¦ really\n', stderr: '', writes: 1 });
  });

  it('reports a PluginError without state as UNKNOWN', async () => {
    const result = await run(
      fakePlugin(async () => {
        throw new PluginError('cannot tell');
      }),
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('FAKE UNKNOWN - cannot tell\n');
  });

  it('reports a UsageError from parsing as UNKNOWN without running the check', async () => {
    let ran = false;
    const result = await run(
      fakePlugin(
        async () => {
          ran = true;
          return { state: State.OK, summary: 'ok' };
        },
        async () => {
          throw new UsageError('--warning: invalid threshold range');
        },
      ),
    );
    expect(ran).toBe(false);
    expect(result).toEqual({ code: 3, stdout: 'FAKE UNKNOWN - --warning: invalid threshold range\n', stderr: '', writes: 1 });
  });

  it('reports an unexpected error as an internal error, without a stack on stdout', async () => {
    const result = await run(
      fakePlugin(async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'count')");
      }),
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      "FAKE UNKNOWN - internal error: Cannot read properties of undefined (reading 'count') (run with -vvv for details)\n",
    );
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(result.stderr).toBe('');
  });

  it('reports something thrown that is not an Error', async () => {
    const result = await run(fakePlugin(() => Promise.reject('plain string')));
    expect(result.stdout).toBe('FAKE UNKNOWN - internal error: plain string (run with -vvv for details)\n');
    expect(result.code).toBe(3);
  });

  it('reports a check that throws synchronously', async () => {
    const result = await run(
      fakePlugin(() => {
        throw new RangeError('sync');
      }),
    );
    expect(result.stdout).toBe('FAKE UNKNOWN - internal error: sync (run with -vvv for details)\n');
  });

  it.each([0, 1, 2])('prints no stack trace at verbosity %d', async (verbosity) => {
    const result = await run(
      fakePlugin(async () => {
        throw new TypeError('boom');
      }, invocation({ verbosity })),
    );
    expect(result.stderr).not.toContain('TypeError');
    expect(result.stderr).not.toMatch(/\bat /);
  });

  it('prints the stack trace on stderr at -vvv, and only there', async () => {
    const result = await run(
      fakePlugin(async () => {
        throw new TypeError('boom');
      }, invocation({ verbosity: 3 })),
    );
    expect(result.stdout).toBe('FAKE UNKNOWN - internal error: boom (run with -vvv for details)\n');
    expect(result.stderr).toMatch(/^TypeError: boom\n\s+at /);
    expect(result.stderr).toContain('run.test.ts');
  });

  it('prints the stack trace of a parse error when the raw command line has -vvv', async () => {
    const parse = async (): Promise<Invocation<Options>> => {
      throw new TypeError('parser broke');
    };
    const check = async () => ({ state: State.OK, summary: 'ok' });
    const loud = await run(fakePlugin(check, parse), ['-vvv']);
    expect(loud.stdout).toBe('FAKE UNKNOWN - internal error: parser broke (run with -vvv for details)\n');
    expect(loud.stderr).toMatch(/^TypeError: parser broke\n\s+at /);
    const split = await run(fakePlugin(check, parse), ['-v', '--verbose', '-v']);
    expect(split.stderr).toMatch(/^TypeError: parser broke/);
    const quiet = await run(fakePlugin(check, parse), ['-vv']);
    expect(quiet.stderr).toBe('');
  });

  it('logs through the context on stderr at the given verbosity', async () => {
    const result = await run(
      fakePlugin(async (_options, { log }) => {
        log.log(1, 'request one');
        log.log(2, 'timings');
        log.log(3, 'body');
        return { state: State.OK, summary: 'ok' };
      }, invocation({ verbosity: 2 })),
    );
    expect(result.stderr).toMatch(/^request one\ntimings\nanswered after \d+ ms \(counted from process start\)\n$/);
    expect(result.stdout).toBe('FAKE OK - ok\n');
  });

  describe('timeout', () => {
    it('ends a check that never answers with UNKNOWN at the timeout and aborts its signal', async () => {
      let signal: AbortSignal | undefined;
      const started = msSinceStart();
      const result = await run(
        fakePlugin((_options, context) => {
          signal = context.signal;
          return new Promise<never>(() => {});
        }, invocation({ timeoutSeconds: 0.3 })),
      );
      const elapsed = msSinceStart() - started;
      expect(result.code).toBe(3);
      expect(result.stdout).toBe(
        'FAKE UNKNOWN - no answer within the timeout of 0.3s: check that the monitored service is reachable and responsive, or raise --timeout\n',
      );
      expect(result.writes).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(150);
      expect(elapsed).toBeLessThan(500);
      expect(signal?.aborted).toBe(true);
    });

    // A burst of checks on a small host: a process that gets CPU time only after its timeout is up.
    it('ends a run that starts after its timeout at once, without parsing, and says the host is overloaded', async () => {
      let parsed = false;
      let result = '';
      const code = await runPlugin(
        fakePlugin(async () => ({ state: State.OK, summary: 'late' }), async () => ((parsed = true), invocation())),
        ['--url', 'x', '-t', '3'],
        { stdout: (text) => (result += text), stderr: () => {}, startedAt: msSinceStart() - 4200 },
      );
      expect(code).toBe(3);
      expect(parsed).toBe(false);
      expect(result.split('\n')).toHaveLength(3);
      expectCutStatus(
        parseOutput(result),
        'FAKE UNKNOWN - no answer within the timeout of 3s: the monitoring host is overloaded (the check waited 4.2s for CPU time), start fewer checks at once (Icinga MaxConcurrentChecks, Nagios max_concurrent_checks)',
      );
    });

    it('says the host is overloaded when the timer fires a second or more late (the event loop got no CPU time)', async () => {
      const result = await run(
        fakePlugin(() => {
          // Holds the event loop as a starved process is held: the timer cannot fire before this ends.
          const until = Date.now() + 1400;
          while (Date.now() < until);
          return new Promise<never>(() => {});
        }, invocation({ timeoutSeconds: 0.3 })),
      );
      expect(fullStatus(parseOutput(result.stdout))).toMatch(/^FAKE UNKNOWN - no answer within the timeout of 0\.3s: the monitoring host is overloaded \(the check waited 1\.\ds for CPU time\), start fewer checks at once/);
    });

    it('counts the timeout from startedAt, not from the start of the check', async () => {
      let result = '';
      const started = msSinceStart();
      const code = await runPlugin(
        fakePlugin(() => new Promise<never>(() => {}), invocation({ timeoutSeconds: 0.5 })),
        [],
        { stdout: (text) => (result += text), stderr: () => {}, startedAt: msSinceStart() - 300 },
      );
      expect(code).toBe(3);
      expect(result).toMatch(/timeout of 0\.5s/);
      // 500 ms - 300 ms already used - 100 ms margin.
      expect(msSinceStart() - started).toBeLessThan(300);
    });

    it('writes the output once even when the check answers after the timeout', async () => {
      const result = await run(
        fakePlugin(async () => {
          await sleep(400);
          return { state: State.OK, summary: 'late answer' };
        }, invocation({ timeoutSeconds: 0.3 })),
      );
      expect(result.code).toBe(3);
      await sleep(350);
      expect(result.writes).toBe(1);
      expect(result.stdout).toMatch(/^FAKE UNKNOWN - no answer within the timeout of 0\.3s:[^\n]*\n$/);
      expect(result.stdout).not.toContain('late answer');
    });

    it('writes the output once when the check fails on the aborted signal', async () => {
      const result = await run(
        fakePlugin(
          (_options, { signal }) =>
            new Promise<never>((_resolve, reject) => {
              signal.addEventListener('abort', () => reject(new PluginError('aborted request', State.CRITICAL)));
            }),
          invocation({ timeoutSeconds: 0.2, verbosity: 3 }),
        ),
      );
      await sleep(20);
      expect(result.code).toBe(3);
      expect(result.writes).toBe(1);
      expect(result.stdout).toMatch(/^FAKE UNKNOWN - no answer within the timeout of 0\.2s/);
      expect(result.stderr).toBe('');
    });

    it('also ends a parser that never answers, at the default timeout counted from startedAt', async () => {
      let stdout = '';
      const code = await runPlugin(
        fakePlugin(async () => ({ state: State.OK, summary: 'ok' }), () => new Promise<never>(() => {})),
        [],
        { stdout: (text) => (stdout += text), stderr: () => {}, startedAt: msSinceStart() - 9800 },
      );
      expect(code).toBe(3);
      expect(stdout).toMatch(/^FAKE UNKNOWN - no answer within the timeout of 10s/);
    });
  });

  describe('secrets', () => {
    const RAW = 'raw-secret-1234';
    const PARSED = 'file-secret-5678';
    const rawSecrets = (argv: readonly string[]) => argv.filter((arg) => arg.startsWith('raw-'));

    it('redacts raw and parsed secrets in stdout and in the stack trace on stderr', async () => {
      const result = await run(
        fakePlugin(
          async (_options, { log }) => {
            log.log(1, `connecting with ${RAW} and ${PARSED}`);
            throw new Error(`login failed for ${RAW} / ${PARSED}`);
          },
          invocation({ verbosity: 3, secrets: [PARSED] }),
          rawSecrets,
        ),
        ['--password', RAW],
      );
      expect(result.stdout).toBe('FAKE UNKNOWN - internal error: login failed for **** / **** (run with -vvv for details)\n');
      expect(result.stderr).toMatch(/^connecting with \*\*\*\* and \*\*\*\*\nError: login failed for \*\*\*\* \/ \*\*\*\*\n\s+at /);
      for (const text of [result.stdout, result.stderr]) {
        expect(text).not.toContain(RAW);
        expect(text).not.toContain(PARSED);
      }
    });

    it('redacts secrets in a PluginError and in a normal summary and details', async () => {
      const failed = await run(
        fakePlugin(async () => {
          throw new PluginError(`bad ${PARSED}`, State.CRITICAL);
        }, invocation({ secrets: [PARSED] })),
      );
      expect(failed.stdout).toBe('FAKE CRITICAL - bad ****\n');
      const fine = await run(
        fakePlugin(
          async () => ({ state: State.OK, summary: `token ${RAW}`, details: [`again ${RAW} ${PARSED}`] }),
          invocation({ secrets: [PARSED] }),
          rawSecrets,
        ),
        [RAW],
      );
      expect(fine.stdout).toBe('FAKE OK - token ****\nagain **** ****\n');
    });

    it('redacts raw secrets in an error from parsing, before any parsed secret is known', async () => {
      const result = await run(
        fakePlugin(
          async () => ({ state: State.OK, summary: 'ok' }),
          async () => {
            throw new UsageError(`invalid command line: unknown argument ${RAW}`);
          },
          rawSecrets,
        ),
        ['-vvv', RAW],
      );
      expect(result.stdout).toBe('FAKE UNKNOWN - invalid command line: unknown argument ****\n');
      expect(result.stderr).not.toContain(RAW);
      expect(result.stderr).toContain('UsageError: invalid command line: unknown argument ****');
    });

    it('redacts raw secrets in info text', async () => {
      const result = await run(fakePlugin(async () => ({ state: State.OK, summary: '' }), { kind: 'info', text: `echo ${RAW}` }, rawSecrets), [RAW]);
      expect(result.stdout).toBe('echo ****\n');
    });

    it('survives a rawSecrets function that throws', async () => {
      const result = await run(
        fakePlugin(async () => ({ state: State.OK, summary: 'fine' }), invocation({ secrets: [PARSED] }), () => {
          throw new Error('broken');
        }),
      );
      expect(result).toEqual({ code: 0, stdout: 'FAKE OK - fine\n', stderr: '', writes: 1 });
    });
  });
});
