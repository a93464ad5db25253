export { acknowledgeUpdate, baselineLedger, ledgerStateQuery, recordBaselineUpdate } from './baseline-ledger';
export { progressQuery, validateScenario } from './validate-scenario';
export { janitor } from './janitor';
