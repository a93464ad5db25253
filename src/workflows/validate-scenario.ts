/**
 * One validation run: deploy in dependency order → health → ai → baseline → cleanup, as a saga.
 *
 * Every forward step registers its undo before it acts. On any failure or cancellation the undos run in reverse
 * inside a non-cancellable scope (a cancelled run must still clean up), a failing undo is logged and the rest go
 * on, and the original failure is rethrown with the step and service that caused it.
 */
import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { AwaitResult } from '../k8s/deploy';
import type { DependencyCondition, ServiceSpec } from '../scenarios/schema';
import { SearchAttr } from '../search-attributes';
import { quick, retry } from './policies';
import type { Progress, RunVerdict, StepName, StepRecord, ValidateInput, ValidationResult } from './types';

export const progressQuery = defineQuery<Progress>('progress');

type Activities = ReturnType<typeof activities.createActivities>;

/**
 * Every call carries a one-line summary, shown next to the activity in the Temporal Web UI
 * ("deploy backend (3 replicas)" reads better than a row of identical "deployService").
 */
const api = (summary: string) => proxyActivities<Activities>({ ...quick, summary });
const cleanupApi = (summary: string) =>
  proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '1 minute',
    retry: { ...retry, maximumAttempts: 10 },
    summary,
  });

/** Health checks make several reads per service and wait for endpoints to converge; they heartbeat per service. */
const healthApi = (summary: string) =>
  proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '30 seconds', retry, summary });

/** HolmesGPT investigations take minutes; the activity heartbeats every few seconds while it waits. */
const aiApi = (summary: string) =>
  proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '30 seconds', retry, summary });

/** Waits get a start-to-close of their own timeout plus a margin; heartbeats detect a dead worker early. */
const waiting = (timeoutMs: number, summary: string) =>
  proxyActivities<Activities>({
    startToCloseTimeout: timeoutMs + 60_000,
    heartbeatTimeout: '15 seconds',
    retry,
    summary,
  });

/** A failure of one step, attributed to a service when one is to blame. Lives only inside this workflow. */
class StepFailure extends Error {
  constructor(
    readonly step: StepName,
    readonly type: string,
    message: string,
    readonly service?: string,
  ) {
    super(message);
  }
}

