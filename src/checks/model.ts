/**
 * How a check is defined and run. A check is a small object with an id, a description for `kubeproof checks list`,
 * and a function that observes the cluster (or its monitoring) and returns a status with a reason. The runner
 * bounds each check in time and turns a thrown error into `fail` with the error as the reason, never a crash.
 */
import type { CheckMetric, CheckStatus } from '../run/checks';

export interface CheckOutcome {
  status: CheckStatus;
  reason: string;
  evidence?: Record<string, unknown>;
  metrics?: CheckMetric[];
}

export interface CheckDefinition<Ctx> {
  id: string;
  title: string;
  /** What it proves and how, for `kubeproof checks list`. */
  description: string;
  /** Upper bound on one run of the check; the runner reports `fail` with the time waited when it is exceeded. */
  timeoutMs: number;
  run(ctx: Ctx, signal: AbortSignal): Promise<CheckOutcome>;
}
