/**
 * The validation saga on the real dev server with stubbed activities: the order of forward and undo steps, how
 * failures and cancellation surface, retries, the progress query and search attributes. Never touches a cluster.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { startValidation } from '../../src/client/validation';
import { SearchAttr } from '../../src/search-attributes';
import { parseScenarioData } from '../../src/scenarios';
import { progressQuery, type validateScenario } from '../../src/workflows';
import type { ValidationResult } from '../../src/run/contracts';
import { uniqueTaskQueue } from '../helpers/env';
import {
  perService,
  type Activities,
  chainScenario,
  deferred,
  forwardCalls,
  healthReport,
  heartbeatUntilCancelled,
  passingStubs,
  stubActivities,
  tellApplied,
  undoCalls,
  type WaveInput,
  withStubWorker,
} from './helpers';

type Handle = WorkflowHandle<typeof validateScenario>;

/** A stub that never lets go (or a cancellation that never arrives) fails its test instead of hanging the run. */
const timeout = 30_000;

/** Starts the chain scenario on a task queue of its own, with a worker running `activities`. */
async function run<T>(
  activities: Activities,
  fn: (handle: Handle, client: Client) => Promise<T>,
  scenario = chainScenario,
): Promise<T> {
  const taskQueue = uniqueTaskQueue('saga');
  return withStubWorker(taskQueue, activities, async (client) => {
    const handle = await startValidation(client, {
      scenario,
      clusterName: 'test-cluster',
      ai: 'off',
      taskQueue,
      workflowId: `saga-test-${taskQueue}`,
    });
    return fn(handle, client);
  });
}

/** The run's record: the workflow completes with it whenever kubeproof did its job, failed steps included. */
async function recordOf(handle: Handle): Promise<ValidationResult> {
  return handle.result();
}