export async function validateScenario(input: ValidateInput): Promise<ValidationResult> {
  const info = workflowInfo();
  const started = Date.now();
  const { scenario, cluster, waves } = input;
  const run = { runId: info.runId, scenario: scenario.metadata.name };
  const ref = { kubeconfig: cluster.kubeconfig, context: cluster.context };
  const services = new Map(scenario.spec.services.map((s) => [s.name, s]));
  const progress: Progress = {
    workflowId: info.workflowId,
    step: 'deploy',
    services: Object.fromEntries(scenario.spec.services.map((s) => [s.name, 'pending' as const])),
    startedAt: started,
    elapsedMs: 0,
    namespace: '',
  };
  setHandler(progressQuery, () => ({ ...progress, elapsedMs: Date.now() - started }));
  upsertSearchAttributes([
    { key: SearchAttr.Scenario, value: scenario.metadata.name },
    { key: SearchAttr.Cluster, value: cluster.name },
  ]);

  const result: ValidationResult = {
    workflowId: info.workflowId,
    runId: info.runId,
    scenario: scenario.metadata.name,
    cluster: cluster.name,
    namespace: '',
    verdict: 'fail',
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    waves,
    steps: [],
    pods: [],
    compensations: [],
  };
  const undo: { name: string; fn: () => Promise<unknown> }[] = [];
  const tracking = new Map<string, Promise<AwaitResult>>();
  const deletedByUndo: string[] = [];
  const step = async <T>(name: StepName, fn: () => Promise<T>): Promise<T> => {
    progress.step = name;
    const at = Date.now();
    try {
      const value = await fn();
      result.steps.push({ name, status: 'ok', startedAt: at, durationMs: Date.now() - at });
      return value;
    } catch (error) {
      const record: StepRecord = {
        name,
        status: 'failed',
        startedAt: at,
        durationMs: Date.now() - at,
        error: describe(error),
      };
      result.steps.push(record);
      if (isCancellation(error)) throw error;
      throw error instanceof StepFailure ? error : toStepFailure(name, error);
    }
  };

  // The forward path runs in its own scope so that a failure can cancel the waits still in flight.
  const forward = new CancellationScope();
  // spec.timeouts.total bounds the forward path; when it passes, the run fails and compensation still runs
  // (a server-side execution timeout would end the run without any cleanup).
  let timedOut = false;
  const totalTimeout = new CancellationScope();
  totalTimeout
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
      // Deploy ends when every service has settled: Ready, timed out, unschedulable or crash-looping.
      const settled = await step('deploy', () => deploy());
      const health = await step('health', async () => {
        for (const s of settled) progress.services[s.service] = s.state === 'met' ? 'ready' : s.state;
        result.pods = settled.flatMap((s) => s.pods);
        const notReady = settled.find((s) => s.state !== 'met');
        const report = await healthApi(`check health of ${scenario.spec.services.length} services`).checkHealth({
          run,
          cluster: ref,
          services: scenario.spec.services,
        });
        result.health = report;
        if (notReady)
          throw new StepFailure(
            'health',
            errorTypeOf(notReady),
            `service ${notReady.service}: ${notReady.reason}`,
            notReady.service,
          );
        const sick = report.services.find((s) => !s.healthy);
        if (sick)
          throw new StepFailure(
            'health',
            'HealthCheckFailed',
            `service ${sick.service}: ${sick.problems.join('; ')}`,
            sick.service,
          );
        return report;
      });
      const judged = await step('ai', () =>
        aiApi(`AI verdict (--ai ${input.ai})`).judgeRun({
          mode: input.ai,
          scenario: scenario.metadata.name,
          cluster: cluster.name,
          health,
          pods: result.pods,
          targets: scenario.spec.targets,
        }),
      );
      result.ai = {
        verdict: judged.verdict,
        source: judged.verdict.provenance.source,
        ...(judged.verdict.provenance.fallbackReason
          ? { fallbackReason: judged.verdict.provenance.fallbackReason }
          : {}),
      };
      if (!input.skipBaseline) {
        result.baseline = await step('baseline', async () => {
          const target =
            scenario.spec.services.find((s) => !s.podLabels['kubeproof.dev/simulate']) ?? scenario.spec.services[0]!;
          const samples = input.samples ?? scenario.spec.samples;
          // Worst case per sample: a scale-out, a scale-in and a rollout, each bounded by the ready timeout.
          const measured = await waiting(
            samples * 3 * scenario.spec.timeouts.ready + 60_000,
            `measure baseline on ${target.name} (${samples} samples)`,
          ).measureBaseline({
            run,
            cluster: ref,
            target,
            samples,
            sampleTimeoutMs: scenario.spec.timeouts.ready,
            pods: result.pods,
          });
          const history = await api('read baseline history').ledgerHistory({
            cluster: cluster.name,
            scenario: scenario.metadata.name,
          });
          const analysis = await api('statistics, grades, regression test').analyzeBaseline({
            samples: measured.samples,
            targets: scenario.spec.targets,
            history: history.samples,
          });
          await api('record baseline in the ledger').recordBaseline({
            cluster: cluster.name,
            scenario: scenario.metadata.name,
            entry: {
              runId: info.runId,
              workflowId: info.workflowId,
              at: new Date().toISOString(),
              grade: analysis.overall,
              regressed: analysis.regressed,
              regressedMetrics: analysis.regressions.filter((r) => r.outcome === 'regressed').map((r) => r.metric),
              summaries: analysis.summaries,
              samples: Object.fromEntries(measured.samples.map((s) => [s.metric, s.samples])),
            },
          });
          upsertSearchAttributes([{ key: SearchAttr.Regression, value: analysis.regressed ? 'yes' : 'no' }]);
          return { ...analysis, historyRuns: history.runs };
        });
      }
    });
  } catch (error) {
    totalTimeout.cancel();
    forward.cancel();
    const cancelled = !timedOut && (isCancellation(error) || CancellationScope.current().consideredCancelled);
    const failure = timedOut
      ? new StepFailure(
          progress.step as StepName,
          'TotalTimeout',
          `the run exceeded spec.timeouts.total (${Math.round(scenario.spec.timeouts.total / 1000)}s)`,
        )
      : error instanceof StepFailure
        ? error
        : toStepFailure(progress.step as StepName, error);
    result.failure = {
      step: failure.step,
      type: failure.type,
      message: failure.message,
      ...(failure.service ? { service: failure.service } : {}),
    };
    progress.step = 'compensating';
    await CancellationScope.nonCancellable(() => compensate());
    result.verdict = 'fail';
    result.durationMs = Date.now() - started;
    upsertSearchAttributes([{ key: SearchAttr.Verdict, value: 'fail' }]);
    progress.step = 'failed';
    if (cancelled) throw error;
    const incomplete = cleanupProblem();
    throw ApplicationFailure.create({
      type: failure.type,
      message: `${failure.step} step failed: ${failure.message}${incomplete ? `; and ${incomplete}` : ''}`,
      nonRetryable: true,
      details: [result],
    });
  }

  // Normal path: cleanup is a step of its own, and must leave nothing behind.
  totalTimeout.cancel();
  await step('cleanup', async () => {
    await CancellationScope.nonCancellable(() => compensate());
    const incomplete = cleanupProblem();
    if (incomplete) throw new StepFailure('cleanup', 'LeftoverObjects', incomplete);
  }).catch((error: unknown) => {
    const f = error as StepFailure;
    result.failure = { step: 'cleanup', type: f.type, message: f.message };
  });
  result.verdict = overallVerdict(result, input.failOnRegression ?? scenario.spec.failOnRegression);
  result.durationMs = Date.now() - started;
  upsertSearchAttributes([
    { key: SearchAttr.Verdict, value: result.verdict },
    ...(result.baseline ? [{ key: SearchAttr.Grade, value: result.baseline.overall }] : []),
  ]);
  progress.step = 'done';
  return result;

  async function deploy(): Promise<AwaitResult[]> {
    undo.push({
      name: 'delete run namespace',
      fn: async () => {
        const cleanup = await cleanupApi('delete run namespace and verify nothing is left').cleanupRun({
          run,
          cluster: ref,
        });
        result.cleanup = { ...cleanup, deleted: [...deletedByUndo, ...cleanup.deleted] };
      },
    });
    const { namespace } = await api('create run namespace').applyNamespace({ run, cluster: ref });
    progress.namespace = result.namespace = namespace;
    for (const wave of waves) {
      await Promise.all(
        wave.map(async (name) => {
          const svc = services.get(name)!;
          progress.services[name] = 'waiting-for-dependencies';
          await Promise.all(svc.dependsOn.map((dep) => awaitDependency(svc, dep.service, dep.condition, dep.timeout)));
          undo.push({
            name: `delete service ${name}`,
            fn: async () =>
              void deletedByUndo.push(
                ...(await cleanupApi(`delete ${name}`).deleteService({ run, cluster: ref, service: name })).deleted,
              ),
          });
          progress.services[name] = 'starting';
          // Applies the service and follows it to Ready; the timelines feed the podReady metric.
          const scheduledAt = Date.now();
          const track = waiting(
            scenario.spec.timeouts.ready,
            `deploy ${name} (${svc.replicas} replicas) and follow it to Ready`,
          ).deployService({
            run,
            cluster: ref,
            service: svc,
            timeoutMs: scenario.spec.timeouts.ready,
            notBefore: scheduledAt,
          });
          // Observed at once so a failure is never an unhandled rejection; dependents and the health step read it.
          track.then(
            (r) => void (progress.services[name] = r.state === 'met' ? 'ready' : r.state),
            () => void (progress.services[name] = 'timeout'),
          );
          tracking.set(name, track);
        }),
      );
    }
    const settled: AwaitResult[] = [];
    for (const [name, track] of tracking) {
      try {
        settled.push(await track);
      } catch (error) {
        if (isCancellation(error)) throw error;
        // The apply itself failed (invalid manifest, forbidden).
        const failure = toStepFailure('deploy', error);
        throw new StepFailure('deploy', failure.type, `service ${name}: ${failure.message}`, name);
      }
    }
    return settled;
  }

  async function awaitDependency(
    dependent: ServiceSpec,
    name: string,
    condition: DependencyCondition,
    timeoutMs: number,
  ): Promise<void> {
    const dep = services.get(name)!;
    const fail = (reason: string) =>
      new StepFailure(
        'deploy',
        'ServiceNotReady',
        `service ${name} (needed "${condition}" by ${dependent.name}): ${reason}`,
        name,
      );
    const deadline = Date.now() + timeoutMs;
    if (condition !== 'scheduled') {
      const outcome = await CancellationScope.cancellable(async () => {
        // The timer is cancelled as soon as the race is decided, so a long timeout leaves nothing pending.
        const timer = sleep(timeoutMs).then(() => undefined);
        // Only silences the timer's own cancellation once the race is decided; the race still sees a cancelled run.
        timer.catch(() => undefined);
        try {
          return await Promise.race([tracking.get(name)!, timer]);
        } catch (error) {
          throw dependencyFailure(error, name, dependent.name);
        } finally {
          CancellationScope.current().cancel();
        }
      });
      if (!outcome) throw fail(`not ready within ${Math.round(timeoutMs / 1000)}s`);
      if (outcome.state !== 'met')
        throw new StepFailure(
          'deploy',
          errorTypeOf(outcome),
          `service ${name} (needed by ${dependent.name}): ${outcome.reason}`,
          name,
        );
      if (condition === 'ready') return;
    }
    const remaining = Math.max(1000, deadline - Date.now());
    // If the dependency's own apply fails meanwhile, that failure wins over waiting out the timeout.
    const applyFailed = tracking.get(name)!.then(() => new Promise<never>(() => undefined));
    let outcome: AwaitResult;
    try {
      outcome = await Promise.race([
        applyFailed,
        waiting(remaining, `wait for ${name} to be ${condition} (needed by ${dependent.name})`).awaitService({
          cluster: ref,
          request: {
            run,
            service: name,
            replicas: dep.replicas,
            hasPorts: dep.ports.length > 0,
            condition,
            timeoutMs: remaining,
            notBefore: Date.now(),
          },
        }),
      ]);
    } catch (error) {
      throw dependencyFailure(error, name, dependent.name);
    }
    if (outcome.state !== 'met')
      throw new StepFailure(
        'deploy',
        errorTypeOf(outcome),
        `service ${name} (needed "${condition}" by ${dependent.name}): ${outcome.reason}`,
        name,
      );
  }

  /** Why cleanup cannot be trusted to have left nothing behind, or undefined when it verified that it did. */
  function cleanupProblem(): string | undefined {
    if (!result.cleanup) return 'cleanup did not complete: the run namespace may be left behind';
    if (result.cleanup.left.length > 0) return `objects left after cleanup: ${result.cleanup.left.join(', ')}`;
    const failed = result.compensations.filter((c) => !c.ok);
    if (failed.length > 0) return `undo steps failed: ${failed.map((c) => `${c.name} (${c.error})`).join('; ')}`;
    return undefined;
  }

  async function compensate(): Promise<void> {
    while (undo.length > 0) {
      const next = undo.pop()!;
      try {
        await next.fn();
        result.compensations.push({ name: next.name, ok: true });
      } catch (error) {
        log.error('compensation failed; continuing with the rest', { compensation: next.name, error: describe(error) });
        result.compensations.push({ name: next.name, ok: false, error: describe(error) });
      }
    }
  }
}

