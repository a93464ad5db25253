/**
 * The validation saga on the real dev server with stubbed activities: the order of forward and undo steps, how
 * failures and cancellation surface, retries, the progress query and search attributes. Never touches a cluster.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, defaultPayloadConverter } from '@temporalio/common';
import { startValidation } from '../../src/client/validation';
import { SearchAttr } from '../../src/search-attributes';
import { parseScenarioData } from '../../src/scenarios';
import { progressQuery, type validateScenario } from '../../src/workflows';
import type { ValidationResult } from '../../src/workflows/types';
import { uniqueTaskQueue } from '../helpers/env';
import {
  type Activities,
  chainScenario,
  deferred,
  forwardCalls,
  healthReport,
  heartbeatUntilCancelled,
  passingStubs,
  stubActivities,
  undoCalls,
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

/** The run's failure, which must be an ApplicationFailure carrying the partial ValidationResult. */
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
  assert.ok(result, 'the failure carries the partial ValidationResult as details[0]');
  return { failure: error.cause, result };
}

const services = chainScenario.spec.services.map((s) => s.name);
const deployStub: Activities['deployService'] = (input) => passingStubs.deployService(input);

describe('validateScenario saga', () => {
  it(
    'deploys dependencies first, then undoes every step in reverse with the namespace last, and passes',
    { timeout },
    async () => {
      const { activities, calls } = stubActivities();
      const result = await run(activities, (handle) => handle.result());

      assert.deepEqual(calls, [...forwardCalls, ...undoCalls]);
      assert.equal(result.verdict, 'pass');
      assert.equal(result.failure, undefined);
      assert.deepEqual(
        result.steps.map((s) => [s.name, s.status]),
        [
          ['deploy', 'ok'],
          ['health', 'ok'],
          ['ai', 'ok'],
          ['baseline', 'ok'],
          ['cleanup', 'ok'],
        ],
      );
      assert.deepEqual(result.waves, [['c'], ['b'], ['a']]);
      assert.deepEqual(result.compensations, [
        { name: 'delete service a', ok: true },
        { name: 'delete service b', ok: true },
        { name: 'delete service c', ok: true },
        { name: 'delete run namespace', ok: true },
      ]);
      assert.equal(result.namespace, 'kp-chain-test');
      assert.deepEqual(result.cleanup?.left, []);
    },
  );

  it(
    'fails at the health step naming the unhealthy service, and undoes everything in reverse',
    { timeout },
    async () => {
      const { activities, calls } = stubActivities({
        checkHealth: () => Promise.resolve(healthReport(services, { b: ['0/1 endpoints ready'] })),
      });
      const { failure, result, verdict } = await run(activities, async (handle) => {
        const failed = await failureOf(handle);
        const described = await handle.describe();
        return { ...failed, verdict: described.typedSearchAttributes.get(SearchAttr.Verdict) };
      });

      assert.equal(failure.type, 'HealthCheckFailed');
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /^health step failed: service b: 0\/1 endpoints ready$/);
      assert.deepEqual(result.failure, {
        step: 'health',
        service: 'b',
        type: 'HealthCheckFailed',
        message: 'service b: 0/1 endpoints ready',
      });
      assert.deepEqual(calls, [...forwardCalls.slice(0, forwardCalls.indexOf('checkHealth') + 1), ...undoCalls]);
      assert.deepEqual(
        result.steps.map((s) => [s.name, s.status]),
        [
          ['deploy', 'ok'],
          ['health', 'failed'],
        ],
      );
      assert.ok(result.compensations.every((c) => c.ok));
      assert.equal(verdict, 'fail');
    },
  );

  it(
    'fails at the deploy step when a dependency times out, and never deploys its dependents',
    { timeout },
    async () => {
      const { activities, calls } = stubActivities({
        deployService: async (input) => {
          const met = await deployStub(input);
          return input.service.name === 'c' ? { ...met, state: 'timeout', reason: '0/1 pods ready after 20s' } : met;
        },
      });
      const { failure, result } = await run(activities, failureOf);

      assert.equal(failure.type, 'ServiceNotReady');
      assert.match(failure.message, /^deploy step failed: service c \(needed by b\): 0\/1 pods ready after 20s$/);
      assert.equal(result.failure?.step, 'deploy');
      assert.equal(result.failure?.service, 'c');
      assert.deepEqual(calls, ['applyNamespace', 'deployService c', 'deleteService c', 'cleanupRun']);
      assert.deepEqual(
        result.compensations.map((c) => c.name),
        ['delete service c', 'delete run namespace'],
      );
    },
  );

  it('goes on with the other undo steps when one fails, and rethrows the original failure', { timeout }, async () => {
    const { activities, calls } = stubActivities({
      checkHealth: () => Promise.resolve(healthReport(services, { a: ['readiness probe failing'] })),
      deleteService: ({ service }) =>
        service === 'b'
          ? Promise.reject(ApplicationFailure.nonRetryable('deployments "b" is forbidden', 'Forbidden'))
          : Promise.resolve({ deleted: [`Deployment/${service}`] }),
    });
    const { failure, result } = await run(activities, failureOf);

    assert.equal(failure.type, 'HealthCheckFailed');
    assert.equal(result.failure?.service, 'a');
    // Each undo step ran exactly once (no retry of the non-retryable failure), cleanupRun still last.
    assert.deepEqual(calls.slice(calls.indexOf('checkHealth') + 1), undoCalls);
    assert.deepEqual(result.compensations, [
      { name: 'delete service a', ok: true },
      { name: 'delete service b', ok: false, error: 'deployments "b" is forbidden' },
      { name: 'delete service c', ok: true },
      { name: 'delete run namespace', ok: true },
    ]);
  });

  /**
   * Blocks the deploy of `service` until cancelled, cancels the run once it is blocked, and asserts the run ends
   * CANCELLED (not failed). Returns the activity calls for the caller's compensation assertions.
   */
  async function cancelWhileDeploying(service: string): Promise<string[]> {
    const started = deferred();
    const cancelled = deferred();
    const { activities, calls } = stubActivities({
      deployService: (input) =>
        input.service.name === service
          ? heartbeatUntilCancelled(started.resolve, cancelled.resolve)
          : deployStub(input),
    });
    const { error, status } = await run(activities, async (handle) => {
      await started.promise;
      await handle.cancel();
      const outcome: unknown = await handle.result().then(
        () => assert.fail('expected the cancelled run not to complete'),
        (e: unknown) => e,
      );
      // The blocked activity learns of the cancellation from a heartbeat (throttled to 200 ms in these tests).
      await cancelled.promise;
      return { error: outcome, status: (await handle.describe()).status.name };
    });
    assert.ok(error instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(error)}`);
    const cause = error.cause;
    assert.ok(
      cause instanceof CancelledFailure,
      `expected a CancelledFailure cause, got ${cause?.name} ${(cause as ApplicationFailure | undefined)?.type}: ${cause?.message}`,
    );
    assert.equal(status, 'CANCELLED');
    return calls;
  }

  it(
    'still deletes what it deployed and the run namespace when the run is cancelled mid-deploy',
    { timeout },
    async () => {
      // c is the first wave: b and a are never deployed.
      assert.deepEqual(await cancelWhileDeploying('c'), [
        'applyNamespace',
        'deployService c',
        'deleteService c',
        'cleanupRun',
      ]);
    },
  );

  it('ends cancelled, not failed, when cancelled while the last service is still deploying', { timeout }, async () => {
    const calls = await cancelWhileDeploying('a');
    assert.deepEqual(calls.slice(-4), ['deleteService a', 'deleteService b', 'deleteService c', 'cleanupRun']);
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
      checkHealth: () =>
        heartbeatUntilCancelled(
          () => undefined,
          () => undefined,
        ),
    });
    const { failure, result } = await run(activities, failureOf, quick);
    assert.equal(failure.type, 'TotalTimeout');
    assert.equal(result.failure?.step, 'health');
    assert.deepEqual(calls.slice(-2), ['deleteService c', 'cleanupRun']);
    assert.deepEqual(result.cleanup?.left, []);
  });

  it('fails at the deploy step without retrying when a manifest is invalid', { timeout }, async () => {
    const { activities, calls } = stubActivities({
      deployService: (input) =>
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
    });
    const { failure, result } = await run(activities, failureOf);

    assert.equal(failure.type, 'InvalidManifest');
    assert.equal(result.failure?.step, 'deploy');
    assert.match(failure.message, /^deploy step failed: .*Deployment "c" is invalid/);
    assert.equal(calls.filter((c) => c === 'deployService c').length, 1);
    assert.deepEqual(calls, ['applyNamespace', 'deployService c', 'deleteService c', 'cleanupRun']);
  });

  it('retries a transient API failure and then passes', { timeout }, async () => {
    const attempts: number[] = [];
    const { activities, calls } = stubActivities({
      deployService: (input) => {
        if (input.service.name !== 'b') return deployStub(input);
        const { attempt } = Context.current().info;
        attempts.push(attempt);
        return attempt === 1
          ? Promise.reject(ApplicationFailure.retryable('503 Service Unavailable from the API server', 'TransientApi'))
          : deployStub(input);
      },
    });
    const result = await run(activities, (handle) => handle.result());

    assert.deepEqual(attempts, [1, 2]);
    assert.deepEqual(
      calls.filter((c) => c.startsWith('deployService')),
      ['deployService c', 'deployService b', 'deployService b', 'deployService a'],
    );
    assert.equal(result.verdict, 'pass');
  });

  it('answers the progress query while a service is still deploying, and after the run', { timeout }, async () => {
    const started = deferred();
    const release = deferred();
    const { activities } = stubActivities({
      deployService: async (input) => {
        if (input.service.name === 'b') {
          started.resolve();
          await release.promise;
        }
        return deployStub(input);
      },
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
    assert.equal(during.namespace, 'kp-chain-test');
    assert.equal(during.workflowId, result.workflowId);
    assert.equal(typeof during.elapsedMs, 'number');
    assert.ok(during.elapsedMs >= 0, `elapsedMs ${during.elapsedMs}`);
    assert.equal(after.step, 'done');
    assert.deepEqual(after.services, { a: 'ready', b: 'ready', c: 'ready' });
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
    const { failure, result } = await run(stubActivities({ deployService: rejectApplyOf('c') }).activities, failureOf);
    assert.equal(failure.type, 'InvalidManifest');
    assert.equal(result.failure?.service, 'c');
    assert.match(failure.message, /service c/);
  });

  it(
    'records the deploy step, not the health step, as failed when the last service cannot be applied',
    { timeout },
    async () => {
      const { result } = await run(stubActivities({ deployService: rejectApplyOf('a') }).activities, failureOf);
      assert.equal(result.failure?.step, 'deploy');
      assert.equal(result.failure?.service, 'a');
      assert.deepEqual(
        result.steps.map((s) => [s.name, s.status]),
        [['deploy', 'failed']],
      );
    },
  );
});
