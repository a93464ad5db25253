/**
 * The validation workflow end to end on the real stack: real Temporal dev server, real control plane with
 * KWOK, a real worker. Every test checks the cluster afterwards for objects carrying the run's label.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultPayloadConverter } from '@temporalio/common';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { loadScenario, parseScenarioData } from '../../src/scenarios';
import type { ServiceHealth } from '../../src/k8s/types';
import type { Scenario } from '../../src/scenarios/schema';
import type { Progress } from '../../src/run/contracts';
import { leftovers } from '../helpers/cluster';
import { repoRoot, stack, uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';

/** A built-in scenario with changes applied to some of its services (simulation labels, delays, sizes). */
function variant(
  name: string,
  patch: (svc: Record<string, unknown>) => void,
  spec: Record<string, unknown> = {},
): Scenario {
  const base = JSON.parse(JSON.stringify(loadScenario(name))) as {
    spec: { services: Record<string, unknown>[]; timeouts: Record<string, number> };
  };
  const toText = (ms: number) => `${ms}ms`;
  const input = {
    ...base,
    spec: {
      ...base.spec,
      timeouts: { total: toText(base.spec.timeouts.total!), ready: toText(base.spec.timeouts.ready!) },
      targets: Object.fromEntries(
        Object.entries((base.spec as unknown as { targets: Record<string, number> }).targets).map(([k, v]) => [
          k,
          toText(v),
        ]),
      ),
      services: base.spec.services.map((s) => {
        const copy = {
          ...s,
          dependsOn: (s.dependsOn as { service: string; condition: string; timeout: number }[]).map((d) => ({
            ...d,
            timeout: toText(d.timeout),
          })),
        };
        patch(copy);
        return copy;
      }),
      ...spec,
    },
  };
  return parseScenarioData(input, `${name}-variant.yaml`);
}

async function runOnStack(scenario: Scenario, opts: { samples?: number; skipBaseline?: boolean } = {}) {
  const { client, close } = await temporalClient();
  const taskQueue = uniqueTaskQueue('validation');
  try {
    return await withWorker(taskQueue, async () => {
      const handle = await startValidation(client, {
        scenario,
        clusterName: 'local-kwok',
        ai: 'auto',
        taskQueue,
        samples: opts.samples ?? 2,
        ...(opts.skipBaseline ? { skipBaseline: true } : {}),
      });
      const outcome = await outcomeOf(handle);
      const history = await handle.fetchHistory();
      return { outcome, history, workflowId: handle.workflowId };
    });
  } finally {
    await close();
  }
}

function scheduledActivities(
  history: Awaited<ReturnType<typeof runOnStack>>['history'],
): { type: string; service?: string; services?: string[] }[] {
  return (history.events ?? [])
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => {
      const attrs = e.activityTaskScheduledEventAttributes!;
      const [arg] = (attrs.input?.payloads ?? []).map((p) =>
        defaultPayloadConverter.fromPayload<{ service?: { name: string } | string; services?: { name: string }[] }>(p),
      );
      const service = typeof arg?.service === 'string' ? arg.service : arg?.service?.name;
      const services = arg?.services?.map((s) => s.name);
      return {
        type: attrs.activityType?.name ?? '',
        ...(service ? { service } : {}),
        ...(services ? { services } : {}),
      };
    });
}

