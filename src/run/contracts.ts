/**
 * Inputs, the run record and progress of a validation run: plain JSON, shared by the workflow, activities, the
 * client and the CLI. Pure types and constants only: workflow code imports this module.
 */
import type { Verdict } from '../ai/verdict';
import type { MetricGrade } from '../baseline/grading';
import type { RegressionResult } from '../baseline/regression';
import type { SeriesComparison } from '../baseline/series';
import type { Grade } from '../baseline/grading';
import type { MetricSummary } from '../baseline/types';
import type { CleanupResult } from '../k8s/cleanup';
import type { AwaitState } from '../k8s/deploy';
import type { HealthReport, PodTimeline } from '../k8s/types';
import type { ClusterFingerprint, PreflightProblem } from '../preflight/model';
import type { Scenario } from '../scenarios/schema';
import type { MetricsEvidence } from '../monitoring/evidence';
import type { CheckResult } from './checks';
import type { AiMode, RunVerdict, StepName } from './vocabulary';

export { AiMode, StepName, STEP_ORDER, VerdictLevel, worseVerdict } from './vocabulary';
export type { RunVerdict } from './vocabulary';

export interface ValidateInput {
  /** Already parsed and validated at the edge (CLI); workflows never parse. */
  scenario: Scenario;
  /** Dependency waves from the planner (src/scenarios/planner), computed at the edge with the scenario. */
  waves: string[][];
  /**
   * The cluster by name only: the worker that serves it knows its credentials. (`kubeconfig`/`context` are
   * accepted from older clients for the local stack only; see src/activities/cluster.ts.)
   */
  cluster: { name: string };
  ai: AiMode;
  /** Overrides spec.samples. */
  samples?: number;
  /** Skip the baseline step (quick smoke runs). */
  skipBaseline?: boolean;
  /** A regression fails the run instead of warning (also `spec.failOnRegression`). */
  failOnRegression?: boolean;
  /** Registry prefix for every image `spec.images` does not override (`--image-registry`, air-gapped clusters). */
  imageRegistry?: string;
}

export type ServiceState = 'pending' | 'waiting-for-dependencies' | 'starting' | 'ready' | AwaitState;

/**
 * Sent by a wave's deploy activity to its run once every object of the wave is applied: the workflow starts the
 * next wave then, which awaits its dependency edges itself, instead of after this wave has completed.
 */
export const WAVE_APPLIED_SIGNAL = 'waveApplied';
export interface WaveApplied {
  /** The wave's index in the run's plan. */
  wave: number;
}

/** Where a run stands: the step in progress, or compensating / done. */
export type ProgressStep = StepName | 'compensating' | 'done';

export interface Progress {
  workflowId: string;
  step: ProgressStep;
  services: Record<string, ServiceState>;
  startedAt: number;
  /** As of the workflow's last activation (workflow time stands still between activations); use startedAt for a live clock. */
  elapsedMs: number;
  namespace: string;
  /** Steps finished so far, in order, with their outcome. */
  steps: StepRecord[];
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
  grades: MetricGrade[];
  overall: Grade;
  regressions: RegressionResult[];
  /** The checks' per-run figures (SLI p99s, alert delivery) against their run-to-run spread. */
  series?: SeriesComparison[];
  regressed: boolean;
  /** Earlier runs the regression test compared against (same cluster fingerprint, after the latest ack). */
  historyRuns?: number;
  /** What the comparison was made on: the cluster's fingerprint, and what changed when it did. */
  comparison?: BaselineComparison;
}

export interface BaselineComparison {
  /** The fingerprint of the cluster this baseline was measured on; absent when preflight could not read it. */
  fingerprint?: ClusterFingerprint;
  /** Entries after the latest acknowledgement measured on another cluster fingerprint, left out. */
  otherFingerprints: number;
  /** Set when the cluster changed since the ledger's latest entry: what changed and what that means. */
  fingerprintNote?: string;
  /** Earlier runs needed before a sampled metric / a per-run figure is judged (else `insufficient-history`). */
  minHistoryRuns: { sampled: number; perRun: number };
}

/** Which step and service failed, and why. One failure per run: the first one observed. */
export interface RunFailure {
  step: StepName;
  service?: string;
  /** An ErrorType name (src/errors.ts). */
  type: string;
  message: string;
}

/** How the run ended, independently of the verdict (see the README: "Run status and verdict"). */
export const RunEnding = {
  /** Every step that was due ran; the verdict says how the cluster did. */
  Finished: 'finished',
  /** A step failed; compensation ran; the verdict is fail. */
  StepFailed: 'step-failed',
  /** Cancelled by a user or a timeout; compensation ran; the verdict is fail. */
  Cancelled: 'cancelled',
} as const;
export type RunEnding = (typeof RunEnding)[keyof typeof RunEnding];

export interface CompensationRecord {
  name: string;
  ok: boolean;
  error?: string;
}

/** The run's window of the cluster's Prometheus metrics, or why there is none. */
export type MonitoringEvidence = MetricsEvidence | { available: false; reason: string };

export interface PreflightRecord {
  serverVersion?: string;
  problems: PreflightProblem[];
  fingerprint?: ClusterFingerprint;
}

/** The AI step's outcome: the verdict it gave (model or labelled rules fallback) or why it could give none. */
export interface AiRecord {
  verdict: Verdict;
  source: string;
  fallbackReason?: string;
  /** True when the AI explained a failed run (it then ran after compensation). */
  explainsFailure: boolean;
}

/** The run record: the same shape for every ending, read by one client function (src/client/validation.ts). */
export interface ValidationResult {
  workflowId: string;
  runId: string;
  scenario: string;
  cluster: string;
  namespace: string;
  /** The stable key that names and labels everything the run creates (survives Reset and continue-as-new). */
  runKey: string;
  ending: RunEnding;
  verdict: RunVerdict;
  /** Why the verdict is what it is, strongest reason first (hard evidence, AI, baseline). */
  verdictReasons: string[];
  startedAt: string;
  durationMs: number;
  waves: string[][];
  /** The image overrides applied to every rendered pod (`spec.images`, `--image-registry`). */
  images: { overrides: Record<string, string>; registry?: string };
  steps: StepRecord[];
  failure?: RunFailure;
  health?: HealthReport;
  /** What preflight found before anything was created: server version, problems, the cluster fingerprint. */
  preflight?: PreflightRecord;
  /** Cluster readiness and monitoring checks run in the health step. */
  checks: CheckResult[];
  /** The run's window of the cluster's Prometheus metrics; `available: false` with the reason when not configured. */
  monitoring?: MonitoringEvidence;
  pods: PodTimeline[];
  ai?: AiRecord;
  /** Why the AI step produced no verdict at all (e.g. `--ai required` on a failed run without a provider). */
  aiError?: string;
  baseline?: BaselineResult;
  cleanup?: CleanupResult;
  compensations: CompensationRecord[];
  /** Why cleanup cannot be trusted to have left nothing behind; absent when it verified nothing is left. */
  cleanupProblem?: string;
}
