import { slaCheck } from '../src/checks/sla';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(slaCheck);