describe('validateScenario on the local stack', () => {
  it('passes web-app-stack, deploying in dependency order and leaving nothing behind', async () => {
    const { outcome, history, workflowId } = await runOnStack(loadScenario('web-app-stack'));
    assert.ok(outcome.ok, `run failed: ${outcome.ok ? '' : outcome.message}`);
    const result = outcome.result;
    assert.ok(['pass', 'warn'].includes(result.verdict), `verdict ${result.verdict}`);
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
    assert.equal(result.ai?.source, 'rules', 'with no AI configured the verdict is labelled as the rules fallback');
    assert.deepEqual(result.cleanup?.left, []);
    assert.ok((result.cleanup?.deleted.length ?? 0) >= 9, 'cleanup reports what it deleted');
    assert.deepEqual(await leftovers(workflowId), []);
    // Dependency order in history, one activity per wave: database and cache, then backend, then frontend.
    const deploys = scheduledActivities(history)
      .filter((a) => a.type === 'deployWave')
      .map((a) => a.services ?? []);
    assert.equal(deploys.length, 3);
    assert.deepEqual(new Set(deploys[0]), new Set(['database', 'cache']));
    assert.deepEqual(deploys.slice(1), [['backend'], ['frontend']]);
    // Every pod seen from creation to Ready, and baseline summaries computed from real samples.
    assert.equal(result.pods.length, 7);
    assert.ok(result.pods.every((p) => p.readyAt !== undefined && p.readyAt >= p.createdAt));
    const scaleOut = result.baseline?.summaries.find((s) => s.metric === 'scaleOut');
    assert.equal(scaleOut?.n, 2);
    // Rollouts complete at the scenario's replica count: scaling for scale-out must not have changed it.
    const restart = result.baseline?.summaries.find((s) => s.metric === 'rollingRestart');
    assert.deepEqual([restart?.n, restart?.failures], [2, 0]);
  });

  it('starts each wave while the one before is still on its way, and applies it only once that one is Ready', async () => {
    const slow = variant('web-app-stack', (svc) => {
      svc.podAnnotations = { 'kubeproof.dev/ready-delay': '2s' };
    });
    const { outcome, history, workflowId } = await runOnStack(slow, { skipBaseline: true });
    assert.ok(outcome.ok, `run failed: ${outcome.ok ? '' : outcome.message}`);
    const result = outcome.result;
    assert.equal(result.steps.find((s) => s.name === 'deploy')?.status, 'ok');
    assert.deepEqual(await leftovers(workflowId), []);

    // Each of the three waves said when it was applied ...
    const events = history.events ?? [];
    const signals = events.flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
    assert.deepEqual(signals, ['waveApplied', 'waveApplied', 'waveApplied']);
    // ... and the next wave was scheduled before the wave before it completed: pods take 2 s to get Ready.
    const waves = events.flatMap((e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'deployWave' ? [Number(e.eventId)] : [],
    );
    const completed = (scheduledId: number) =>
      events.findIndex((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === scheduledId);
    const scheduledAt = (eventId: number) => events.findIndex((e) => Number(e.eventId) === eventId);
    assert.equal(waves.length, 3);
    assert.ok(scheduledAt(waves[1]!) < completed(waves[0]!), 'backend started before database and cache settled');
    assert.ok(scheduledAt(waves[2]!) < completed(waves[1]!), 'frontend started before backend settled');

    // Yet in the cluster every dependent pod was created after every pod it depends on was Ready.
    const pods = (service: string) => result.pods.filter((p) => p.service === service);
    const readyBy = (service: string) => Math.max(...pods(service).map((p) => p.readyAt ?? Infinity));
    const createdFrom = (service: string) => Math.min(...pods(service).map((p) => p.createdAt));
    for (const svc of slow.spec.services) {
      for (const d of svc.dependsOn) {
        assert.ok(
          createdFrom(svc.name) >= readyBy(d.service),
          `${svc.name} created ${createdFrom(svc.name) - readyBy(d.service)} ms after ${d.service} was Ready`,
        );
      }
    }
  });

  it('passes microservices-stack with zero leftovers', async () => {
    const { outcome, workflowId } = await runOnStack(loadScenario('microservices-stack'), { samples: 1 });
    assert.ok(outcome.ok, `run failed: ${outcome.ok ? '' : outcome.message}`);
    assert.deepEqual(outcome.result.waves, [['shared-database'], ['user-service', 'order-service'], ['api-gateway']]);
    assert.deepEqual(await leftovers(workflowId), []);
  });

  for (const name of ['high-load', 'resource-constrained', 'gpu-inference']) {
    it(`passes the ${name} built-in end to end, every check run, with zero leftovers`, async () => {
      const { outcome, workflowId } = await runOnStack(loadScenario(name), { samples: 1 });
      assert.ok(outcome.ok, `run failed: ${outcome.ok ? '' : outcome.message}`);
      const result = outcome.result;
      assert.notEqual(result.verdict, 'fail', result.verdictReasons.join('; '));
      assert.deepEqual(
        result.steps.map((s) => s.status),
        ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
        JSON.stringify(result.steps),
      );
      assert.equal(result.preflight?.problems.length, 0);
      assert.ok(result.checks.length >= 13, `${result.checks.length} checks`);
      assert.ok(
        !result.checks.some((c) => c.status === 'fail'),
        JSON.stringify(result.checks.filter((c) => c.status === 'fail')),
      );
      assert.deepEqual(result.cleanup?.left, []);
      assert.deepEqual(await leftovers(workflowId), []);
    });
  }

  it('fails the deploy step when a service never becomes ready, names it, explains it, and cleans up every object', async () => {
    const scenario = variant(
      'web-app-stack',
      (s) => void (s.name === 'frontend' && (s.podLabels = { 'kubeproof.dev/simulate': 'never-ready' })),
      { timeouts: { total: '5m', ready: '6s' } },
    );
    const { outcome, workflowId } = await runOnStack(scenario, { skipBaseline: true });
    assert.ok(outcome.ok, 'kubeproof did its job: the run completes with verdict fail');
    const result = outcome.result;
    assert.equal(result.verdict, 'fail');
    assert.equal(result.ending, 'step-failed');
    assert.equal(result.failure?.type, 'ServiceNotReady');
    assert.equal(result.failure?.step, 'deploy', 'a leaf that never gets Ready fails deploy, like a dependency');
    assert.equal(result.failure?.service, 'frontend');
    assert.match(result.failure?.message ?? '', /frontend: .*0\/2/);
    assert.deepEqual(result.cleanup?.left, []);
    assert.ok(result.compensations.every((c) => c.ok));
    // The AI step (rules fallback here) explains the failure after cleanup, naming the service and the reason.
    assert.equal(result.ai?.explainsFailure, true);
    assert.equal(result.ai?.source, 'rules');
    const explanation = JSON.stringify(result.ai?.verdict);
    assert.match(explanation, /frontend never became Ready/);
    // The health snapshot taken before cleanup saw the never-ready pods and their warning events.
    const frontend = result.health?.services.find((h) => h.service === 'frontend');
    assert.equal(frontend?.readyReplicas, 0);
    assert.deepEqual(await leftovers(workflowId), []);
  });

  it('refuses at preflight, creating nothing, a service no node has room for, and explains what to do', async () => {
    const scenario = variant('web-app-stack', (s) => {
      if (s.name === 'frontend')
        s.resources = { requests: { cpu: '64', memory: '128Mi' }, limits: { cpu: '64', memory: '128Mi' } };
    });
    const { outcome, workflowId } = await runOnStack(scenario, { skipBaseline: true });
    assert.ok(outcome.ok);
    assert.equal(outcome.result.verdict, 'fail');
    assert.equal(outcome.result.failure?.type, 'PreflightFailed');
    assert.equal(outcome.result.failure?.step, 'preflight');
    assert.match(outcome.result.failure?.message ?? '', /cpu/i);
    assert.equal(outcome.result.namespace, '', 'nothing was created');
    assert.deepEqual(
      outcome.result.steps.map((s) => s.name),
      ['preflight', 'cleanup'],
    );
    assert.equal(outcome.result.ai?.explainsFailure, true);
    assert.deepEqual(await leftovers(workflowId), []);
  });

  it('still cleans up everything when the run is cancelled during deploy', async () => {
    const scenario = variant('web-app-stack', (s) => {
      if (s.name === 'database') s.podAnnotations = { 'kubeproof.dev/ready-delay': '30s' };
    });
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('cancel');
    try {
      const { result, workflowId } = await withWorker(taskQueue, async () => {
        const handle = await startValidation(client, { scenario, clusterName: 'local-kwok', ai: 'off', taskQueue });
        for (let i = 0; i < 100; i++) {
          const p = await handle.query<Progress>('progress');
          if (p.services.database === 'starting') break;
          await sleep(200);
        }
        await handle.cancel();
        return { result: await handle.result(), workflowId: handle.workflowId };
      });
      assert.equal(result.ending, 'cancelled', 'a cancelled run still yields its record');
      assert.equal(result.failure?.type, 'Cancelled');
      assert.ok(result.namespace.length > 0);
      assert.deepEqual(result.cleanup?.left, []);
      assert.deepEqual(await leftovers(workflowId), []);
    } finally {
      await close();
    }
  });

  it('survives a worker killed with SIGKILL mid-deploy: a new worker finishes the run without duplicates or leaks', async () => {
    const scenario = variant('web-app-stack', (s) => void (s.podAnnotations = { 'kubeproof.dev/ready-delay': '3s' }));
    const taskQueue = uniqueTaskQueue('crash');
    const startWorker = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
        cwd: repoRoot,
        env: { ...process.env, KUBEPROOF_TASK_QUEUE: taskQueue, KUBECONFIG: stack.kubeconfig },
        stdio: 'ignore',
      });
    const { client, close } = await temporalClient();
    let second: ChildProcess | undefined;
    const first = startWorker();
    try {
      const handle = await startValidation(client, {
        scenario,
        clusterName: 'local-kwok',
        ai: 'off',
        taskQueue,
        skipBaseline: true,
      });
      for (let i = 0; i < 300; i++) {
        const p = await handle.query<Progress>('progress').catch(() => undefined);
        if (p?.services.backend === 'starting') break;
        await sleep(100);
      }
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      second = startWorker();
      const outcome = await outcomeOf(handle);
      assert.ok(outcome.ok, `run failed: ${outcome.ok ? '' : outcome.message}`);
      for (const svc of scenario.spec.services) {
        const report: ServiceHealth | undefined = outcome.result.health?.services.find((h) => h.service === svc.name);
        assert.equal(report?.readyReplicas, svc.replicas, `${svc.name} has exactly its replicas`);
        assert.equal(report?.desiredReplicas, svc.replicas);
      }
      assert.deepEqual(await leftovers(handle.workflowId), []);
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGTERM');
      await close();
    }
  });
});
