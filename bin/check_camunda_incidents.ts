import { incidentsCheck } from '../src/checks/incidents';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(incidentsCheck);
