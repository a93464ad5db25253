/** The baseline ledger's data: plain JSON carried across continue-as-new. */
import type { MetricSummary } from '../baseline/types';

export interface LedgerEntry {
  runId: string;
  workflowId: string;
  /** ISO time the run measured its baseline. */
  at: string;
  grade: string;
  regressed: boolean;
  /** Metrics that regressed in this run (empty when none). */
  regressedMetrics: string[];
  summaries: MetricSummary[];
  /** Raw samples per metric, for statistical comparison by later runs. */
  samples: Record<string, number[]>;
}

export interface LedgerAck {
  /** The run whose regression is accepted as the new normal. */
  runId: string;
  at: string;
  by: string;
  reason: string;
}

export interface LedgerState {
  cluster: string;
  scenario: string;
  /** How many entries are kept (oldest dropped first). */
  capacity: number;
  entries: LedgerEntry[];
  acks: LedgerAck[];
}

export interface LedgerInput {
  cluster: string;
  scenario: string;
  capacity?: number;
  /** Carried over by continue-as-new. */
  state?: LedgerState;
}

/**
 * Ledgers live on a task queue of their own that every kubeproof worker also polls, so a ledger never depends
 * on the worker (or the short-lived task queue) of the run that happened to create it.
 */
export const LEDGER_TASK_QUEUE = 'kubeproof-ledgers';

export const ledgerWorkflowId = (cluster: string, scenario: string): string =>
  `kubeproof-ledger/${cluster}/${scenario}`;

/**
 * The entries later runs compare against: those at or after the latest acknowledgement (an acknowledged
 * regression becomes the new normal), at most `window` of the newest.
 */
export function comparisonHistory(state: LedgerState, window = 10): LedgerEntry[] {
  const lastAck = state.acks.at(-1);
  const from = lastAck ? state.entries.findIndex((e) => e.runId === lastAck.runId) : -1;
  const eligible = from >= 0 ? state.entries.slice(from) : state.entries;
  return eligible.slice(-window);
}
