/**
 * An embedded Camunda-7-compatible REST simulator for tests and demos: serves
 * the read-only resources the monitoring plugins use, with the engine's DTO
 * shapes, query semantics and error responses. See README.md.
 */
export { startSimulator, FAULTS } from './server';
export type { Fault, RecordedRequest, RunningSimulator, SimulatorAuth, SimulatorOptions } from './server';
export { checkScenario, loadScenario } from './scenario';
export type {
  ActivityScenario,
  DefinitionScenario,
  FinishedInstanceScenario,
  HistoryLevel,
  EngineScenario,
  IncidentScenario,
  InstanceScenario,
  JobDefinitionScenario,
  JobScenario,
  Scenario,
  TaskScenario,
  VersionScenario,
} from './scenario';
export { formatCamundaDate, parseCamundaDate } from './dates';
export type { IncidentSeriesScenario } from './incident-series';
export { generateScenario, parseGenerateSpec } from './generate';
export type { GenerateSpec } from './generate';