/** A run that could not confirm its cleanup fails, with its record in the failure's details. */
async function failureOf(handle: Handle): Promise<{ failure: ApplicationFailure; result: ValidationResult }> {
  const error: unknown = await handle.result().then(
    (r) => assert.fail(`expected the run to fail, it returned verdict ${r.verdict}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(error)}`);
  assert.ok(
    error.cause instanceof ApplicationFailure,
    `expected an ApplicationFailure cause, got ${String(error.cause)}`,
  );
  const result = error.cause.details?.[0] as ValidationResult | undefined;
  assert.ok(result, 'the failure carries the run record as details[0]');
  return { failure: error.cause, result };
}

/** The calls a failed run makes after its forward path: evidence snapshot (if health never ran), cleanup, AI. */
const afterDeployFailure = ['checkHealth', 'cleanupRun', 'judgeRun', 'recordRunMetrics'];

const services = chainScenario.spec.services.map((s) => s.name);
const deployStub: Activities['deployService'] = (input) => passingStubs.deployService(input);

describe('validateScenario saga', () => {
  it('deploys dependencies first, cleans up with one namespace delete, and passes', { timeout }, async () => {
    const { activities, calls } = stubActivities();
    const result = await run(activities, recordOf);

    assert.deepEqual(calls, [...forwardCalls, ...undoCalls, 'recordRunMetrics']);
    assert.equal(result.verdict, 'pass');
    assert.equal(result.ending, 'finished');
    assert.equal(result.failure, undefined);
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.status]),
      [
        ['preflight', 'ok'],
        ['deploy', 'ok'],
        ['health', 'ok'],
        ['ai', 'ok'],
        ['baseline', 'ok'],
        ['cleanup', 'ok'],
      ],
    );
    assert.deepEqual(result.waves, [['c'], ['b'], ['a']]);
    assert.deepEqual(result.compensations, [{ name: 'delete run namespace', ok: true }]);
    assert.match(result.namespace, /^kp-chain-[0-9a-f]{12}$/);
    assert.equal(result.cleanupProblem, undefined);
    assert.deepEqual(result.cleanup?.left, []);
  });

  it(
    'names everything after the workflow id, so a second run of another id gets another namespace',
    { timeout },
    async () => {
      const namespaces: string[] = [];
      const { activities } = stubActivities({
        cleanupRun: (input) => {
          namespaces.push(input.namespace);
          return passingStubs.cleanupRun(input);
        },
      });
      const first = await run(activities, recordOf);
      const second = await run(activities, recordOf);
      assert.equal(namespaces[0], first.namespace);
      assert.equal(namespaces[1], second.namespace);
      assert.notEqual(first.namespace, second.namespace);
      assert.equal(first.runKey.length, 16);
    },
  );

  it(
    'completes with verdict fail at the health step naming the unhealthy service, then cleans up and explains',
    { timeout },
    async () => {
      const judged: unknown[] = [];
      const { activities, calls } = stubActivities({
        checkHealth: () => Promise.resolve(healthReport(services, { b: ['0/1 endpoints ready'] })),
        judgeRun: (input) => {
          judged.push(input);
          return passingStubs.judgeRun(input);
        },
      });
      const { result, verdict, status } = await run(activities, async (handle) => {
        const result = await recordOf(handle);
        const described = await handle.describe();
        return {
          result,
          verdict: described.typedSearchAttributes.get(SearchAttr.Verdict),
          status: described.status.name,
        };
      });

      assert.equal(status, 'COMPLETED');
      assert.equal(result.verdict, 'fail', 'hard evidence wins over the stub AI verdict "pass"');
      assert.equal(result.ending, 'step-failed');
      assert.deepEqual(result.failure, {
        step: 'health',
        service: 'b',
        type: 'HealthCheckFailed',
        message: 'service b: 0/1 endpoints ready',
      });
      assert.deepEqual(calls, [
        ...forwardCalls.slice(0, forwardCalls.indexOf('checkHealth') + 1),
        'cleanupRun',
        'judgeRun',
        'recordRunMetrics',
      ]);
      assert.deepEqual(
        result.steps.map((s) => [s.name, s.status]),
        [
          ['preflight', 'ok'],
          ['deploy', 'ok'],
          ['health', 'failed'],
          ['cleanup', 'ok'],
        ],
      );
      // The explanation ran after cleanup, over the failure and what cleanup did.
      const explain = judged[0] as { failedStep?: { service?: string }; cleanup?: { left: string[] } };
      assert.equal(explain.failedStep?.service, 'b');
      assert.deepEqual(explain.cleanup?.left, []);
      assert.equal(result.ai?.explainsFailure, true);
      assert.equal(verdict, 'fail');
    },
  );

  it('fails the deploy step, blaming the dependency, when a dependency never gets Ready', { timeout }, async () => {
    const { activities, calls } = stubActivities({
      deployWave: perService(async (input) => {
        const met = await deployStub(input);
        return input.service.name === 'c' ? { ...met, state: 'timeout', reason: '0/1 pods ready after 20s' } : met;
      }),
    });
    const result = await run(activities, recordOf);

    assert.equal(result.verdict, 'fail');
    assert.deepEqual(result.failure, {
      step: 'deploy',
      service: 'c',
      type: 'ServiceNotReady',
      message: 'service c (needed "ready" by b): 0/1 pods ready after 20s',
    });
    assert.deepEqual(calls, ['preflight', 'applyNamespace', 'deployWave c', ...afterDeployFailure]);
  });

  it(
    'fails the deploy step, blaming the leaf, when a service nothing depends on never gets Ready',
    { timeout },
    async () => {
      const { activities, calls } = stubActivities({
        deployWave: perService(async (input) => {
          const met = await deployStub(input);
          return input.service.name === 'a' ? { ...met, state: 'timeout', reason: '0/1 pods ready after 20s' } : met;
        }),
      });
      const result = await run(activities, recordOf);

      assert.deepEqual(result.failure, {
        step: 'deploy',
        service: 'a',
        type: 'ServiceNotReady',
        message: 'service a: 0/1 pods ready after 20s',
      });
      assert.deepEqual(calls.slice(-4), afterDeployFailure);
      assert.ok(!calls.includes('judgeRun') || calls.indexOf('judgeRun') > calls.indexOf('cleanupRun'));
    },
  );

  it(
    'fails the preflight step, creates nothing, and still explains, when the cluster cannot hold the run',
    { timeout },
    async () => {
      const { activities, calls } = stubActivities({
        preflight: () =>
          Promise.resolve({
            ok: false,
            serverVersion: 'v1.36.3',
            problems: [{ what: 'capacity: cpu', detail: 'needs 64 CPU per node, largest has 8', remedy: 'add nodes' }],
            message: 'capacity: cpu: needs 64 CPU per node, largest has 8. To fix: add nodes.',
          }),
      });
      const result = await run(activities, recordOf);
      assert.deepEqual(
        calls,
        ['preflight', 'judgeRun', 'recordRunMetrics'],
        'no namespace create, no snapshot, no cleanup',
      );
      assert.equal(result.verdict, 'fail');
      assert.equal(result.failure?.step, 'preflight');
      assert.equal(result.failure?.type, 'PreflightFailed');
      assert.match(result.failure?.message ?? '', /needs 64 CPU per node/);
      assert.equal(result.namespace, '');
      assert.equal(result.cleanupProblem, undefined, 'nothing was created, so nothing is left');
    },
  );

  it(
    'fails the workflow with the record in its details when cleanup cannot confirm nothing is left',
    { timeout },
    async () => {
      const { activities } = stubActivities({
        cleanupRun: (input) =>
          Promise.resolve({ deleted: [], left: [`Namespace/${input.namespace}`], durationMs: 180_000 }),
      });
      const { failure, result } = await run(activities, failureOf);
      assert.equal(failure.type, 'LeftoverObjects');
      assert.match(failure.message, /^cleanup not confirmed: objects left after cleanup: Namespace\/kp-chain-/);
      assert.equal(result.verdict, 'fail');
      assert.equal(result.failure?.step, 'cleanup');
    },
  );

  it('records a failing undo step and fails the workflow, since cleanup is not confirmed', { timeout }, async () => {
    const { activities, calls } = stubActivities({
      checkHealth: () => Promise.resolve(healthReport(services, { a: ['readiness probe failing'] })),
      cleanupRun: () => Promise.reject(ApplicationFailure.nonRetryable('namespaces "kp" is forbidden', 'Forbidden')),
    });
    const { failure, result } = await run(activities, failureOf);

    assert.equal(failure.type, 'LeftoverObjects');
    assert.equal(result.failure?.service, 'a', 'the first failure stays the run failure');
    assert.equal(calls.filter((c) => c === 'cleanupRun').length, 1, 'no retry of a non-retryable failure');
    assert.deepEqual(result.compensations, [
      { name: 'delete run namespace', ok: false, error: 'namespaces "kp" is forbidden' },
    ]);
    assert.match(result.cleanupProblem ?? '', /undo steps failed: delete run namespace/);
  });

  /**
   * Blocks the deploy of `service` until cancelled, cancels the run once it is blocked, and returns the record and
   * the activity calls. A cancelled run completes with its record after cleanup.
   */
  async function cancelWhileDeploying(service: string): Promise<{ calls: string[]; result: ValidationResult }> {
    const started = deferred();
    const cancelled = deferred();
    const { activities, calls } = stubActivities({
      deployWave: perService((input) =>
        input.service.name === service
          ? heartbeatUntilCancelled(started.resolve, cancelled.resolve)
          : deployStub(input),
      ),
    });
    const { result, status } = await run(activities, async (handle) => {
      await started.promise;
      await handle.cancel();
      const result = await recordOf(handle);
      await cancelled.promise;
      return { result, status: (await handle.describe()).status.name };
    });
    assert.equal(status, 'COMPLETED');
    assert.equal(result.ending, 'cancelled');
    assert.equal(result.verdict, 'fail');
    assert.equal(result.failure?.type, 'Cancelled');
    return { calls, result };
  }

  it(
    'still deletes the run namespace when the run is cancelled mid-deploy, and keeps its record',
    { timeout },
    async () => {
      const { calls, result } = await cancelWhileDeploying('c');
      assert.deepEqual(calls, ['preflight', 'applyNamespace', 'deployWave c', ...afterDeployFailure]);
      assert.equal(result.failure?.step, 'deploy');
      assert.deepEqual(result.cleanup?.left, []);
    },
  );

  it('ends cancelled, not failed, when cancelled while the last service is still deploying', { timeout }, async () => {
    const { calls } = await cancelWhileDeploying('a');
    assert.deepEqual(calls.slice(-4), afterDeployFailure);
  });

  it('starts cleanup only after a cancelled namespace create has really stopped', { timeout }, async () => {
    const started = deferred();
    const { activities, calls } = stubActivities({
      applyNamespace: async (input) => {
        const ctx = Context.current();
        started.resolve();
        // A slow API server: the create lands a while after the cancellation was requested.
        while (!ctx.cancellationSignal.aborted) {
          ctx.heartbeat();
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 1500));
        calls.push('namespace create landed');
        return passingStubs.applyNamespace(input);
      },
    });
    const result = await run(activities, async (handle) => {
      await started.promise;
      await handle.cancel();
      return recordOf(handle);
    });
    assert.equal(result.ending, 'cancelled');
    const landed = calls.indexOf('namespace create landed');
    assert.ok(
      landed >= 0 && landed < calls.indexOf('cleanupRun'),
      `cleanup must follow the landed create: ${calls.join(', ')}`,
    );
  });

  it('ends properly when cancellation coincides with a step failure', { timeout }, async () => {
    const started = deferred();
    const { activities } = stubActivities({
      checkHealth: async (input) => {
        if (input.settleMs === 0) return healthReport(services);
        started.resolve();
        await new Promise((r) => setTimeout(r, 300));
        throw ApplicationFailure.nonRetryable('health blew up', 'HealthCheckFailed');
      },
    });
    const result = await run(activities, async (handle) => {
      await started.promise;
      await handle.cancel();
      return recordOf(handle);
    });
    assert.equal(result.verdict, 'fail');
    assert.equal(result.failure?.step, 'health');
    assert.deepEqual(result.cleanup?.left, []);
  });

  it('fails with TotalTimeout and still cleans up when the run outlasts spec.timeouts.total', { timeout }, async () => {
    const quick = parseScenarioData(
      {
        apiVersion: 'kubeproof.dev/v1',
        kind: 'Scenario',
        metadata: { name: 'chain' },
        spec: {
          timeouts: { ready: '1s', total: '3s' },
          samples: 1,
          services: [{ name: 'c', image: 'nginx:1.27', replicas: 1 }],
        },
      },
      'quick.yaml',
    );
    const { activities, calls } = stubActivities({
      checkHealth: (input) =>
        input.settleMs === 0
          ? Promise.resolve(healthReport(['c']))
          : heartbeatUntilCancelled(
              () => undefined,
              () => undefined,
            ),
    });
    const result = await run(activities, recordOf, quick);
    assert.equal(result.failure?.type, 'TotalTimeout');
    assert.equal(result.failure?.step, 'health');
    assert.equal(result.ending, 'step-failed');
    assert.deepEqual(calls.slice(-3), ['cleanupRun', 'judgeRun', 'recordRunMetrics']);
    assert.deepEqual(result.cleanup?.left, []);
  });

  it('fails at the deploy step without retrying when a manifest is invalid', { timeout }, async () => {
    const { activities, calls } = stubActivities({
      deployWave: perService((input) =>
        input.service.name === 'c'
          ? // Marked retryable on purpose: only the retry policy's nonRetryableErrorTypes may stop the retry.
            Promise.reject(
              ApplicationFailure.create({
                type: 'InvalidManifest',
                message: 'Deployment "c" is invalid: spec.template.spec.containers[0].image: Required value',
                nonRetryable: false,
              }),
            )
          : deployStub(input),
      ),
    });
    const result = await run(activities, recordOf);

    assert.equal(result.failure?.type, 'InvalidManifest');
    assert.equal(result.failure?.step, 'deploy');
    assert.match(result.failure?.message ?? '', /Deployment "c" is invalid/);
    assert.equal(calls.filter((c) => c === 'deployWave c').length, 1);
    assert.deepEqual(calls, ['preflight', 'applyNamespace', 'deployWave c', ...afterDeployFailure]);
  });

  it('retries a transient API failure and then passes', { timeout }, async () => {
    const attempts: number[] = [];
    const { activities, calls } = stubActivities({
      deployWave: perService((input) => {
        if (input.service.name !== 'b') return deployStub(input);
        const { attempt } = Context.current().info;
        attempts.push(attempt);
        return attempt === 1
          ? Promise.reject(ApplicationFailure.retryable('503 Service Unavailable from the API server', 'TransientApi'))
          : deployStub(input);
      }),
    });
    const result = await run(activities, recordOf);

    assert.deepEqual(attempts, [1, 2]);
    assert.deepEqual(
      calls.filter((c) => c.startsWith('deployWave')),
      ['deployWave c', 'deployWave b', 'deployWave b', 'deployWave a'],
    );
    assert.equal(result.verdict, 'pass');
  });

  it('answers the progress query while a service is still deploying, and after the run', { timeout }, async () => {
    const started = deferred();
    const release = deferred();
    const { activities } = stubActivities({
      deployWave: perService(async (input) => {
        if (input.service.name === 'b') {
          started.resolve();
          await release.promise;
        }
        return deployStub(input);
      }),
    });
    const { during, after, result } = await run(activities, async (handle) => {
      await started.promise;
      const during = await handle.query(progressQuery);
      release.resolve();
      const result = await handle.result();
      return { during, after: await handle.query(progressQuery), result };
    });

    assert.equal(during.step, 'deploy');
    assert.deepEqual(during.services, { a: 'waiting-for-dependencies', b: 'starting', c: 'ready' });
    assert.equal(during.namespace, result.namespace);
    assert.equal(during.workflowId, result.workflowId);
    assert.deepEqual(
      during.steps.map((s) => s.name),
      ['preflight'],
    );
    assert.equal(after.step, 'done');
    assert.deepEqual(after.services, { a: 'ready', b: 'ready', c: 'ready' });
    assert.deepEqual(
      after.steps.map((s) => s.name),
      ['preflight', 'deploy', 'health', 'ai', 'baseline', 'cleanup'],
    );
  });

  it(
    'upserts scenario and cluster at the start, the regression after the baseline, and the verdict and grade at the end',
    { timeout },
    async () => {
      const { activities } = stubActivities();
      const { described, upserts } = await run(activities, async (handle) => {
        await handle.result();
        const history = await handle.fetchHistory();
        const upserts = (history.events ?? [])
          .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)
          .filter((fields) => fields !== undefined && fields !== null)
          .map((fields) =>
            Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, defaultPayloadConverter.fromPayload(p)])),
          );
        return { described: await handle.describe(), upserts };
      });

      assert.deepEqual(upserts, [
        { KubeproofScenario: 'chain', KubeproofCluster: 'test-cluster' },
        // The SDK's own record of patched('deploy-pipelined') (src/workflows/deploy-waves.ts).
        { TemporalChangeVersion: ['deploy-pipelined'] },
        { KubeproofRegression: 'no' },
        { KubeproofVerdict: 'pass', KubeproofGrade: 'Excellent' },
      ]);
      const attrs = described.typedSearchAttributes;
      assert.equal(attrs.get(SearchAttr.Scenario), 'chain');
      assert.equal(attrs.get(SearchAttr.Cluster), 'test-cluster');
      assert.equal(attrs.get(SearchAttr.Verdict), 'pass');
      assert.equal(attrs.get(SearchAttr.Grade), 'Excellent');
    },
  );

  it('shows a summary at start and the verdict in its current details at the end', { timeout }, async () => {
    const { activities } = stubActivities();
    const { summary, details } = await run(activities, async (handle) => {
      await handle.result();
      const described = await handle.describe();
      return {
        summary: await described.staticSummary(),
        details: await handle.query<string>('__temporal_workflow_metadata').catch(() => undefined),
      };
    });
    assert.equal(summary, 'chain on test-cluster');
    const meta = details as unknown as { currentDetails?: string } | undefined;
    assert.match(meta?.currentDetails ?? '', /\*\*PASS\*\*, grade Excellent/);
  });
});

