/** The baseline ledger's data: plain JSON carried across continue-as-new. */
import type { Grade } from '../baseline/grading';
import type { MetricSummary } from '../baseline/types';
import type { ClusterFingerprint } from '../preflight/model';

export interface LedgerEntry {
  runId: string;
  workflowId: string;
  /** ISO time the run measured its baseline. */
  at: string;
  grade: Grade;
  regressed: boolean;
  /** Metrics that regressed in this run (empty when none). */
  regressedMetrics: string[];
  summaries: MetricSummary[];
  /** Raw samples per metric, for statistical comparison by later runs. */
  samples: Record<string, number[]>;
  /** The checks' per-run figures in ms (e.g. `apiMutatingP99`, `alertDeliveryMs`); absent in older entries. */
  checkMetrics?: Record<string, number>;
  /** The cluster the baseline was measured on; later runs compare only with entries of the same fingerprint. */
  fingerprint?: ClusterFingerprint;
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

/** Names of the ledger's Update and Query handlers, shared by the workflow and the client. */
export const LedgerMessage = {
  State: 'ledgerState',
  RecordBaseline: 'recordBaseline',
  Acknowledge: 'acknowledge',
} as const;
