import { definitionCheck } from '../src/checks/definition';
import { runAsProcess } from '../src/plugin/run';

void runAsProcess(definitionCheck);