/** Rejects the apply of `service` with an InvalidManifest whose message does not name the service. */
const rejectApplyOf =
  (service: string): Activities['deployService'] =>
  (input) =>
    input.service.name === service
      ? Promise.reject(ApplicationFailure.nonRetryable('the API server rejected the manifest', 'InvalidManifest'))
      : passingStubs.deployService(input);

describe('validateScenario saga, failure attribution', () => {
  it('names the dependency whose manifest was rejected', { timeout }, async () => {
    const result = await run(stubActivities({ deployWave: perService(rejectApplyOf('c')) }).activities, recordOf);
    assert.equal(result.failure?.type, 'InvalidManifest');
    assert.equal(result.failure?.service, 'c');
    assert.match(result.failure?.message ?? '', /service c/);
  });

  it(
    'records the deploy step, not the health step, as failed when the last service cannot be applied',
    { timeout },
    async () => {
      const result = await run(stubActivities({ deployWave: perService(rejectApplyOf('a')) }).activities, recordOf);
      assert.equal(result.failure?.step, 'deploy');
      assert.equal(result.failure?.service, 'a');
      assert.deepEqual(
        result.steps.map((s) => [s.name, s.status]),
        [
          ['preflight', 'ok'],
          ['deploy', 'failed'],
          ['cleanup', 'ok'],
        ],
      );
    },
  );
});

