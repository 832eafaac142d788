/**
 * Runs the simulator as a process (bundled to dist/simulator.mjs):
 *
 *   simulator (--scenario FILE | --generate definitions=N[,versions=M][,instancesPerVersion=I][,incidents=K][,causes=C])
 *             [--port N] [--host H] [--base-path P]
 *             [--username U --password-file F | --token T]
 *             [--fault hang|proxy-502|broken-json|wrong-shape|server-error]
 *             [--timezone-offset +0100] [--camunda-version 7.21.0] [--compress] [--latency MS]
 *
 * Prints exactly one line, `listening on <url>`, once it accepts requests, and
 * stops on SIGTERM or SIGINT.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateScenario, parseGenerateSpec } from './generate';
import { loadScenario, type Scenario } from './scenario';
import { FAULTS, startSimulator, type Fault, type RunningSimulator, type SimulatorOptions } from './server';

export class UsageError extends Error {}

/** Turns command-line arguments into simulator options; throws UsageError. */
export function parseCliArgs(argv: readonly string[]): SimulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        generate: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'base-path': { type: 'string' },
        username: { type: 'string' },
        'password-file': { type: 'string' },
        token: { type: 'string' },
        fault: { type: 'string' },
        'timezone-offset': { type: 'string' },
        'camunda-version': { type: 'string' },
        'deny-writes': { type: 'boolean' },
        compress: { type: 'boolean' },
        latency: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.scenario === undefined && values.generate === undefined) throw new UsageError('--scenario FILE or --generate SPEC is required');
  if (values.scenario !== undefined && values.generate !== undefined) throw new UsageError('--scenario and --generate exclude each other');
  let scenario: Scenario;
  if (values.generate !== undefined) {
    try {
      scenario = generateScenario(parseGenerateSpec(values.generate));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  } else {
    scenario = loadScenario(values.scenario!);
  }
  // Several processes on one scenario file play the nodes of one cluster, each on its own version.
  if (values['camunda-version'] !== undefined) {
    if (values['camunda-version'].trim() === '') throw new UsageError('--camunda-version: empty value');
    scenario.camundaVersion = values['camunda-version'];
  }
  const options: SimulatorOptions = { scenario };

  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port: '${values.port}' is not a port number`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values['base-path'] !== undefined) options.basePath = values['base-path'];
  if (values['timezone-offset'] !== undefined) options.timezoneOffset = values['timezone-offset'];
  if (values['deny-writes']) options.denyWrites = true;

  if (values.compress) options.compress = true;
  if (values.latency !== undefined) {
    if (!/^\d+$/.test(values.latency)) throw new UsageError(`--latency: '${values.latency}' is not a number of milliseconds`);
    options.latencyMs = Number(values.latency);
  }
  if (values.fault !== undefined) {
    if (!FAULTS.includes(values.fault as Fault)) throw new UsageError(`--fault must be one of ${FAULTS.join(', ')}`);
    options.fault = values.fault as Fault;
  }

  if (values.token !== undefined && (values.username !== undefined || values['password-file'] !== undefined)) {
    throw new UsageError('--token cannot be combined with --username/--password-file');
  }
  if (values.token !== undefined) options.auth = { token: values.token };
  if ((values.username === undefined) !== (values['password-file'] === undefined)) {
    throw new UsageError('--username and --password-file go together');
  }
  if (values.username !== undefined && values['password-file'] !== undefined) {
    // A password file ends with a newline more often than not; the password does not.
    const password = readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '');
    options.auth = { username: values.username, password };
  }
  return options;
}

export async function main(argv: readonly string[]): Promise<RunningSimulator> {
  const simulator = await startSimulator(parseCliArgs(argv));
  process.stdout.write(`listening on ${simulator.url}\n`);
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return simulator;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`simulator: ${(error as Error).message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
