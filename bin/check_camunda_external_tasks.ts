import { externalTasksCheck } from '../src/checks/external-tasks';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(externalTasksCheck);
