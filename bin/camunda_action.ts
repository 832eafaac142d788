import { actionPlugin } from '../src/actions/camunda-action';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(actionPlugin);
