/**
 * The outcome of one check (a cluster readiness check, a monitoring check, a preflight condition): plain JSON in
 * the run record, the reports, one JUnit testcase each, and the AI evidence.
 */
export const CheckStatus = { Pass: 'pass', Warn: 'warn', Fail: 'fail', Skipped: 'skipped' } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** A measured figure a check contributes to the baseline ledger (e.g. an SLI p99), so it gets regression detection. */
export interface CheckMetric {
  /** Stable metric name, e.g. `apiMutatingP99`. */
  name: string;
  value: number;
  unit: 'ms' | 's' | 'count' | 'ratio';
}

export interface CheckResult {
  /** Stable id, as used in `spec.checks` and `kubeproof checks list` (e.g. `api-latency`, `pdb`). */
  id: string;
  title: string;
  status: CheckStatus;
  /** One sentence a person can act on: why it passed, warned, failed or was skipped. */
  reason: string;
  /** What was observed (counts, names, latencies); never secrets. */
  evidence: Record<string, unknown>;
  durationMs: number;
  metrics?: CheckMetric[];
}
