export { progressQuery, validateScenario } from './validate-scenario';
