import { engineCheck } from '../src/checks/engine';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(engineCheck);
