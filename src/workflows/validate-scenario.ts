/**
 * One validation run: deploy → health → ai → baseline, then cleanup, as a saga.
 *
 * The bookkeeping lives in a RunRecord (src/run/record.ts); this function only orchestrates. The one undo (delete
 * the run namespace by name and by label, and verify) is registered before the namespace is created. Whatever
 * ends the forward path (a failed step, cancellation, spec.timeouts.total), the activities still in flight are
 * cancelled and awaited, and then, in a non-cancellable scope: a snapshot of the failure's evidence, cleanup, and
 * the AI's explanation of the failure. The workflow completes with the run record whenever kubeproof did its job;
 * it fails, with the record in the failure's details, only when cleanup could not be confirmed.
 */
import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { HealthReport } from '../k8s/types';
import { ErrorType } from '../errors';
import { blameHealth } from '../run/blame';
import type { Progress, ValidateInput, ValidationResult } from '../run/contracts';
import { namespaceFor, runKeyOf } from '../run/identity';
import { RunRecord } from '../run/record';
import { regressedNames } from '../run/verdict';
import { AiMode, StepName } from '../run/vocabulary';
import { SearchAttr } from '../search-attributes';
import { checking, cleaning, creating, judging, quick } from './activity-options';
import { deployWaves } from './deploy-waves';
import { Blamed, blame, failureOf } from './failures';

export const progressQuery = defineQuery<Progress>('progress');

type Activities = ReturnType<typeof activities.createActivities>;

/**
 * Every call carries a one-line summary, shown next to the activity in the Temporal Web UI
 * ("deploy backend (3 replicas)" reads better than a row of identical "deployService").
 */
const api = (summary: string) => proxyActivities<Activities>({ ...quick, summary });
/** kubeproof's own metrics: best effort, one retry, never a reason to hold a finished run open. */
const metricsApi = (summary: string) =>
  proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 2 }, summary });
const createApi = (summary: string) => proxyActivities<Activities>({ ...creating, summary });
const healthApi = (summary: string) => proxyActivities<Activities>({ ...checking, summary });
/** Evidence of a failed run: one attempt, best effort (what is gone is gone; cleanup must not wait for it). */
const snapshotApi = (summary: string) =>
  proxyActivities<Activities>({ ...checking, retry: { maximumAttempts: 1 }, summary });
const aiApi = (summary: string) => proxyActivities<Activities>({ ...judging, summary });
const cleanupApi = (summary: string) => proxyActivities<Activities>({ ...cleaning, summary });
const measureApi = (timeoutMs: number, summary: string) =>
  proxyActivities<Activities>({ ...checking, startToCloseTimeout: timeoutMs, summary });

