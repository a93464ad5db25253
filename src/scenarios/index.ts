/** Scenarios: the file format, built-ins, loading with readable errors, and the deploy plan. Pure: no Temporal. */
export { formatDuration, parseDuration } from './duration';
export { builtinScenarioNames } from './builtins';
export type { ScenarioIssue, ScenarioSource } from './issues';
export { loadScenario, parseScenarioData, parseScenarioText } from './loader';
export { checkDependencies, findCycle, planWaves } from './planner';
export type { DependencyIssue, DependencyNode } from './planner';
export { DependencyConditionSchema, ScenarioSchema } from './schema';
export type {
  Dependency,
  DependencyCondition,
  PortSpec,
  Readiness,
  Scenario,
  ScenarioInput,
  ServiceSpec,
  Targets,
} from './schema';
