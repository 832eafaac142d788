import { incidentsCheck } from '../src/checks/incidents';
import { runPlugin } from '../src/plugin/run';

runPlugin(incidentsCheck, process.argv.slice(2)).then((code) => process.exit(code));