export async function validateScenario(input: ValidateInput): Promise<ValidationResult> {
  const info = workflowInfo();
  const { scenario, waves } = input;
  const cluster = input.cluster.name;
  const runKey = runKeyOf(info.workflowId);
  const run = { runId: runKey, scenario: scenario.metadata.name, workflowId: info.workflowId };
  const failOnRegression = input.failOnRegression ?? scenario.spec.failOnRegression;
  const imageOptions = {
    images: scenario.spec.images,
    ...(input.imageRegistry ? { imageRegistry: input.imageRegistry } : {}),
  };
  const record = new RunRecord({
    workflowId: info.workflowId,
    runId: info.runId,
    runKey,
    scenario: scenario.metadata.name,
    cluster,
    namespace: namespaceFor(scenario.metadata.name, runKey),
    waves,
    startedAt: Date.now(),
    images: { overrides: scenario.spec.images, ...(input.imageRegistry ? { registry: input.imageRegistry } : {}) },
  });
  setHandler(progressQuery, () => record.progress(Date.now()));
  upsertSearchAttributes([
    { key: SearchAttr.Scenario, value: scenario.metadata.name },
    { key: SearchAttr.Cluster, value: cluster },
  ]);
  const undo: { name: string; fn: () => Promise<void> }[] = [];
  const inflight = new Set<Promise<unknown>>();

  const step = async <T>(name: StepName, fn: () => Promise<T>): Promise<T> => {
    record.begin(name, Date.now());
    setCurrentDetails(record.details(Date.now()));
    try {
      const value = await fn();
      record.succeed(name, Date.now());
      return value;
    } catch (error) {
      record.fail(failureFor(name, error), Date.now());
      throw error;
    }
  };

  /** A cancellation of the forward path is the total timeout when that fired, else the user's cancel. */
  const failureFor = (name: StepName, error: unknown) => {
    if (isCancellation(error) && name !== StepName.Cleanup) {
      if (timedOut) {
        const limit = Math.round(scenario.spec.timeouts.total / 1000);
        return {
          step: name,
          type: ErrorType.TotalTimeout,
          message: `the run exceeded spec.timeouts.total (${limit}s)`,
        };
      }
      return { step: name, type: ErrorType.Cancelled, message: 'the run was cancelled' };
    }
    return blame(name, error);
  };

  // spec.timeouts.total bounds the forward path; when it passes, the run fails and compensation still runs
  // (a server-side execution timeout would end the run without any cleanup).
  let timedOut = false;
  const forward = new CancellationScope();
  const totalTimer = new CancellationScope();
  totalTimer
    .run(() => sleep(scenario.spec.timeouts.total))
    .then(
      () => {
        timedOut = true;
        forward.cancel();
      },
      () => undefined,
    );

  try {
    await forward.run(async () => {
      // Before anything is created: permissions, capacity, spec.requires. A refusal creates nothing.
      await step(StepName.Preflight, async () => {
        const target = input.skipBaseline ? undefined : baselineTarget().name;
        const checked = await api('preflight: permissions, capacity, requirements').preflight({
          run,
          cluster,
          scenario,
          ...(target ? { baselineTarget: target } : {}),
        });
        const { ok: _ok, message, ...found } = checked;
        record.preflight = found;
        if (!checked.ok) throw new Blamed({ step: StepName.Preflight, type: ErrorType.PreflightFailed, message });
      });
      await step(StepName.Deploy, async () => {
        undo.push({ name: 'delete run namespace', fn: () => cleanup() });
        record.namespaceAttempted();
        await createApi('create run namespace').applyNamespace({
          run,
          cluster,
          ...(scenario.spec.resourceQuota ? { resourceQuota: scenario.spec.resourceQuota } : {}),
        });
        await deployWaves({ scenario, waves, run, cluster, record, inflight, images: imageOptions });
      });
      const health = await step(StepName.Health, async () => {
        const report = await healthApi(`check health of ${scenario.spec.services.length} services`).checkHealth({
          run,
          cluster,
          services: scenario.spec.services,
          allowLinkLocal: scenario.spec.allowLinkLocalProbes,
        });
        record.health = report;
        const sick = blameHealth(report);
        if (sick) throw new Blamed(sick);
        // After the workload's own health: the checks' evictions and DaemonSet pods add events to the namespace.
        record.checks = await healthApi('cluster readiness checks').runClusterChecks({
          run,
          cluster,
          ...(scenario.spec.checks ? { checks: scenario.spec.checks } : {}),
          pods: record.pods,
        });
        const monitored = await healthApi("monitoring: Prometheus, alert pipeline, the run's metrics").checkMonitoring({
          runKey,
          namespace: namespaceFor(scenario.metadata.name, runKey),
          startedAt: record.progress(Date.now()).startedAt,
        });
        record.checks.push(...monitored.checks);
        record.monitoring = monitored.evidence;
        return report;
      });
      await step(StepName.Ai, () => judge(health, false));
      if (input.skipBaseline) record.skip(StepName.Baseline, Date.now());
      else await step(StepName.Baseline, () => baseline());
    });
  } catch (error) {
    // Recorded by step(); anything else is kubeproof's own bug, still recorded so the run ends properly.
    if (!record.failed)
      record.fail({ step: StepName.Deploy, ...failureOf(error), type: ErrorType.Internal }, Date.now());
  } finally {
    totalTimer.cancel();
  }

  await CancellationScope.nonCancellable(async () => {
    if (record.failed) {
      // Activities still in flight (other services' deploys) stop first: compensation must not race a create.
      forward.cancel();
      await Promise.allSettled([...inflight]);
      if (record.touchedCluster && !record.health) await snapshot();
    }
    record.compensating();
    setCurrentDetails(record.details(Date.now()));
    await step(StepName.Cleanup, async () => {
      await compensate();
      const problem = record.cleanupProblem();
      if (problem) throw ApplicationFailure.nonRetryable(problem, ErrorType.LeftoverObjects);
    }).catch(() => undefined);
    if (record.failed) await judge(record.health, true);
  });

  record.finish();
  const result = record.result(Date.now(), failOnRegression);
  upsertSearchAttributes([
    { key: SearchAttr.Verdict, value: result.verdict },
    ...(result.baseline ? [{ key: SearchAttr.Grade, value: result.baseline.overall }] : []),
  ]);
  setCurrentDetails(record.details(Date.now()));
  // kubeproof's own /metrics; best effort, a metrics hiccup never changes the run.
  await CancellationScope.nonCancellable(() =>
    metricsApi('record run metrics')
      .recordRunMetrics({
        scenario: result.scenario,
        cluster,
        verdict: result.verdict,
        steps: result.steps,
        leftovers: result.cleanup?.left.length ?? 0,
      })
      .catch(() => undefined),
  );
  if (result.cleanupProblem) {
    throw ApplicationFailure.create({
      type: ErrorType.LeftoverObjects,
      message: `cleanup not confirmed: ${result.cleanupProblem}`,
      nonRetryable: true,
      details: [result],
    });
  }
  return result;

  async function cleanup(): Promise<void> {
    record.cleanup = await cleanupApi('delete run namespace and verify nothing is left').cleanupRun({
      run,
      cluster,
      namespace: namespaceFor(scenario.metadata.name, runKey),
    });
  }

  async function compensate(): Promise<void> {
    while (undo.length > 0) {
      const next = undo.pop()!;
      try {
        await next.fn();
        record.compensated({ name: next.name, ok: true });
      } catch (error) {
        const message = failureOf(error).message;
        log.error('compensation failed; continuing with the rest', { compensation: next.name, error: message });
        record.compensated({ name: next.name, ok: false, error: message });
      }
    }
  }

  /** The evidence of a failed run, read before cleanup removes it: pods, events, endpoints. Best effort. */
  async function snapshot(): Promise<void> {
    try {
      record.health = await snapshotApi('capture evidence of the failure before cleanup').checkHealth({
        run,
        cluster,
        services: scenario.spec.services,
        settleMs: 0,
      });
    } catch (error) {
      log.warn('could not capture the failed run before cleanup', { error: failureOf(error).message });
    }
  }

  /**
   * The AI verdict. On a failed run it runs after compensation and explains the failure; there, an AI that cannot
   * answer leaves the labelled rules explanation instead of failing the run a second time.
   */
  async function judge(health: HealthReport | undefined, explainsFailure: boolean): Promise<void> {
    const ask = (mode: AiMode) =>
      aiApi(explainsFailure ? `AI explains the failure (--ai ${mode})` : `AI verdict (--ai ${mode})`).judgeRun({
        mode,
        scenario: scenario.metadata.name,
        cluster,
        ...(health ? { health } : {}),
        pods: record.pods,
        targets: scenario.spec.targets,
        ...(record.failure ? { failedStep: record.failure } : {}),
        ...(record.cleanup ? { cleanup: record.cleanup } : {}),
        checks: record.checks,
        ...(record.monitoring ? { monitoring: record.monitoring } : {}),
      });
    let judged;
    try {
      judged = await ask(input.ai);
    } catch (error) {
      if (!explainsFailure) throw error;
      record.aiError = failureOf(error).message;
      judged = await ask(AiMode.Off).catch(() => undefined);
      if (!judged) return;
    }
    const { provenance } = judged.verdict;
    record.ai = {
      verdict: judged.verdict,
      source: provenance.source,
      ...(provenance.fallbackReason ? { fallbackReason: provenance.fallbackReason } : {}),
      explainsFailure,
    };
  }

  /** The service the baseline measures: the first one not simulated to misbehave. */
  function baselineTarget() {
    return scenario.spec.services.find((s) => !s.podLabels['kubeproof.dev/simulate']) ?? scenario.spec.services[0]!;
  }

  async function baseline(): Promise<void> {
    const target = baselineTarget();
    const samples = input.samples ?? scenario.spec.samples;
    // Worst case per sample: a scale-out, a scale-in and a rollout, each bounded by the ready timeout.
    const measured = await measureApi(
      samples * 3 * scenario.spec.timeouts.ready + 60_000,
      `measure baseline on ${target.name} (${samples} samples)`,
    ).measureBaseline({
      run,
      cluster,
      target,
      samples,
      sampleTimeoutMs: scenario.spec.timeouts.ready,
      pods: record.pods,
    });
    const ledger = { cluster, scenario: scenario.metadata.name };
    const fingerprint = record.preflight?.fingerprint;
    const history = await api('read baseline history').ledgerHistory({
      ...ledger,
      ...(fingerprint ? { fingerprint } : {}),
    });
    // The checks' latencies (SLI p99s, alert delivery) join the ledger as per-run figures.
    const checkMetrics = Object.fromEntries(
      record.checks.flatMap((c) => c.metrics ?? []).flatMap((m) => (m.unit === 'ms' ? [[m.name, m.value]] : [])),
    );
    const analysis = await api('statistics, grades, regression tests').analyzeBaseline({
      samples: measured.samples,
      targets: scenario.spec.targets,
      history,
      checkMetrics,
      ...(fingerprint ? { fingerprint } : {}),
    });
    await api('record baseline in the ledger').recordBaseline({
      ...ledger,
      entry: {
        runId: info.runId,
        workflowId: info.workflowId,
        at: new Date().toISOString(),
        grade: analysis.overall,
        regressed: analysis.regressed,
        regressedMetrics: regressedNames(analysis),
        summaries: analysis.summaries,
        samples: Object.fromEntries(measured.samples.map((s) => [s.metric, s.samples])),
        checkMetrics,
        ...(fingerprint ? { fingerprint } : {}),
      },
    });
    upsertSearchAttributes([{ key: SearchAttr.Regression, value: analysis.regressed ? 'yes' : 'no' }]);
    record.baseline = analysis;
  }
}
