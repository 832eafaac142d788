import { jobsCheck } from '../src/checks/jobs';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(jobsCheck);
