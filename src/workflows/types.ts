/** Inputs, results and progress of a validation run: plain JSON, shared by workflow, activities and CLI. */
import type { Verdict } from '../ai/verdict';
import type { MetricSummary } from '../baseline/types';
import type { CleanupResult } from '../k8s/cleanup';
import type { AwaitState } from '../k8s/deploy';
import type { HealthReport, PodTimeline } from '../k8s/types';
import type { Scenario } from '../scenarios/schema';

export type AiMode = 'off' | 'auto' | 'required';
export type RunVerdict = 'pass' | 'warn' | 'fail';
export const StepName = ['deploy', 'health', 'ai', 'baseline', 'cleanup'] as const;
export type StepName = (typeof StepName)[number];

export interface ValidateInput {
  /** Already parsed and validated at the edge (CLI); workflows never parse. */
  scenario: Scenario;
  /** Dependency waves from the planner (src/scenarios/planner), computed at the edge with the scenario. */
  waves: string[][];
  cluster: { name: string; kubeconfig?: string; context?: string };
  ai: AiMode;
  /** Overrides spec.samples. */
  samples?: number;
  /** Skip the baseline step (quick smoke runs). */
  skipBaseline?: boolean;
  /** A regression fails the run instead of warning (also `spec.failOnRegression`). */
  failOnRegression?: boolean;
}

export type ServiceState = 'pending' | 'waiting-for-dependencies' | 'starting' | 'ready' | AwaitState | 'deleted';

export interface Progress {
  workflowId: string;
  step: StepName | 'compensating' | 'done' | 'failed';
  services: Record<string, ServiceState>;
  startedAt: number;
  /** As of the workflow's last activation (workflow time stands still between activations); use startedAt for a live clock. */
  elapsedMs: number;
  namespace: string;
}

export interface StepRecord {
  name: StepName;
  status: 'ok' | 'failed' | 'skipped';
  startedAt: number;
  durationMs: number;
  error?: string;
}

export interface BaselineResult {
  summaries: MetricSummary[];
  grades: { metric: string; grade: string; p95: number; target?: number; reason: string }[];
  overall: string;
  regressions: { metric: string; outcome: string; pValue?: number; effect?: number; reason: string }[];
  regressed: boolean;
  /** Earlier runs the regression test compared against. */
  historyRuns?: number;
}

export interface ValidationResult {
  workflowId: string;
  runId: string;
  scenario: string;
  cluster: string;
  namespace: string;
  verdict: RunVerdict;
  startedAt: string;
  durationMs: number;
  waves: string[][];
  steps: StepRecord[];
  /** Which step and service failed, and why; absent when the run completed. */
  failure?: { step: StepName; service?: string; type: string; message: string };
  health?: HealthReport;
  pods: PodTimeline[];
  ai?: { verdict: Verdict; source: string; fallbackReason?: string };
  baseline?: BaselineResult;
  cleanup?: CleanupResult;
  compensations: { name: string; ok: boolean; error?: string }[];
}
