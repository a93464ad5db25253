/**
 * The bookkeeping of one validation run, kept in one small object the workflow drives: step records, per-service
 * progress, the run's one failure (first observed wins), compensation outcomes, cleanup, and the final record.
 * Pure and deterministic (time is passed in), so it is unit-tested without a Temporal server.
 */
import type { HealthReport, PodTimeline } from '../k8s/types';
import type { CleanupResult } from '../k8s/cleanup';
import type { CheckResult } from './checks';
import {
  RunEnding,
  type AiRecord,
  type BaselineResult,
  type CompensationRecord,
  type Progress,
  type PreflightRecord,
  type ProgressStep,
  type RunFailure,
  type ServiceState,
  type StepRecord,
  type ValidationResult,
} from './contracts';
import { ErrorType } from '../errors';
import { decideVerdict } from './verdict';
import { StepName } from './vocabulary';

export interface RunStart {
  workflowId: string;
  runId: string;
  runKey: string;
  scenario: string;
  cluster: string;
  namespace: string;
  waves: string[][];
  startedAt: number;
  images?: { overrides: Record<string, string>; registry?: string };
}

export class RunRecord {
  private step: ProgressStep = StepName.Preflight;
  private stepStartedAt = 0;
  private readonly steps: StepRecord[] = [];
  private readonly services: Record<string, ServiceState>;
  private readonly compensations: CompensationRecord[] = [];
  private namespaceCreated = false;
  private cancelled = false;
  failure: RunFailure | undefined;
  health: HealthReport | undefined;
  checks: CheckResult[] = [];
  preflight: PreflightRecord | undefined;
  monitoring: ValidationResult['monitoring'];
  pods: PodTimeline[] = [];
  ai: AiRecord | undefined;
  aiError: string | undefined;
  baseline: BaselineResult | undefined;
  cleanup: CleanupResult | undefined;

  constructor(private readonly start: RunStart) {
    this.services = Object.fromEntries(start.waves.flat().map((s) => [s, 'pending' as const]));
  }

  get current(): ProgressStep {
    return this.step;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** True once the namespace create was attempted: from then on there may be something to explain and clean up. */
  get touchedCluster(): boolean {
    return this.namespaceCreated;
  }

  begin(step: StepName, now: number): void {
    this.step = step;
    this.stepStartedAt = now;
  }

  succeed(step: StepName, now: number): void {
    this.steps.push({ name: step, status: 'ok', startedAt: this.stepStartedAt, durationMs: now - this.stepStartedAt });
  }

  skip(step: StepName, now: number): void {
    this.steps.push({ name: step, status: 'skipped', startedAt: now, durationMs: 0 });
  }

  /** Records the step as failed. The run's failure is the first one recorded; later ones only mark their step. */
  fail(failure: RunFailure, now: number): void {
    this.steps.push({
      name: failure.step,
      status: 'failed',
      startedAt: this.stepStartedAt,
      durationMs: now - this.stepStartedAt,
      error: failure.message,
    });
    this.failure ??= failure;
    if (failure.type === ErrorType.Cancelled) this.cancelled = true;
  }

  namespaceAttempted(): void {
    this.namespaceCreated = true;
  }

  setService(name: string, state: ServiceState): void {
    this.services[name] = state;
  }

  serviceState(name: string): ServiceState | undefined {
    return this.services[name];
  }

  compensating(): void {
    this.step = 'compensating';
  }

  compensated(entry: CompensationRecord): void {
    this.compensations.push(entry);
  }

  /** Why cleanup cannot be trusted to have left nothing behind, or undefined when it verified that it did. */
  cleanupProblem(): string | undefined {
    const failed = this.compensations.filter((c) => !c.ok);
    if (failed.length > 0) return `undo steps failed: ${failed.map((c) => `${c.name} (${c.error})`).join('; ')}`;
    if (!this.namespaceCreated) return undefined;
    if (!this.cleanup) return 'cleanup did not complete: the run namespace may be left behind';
    if (this.cleanup.left.length > 0) return `objects left after cleanup: ${this.cleanup.left.join(', ')}`;
    return undefined;
  }

  progress(now: number): Progress {
    return {
      workflowId: this.start.workflowId,
      step: this.step,
      services: { ...this.services },
      startedAt: this.start.startedAt,
      elapsedMs: now - this.start.startedAt,
      namespace: this.namespaceCreated ? this.start.namespace : '',
      steps: [...this.steps],
    };
  }

  /** One line for the Temporal Web UI's "current details": where the run stands. */
  details(now: number): string {
    const states = Object.values(this.services);
    const ready = states.filter((s) => s === 'ready').length;
    const elapsed = `${Math.round((now - this.start.startedAt) / 1000)}s`;
    if (this.step === 'done') {
      const r = this.result(now, false);
      const failure = r.failure ? ` — ${r.failure.step} failed: ${r.failure.message}` : '';
      const grade = r.baseline ? `, grade ${r.baseline.overall}` : '';
      return `**${r.verdict.toUpperCase()}**${grade}${failure} (${elapsed}; cleanup ${r.cleanupProblem ?? 'verified, nothing left'})`;
    }
    return `step **${this.step}**: ${ready}/${states.length} services ready (${elapsed})`;
  }

  finish(): void {
    this.step = 'done';
  }

  result(now: number, failOnRegression: boolean): ValidationResult {
    const cleanupProblem = this.cleanupProblem();
    const decided = decideVerdict({
      failure: this.failure,
      cleanupProblem,
      health: this.health,
      checks: this.checks,
      ...(this.monitoring ? { monitoring: this.monitoring } : {}),
      ai: this.ai ? { verdict: this.ai.verdict.verdict, source: this.ai.source } : undefined,
      baseline: this.baseline,
      failOnRegression,
    });
    const ending = this.cancelled ? RunEnding.Cancelled : this.failure ? RunEnding.StepFailed : RunEnding.Finished;
    return {
      workflowId: this.start.workflowId,
      runId: this.start.runId,
      runKey: this.start.runKey,
      scenario: this.start.scenario,
      cluster: this.start.cluster,
      namespace: this.namespaceCreated ? this.start.namespace : '',
      ending,
      verdict: decided.verdict,
      verdictReasons: decided.reasons,
      startedAt: new Date(this.start.startedAt).toISOString(),
      durationMs: now - this.start.startedAt,
      waves: this.start.waves,
      images: this.start.images ?? { overrides: {} },
      steps: [...this.steps],
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.preflight ? { preflight: this.preflight } : {}),
      ...(this.health ? { health: this.health } : {}),
      checks: this.checks,
      ...(this.monitoring ? { monitoring: this.monitoring } : {}),
      pods: this.pods,
      ...(this.ai ? { ai: this.ai } : {}),
      ...(this.aiError ? { aiError: this.aiError } : {}),
      ...(this.baseline ? { baseline: this.baseline } : {}),
      ...(this.cleanup ? { cleanup: this.cleanup } : {}),
      compensations: [...this.compensations],
      ...(cleanupProblem ? { cleanupProblem } : {}),
    };
  }
}