/** A dependency's own failure, blamed on it and named with the service that needed it; cancellations pass through. */
function dependencyFailure(error: unknown, service: string, dependent: string): unknown {
  if (isCancellation(error)) return error;
  const failure = toStepFailure('deploy', error);
  return new StepFailure(
    'deploy',
    failure.type,
    `service ${service} (needed by ${dependent}): ${failure.message}`,
    service,
  );
}

function errorTypeOf(outcome: AwaitResult): string {
  if (outcome.state === 'unschedulable') return 'Unschedulable';
  return 'ServiceNotReady';
}

function describe(error: unknown): string {
  if (error instanceof StepFailure) return error.message;
  const e = error as { message?: string; cause?: { message?: string } };
  return e.cause?.message ?? e.message ?? String(error);
}

function toStepFailure(step: StepName, error: unknown): StepFailure {
  if (isCancellation(error)) return new StepFailure(step, 'Cancelled', 'the run was cancelled');
  const cause = (error as { cause?: { type?: string; message?: string } }).cause;
  return new StepFailure(step, cause?.type ?? (error as { type?: string }).type ?? 'Error', describe(error));
}

function overallVerdict(result: ValidationResult, failOnRegression: boolean): RunVerdict {
  const rank: Record<RunVerdict, number> = { pass: 0, warn: 1, fail: 2 };
  let verdict: RunVerdict = result.ai?.verdict.verdict ?? 'pass';
  const raise = (v: RunVerdict) => (verdict = rank[v] > rank[verdict] ? v : verdict);
  if (result.failure) raise('fail');
  if (result.baseline?.overall === 'Poor') raise('warn');
  if (result.baseline?.regressed) raise(failOnRegression ? 'fail' : 'warn');
  return verdict;
}