const waveOf = (input: WaveInput) => input.services.map((s) => s.name).join(',');

describe('validateScenario saga, waves that await their own edges', () => {
  it(
    'starts the next wave once the wave before says it is applied, handing it the edges to await',
    { timeout },
    async () => {
      const inputs = new Map<string, WaveInput>();
      const nextStarted = deferred();
      let startedWhileFollowing = false;
      const { activities, calls } = stubActivities({
        deployWave: async (input) => {
          inputs.set(waveOf(input), input);
          if (waveOf(input) === 'b') nextStarted.resolve();
          if (waveOf(input) === 'c') {
            await tellApplied(input);
            // c settles only once b has started, or after 5 s: without the head start b starts after c settles.
            startedWhileFollowing = await Promise.race([
              nextStarted.promise.then(() => true),
              new Promise<false>((r) => setTimeout(() => r(false), 5000)),
            ]);
          }
          return perService(deployStub)(input);
        },
      });
      const result = await run(activities, recordOf);

      assert.equal(result.verdict, 'pass');
      assert.ok(startedWhileFollowing, 'wave b started while wave c was still following its pods');
      assert.deepEqual(
        calls.filter((c) => c.startsWith('deployWave')),
        ['deployWave c', 'deployWave b', 'deployWave a'],
      );
      assert.deepEqual(inputs.get('c')?.dependencies, []);
      const edge = { replicas: 1, hasPorts: false, timeoutMs: 20_000 };
      assert.deepEqual(inputs.get('b')?.dependencies, [{ service: 'c', neededBy: 'b', condition: 'ready', ...edge }]);
      // b had settled Ready when a started (no signal from b), and `healthy` is still checked by a's wave.
      assert.deepEqual(inputs.get('a')?.dependencies, [{ service: 'b', neededBy: 'a', condition: 'healthy', ...edge }]);
      assert.deepEqual(
        ['c', 'b', 'a'].map((w) => inputs.get(w)?.wave),
        [0, 1, 2],
        'every wave, the last too, is asked to say when it is applied',
      );
    },
  );

  it('shows a wave waiting for its dependencies until it says it is applied, then starting', { timeout }, async () => {
    const bStarted = deferred();
    const bApply = deferred();
    const release = deferred();
    const { activities } = stubActivities({
      deployWave: async (input) => {
        if (waveOf(input) === 'c') {
          await tellApplied(input);
          await release.promise;
        }
        if (waveOf(input) === 'b') {
          bStarted.resolve();
          await bApply.promise;
          await tellApplied(input);
          await release.promise;
        }
        if (waveOf(input) === 'a') await release.promise;
        return perService(deployStub)(input);
      },
    });
    const { waiting, applied, result } = await run(activities, async (handle) => {
      await bStarted.promise;
      const waiting = (await handle.query(progressQuery)).services;
      bApply.resolve();
      let applied = waiting;
      for (let i = 0; i < 100 && applied.b === 'waiting-for-dependencies'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        applied = (await handle.query(progressQuery)).services;
      }
      release.resolve();
      return { waiting, applied, result: await handle.result() };
    });

    // b awaits c, still on its way, inside its own activity; a waits for b.
    assert.deepEqual(waiting, { c: 'starting', b: 'waiting-for-dependencies', a: 'waiting-for-dependencies' });
    // b's signal says its edge was met and it is applied. a's wave has started on it and awaits b's `healthy` edge
    // itself: still waiting, though b will be Ready before it serves.
    assert.deepEqual(applied, { c: 'starting', b: 'starting', a: 'waiting-for-dependencies' });
    assert.equal(result.verdict, 'pass');
  });

  it(
    'blames the dependency a wave gave up on, stops the dependency still running, and applies nothing after it',
    { timeout },
    async () => {
      const cancelled = deferred();
      const { activities, calls } = stubActivities({
        deployWave: async (input) => {
          if (waveOf(input) === 'c') {
            await tellApplied(input);
            return heartbeatUntilCancelled(() => undefined, cancelled.resolve);
          }
          return {
            services: [],
            blocked: {
              service: 'c',
              neededBy: 'b',
              condition: 'ready',
              state: 'timeout',
              reason: '0/1 replicas ready after 20s waiting for "ready"',
            },
          };
        },
      });
      const result = await run(activities, recordOf);
      await cancelled.promise;

      assert.deepEqual(result.failure, {
        step: 'deploy',
        service: 'c',
        type: 'ServiceNotReady',
        message: 'service c (needed "ready" by b): 0/1 replicas ready after 20s waiting for "ready"',
      });
      assert.deepEqual(calls, ['preflight', 'applyNamespace', 'deployWave c', 'deployWave b', ...afterDeployFailure]);
      assert.deepEqual(result.cleanup?.left, []);
    },
  );
});
