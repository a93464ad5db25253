/**
 * Baselines over time on the real stack: the per-(cluster, scenario) ledger, regression detection against it,
 * acknowledgements, a Temporal Schedule whose run lands in the ledger, and a ledger that outlives its worker.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { acknowledgeRegression, readLedger } from '../../src/client/ledger';
import { createSchedule, deleteSchedule, describeSchedule, triggerSchedule } from '../../src/client/schedules';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { parseScenarioData } from '../../src/scenarios';
import type { Scenario } from '../../src/scenarios/schema';
import type { ValidationResult } from '../../src/run/contracts';
import { kube, leftovers } from '../helpers/cluster';
import { stack, uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';

/** Two small services whose pods become Ready `delay` after scheduling: the knob the tests turn. */
function probeScenario(delay: string): Scenario {
  const service = (name: string, image: string, port: number) => ({
    name,
    image,
    replicas: 2,
    ports: [{ port }],
    resources: { requests: { cpu: '50m', memory: '64Mi' } },
    podAnnotations: { 'kubeproof.dev/ready-delay': delay },
  });
  return parseScenarioData(
    {
      apiVersion: 'kubeproof.dev/v1',
      kind: 'Scenario',
      metadata: { name: 'ledger-probe' },
      spec: {
        samples: 2,
        timeouts: { total: '5m', ready: '40s' },
        services: [
          service('db', 'postgres:16', 5432),
          { ...service('api', 'nginx:1.27', 80), dependsOn: [{ service: 'db' }] },
        ],
      },
    },
    'ledger-probe.yaml',
  );
}

async function validate(
  client: Client,
  taskQueue: string,
  cluster: string,
  scenario: Scenario,
): Promise<ValidationResult> {
  const handle = await startValidation(client, { scenario, clusterName: cluster, ai: 'off', taskQueue });
  const outcome = await outcomeOf(handle);
  assert.ok(outcome.ok, `run failed: ${outcome.ok ? '' : outcome.message}`);
  assert.deepEqual(await leftovers(outcome.result.workflowId), []);
  return outcome.result;
}

const podReady = (r: ValidationResult) => r.baseline?.regressions.find((x) => x.metric === 'podReady');

const kubectl = (...args: string[]) =>
  execFileSync(
    path.join(os.homedir(), '.cache', 'kubeproof', 'bin', 'kubectl'),
    ['--kubeconfig', stack.kubeconfig, ...args],
    {
      encoding: 'utf8',
    },
  );

/** A schedulable simulated node without GPUs, so cordoning it changes the cluster's shape and nothing else. */
async function plainNode(): Promise<string> {
  const nodes = await kube().core.listNode();
  const node = nodes.items
    .filter((n) => !n.spec?.unschedulable && !Object.keys(n.status?.allocatable ?? {}).some((r) => r.includes('/')))
    .map((n) => n.metadata!.name!)
    .sort()[0];
  assert.ok(node, 'the local stack has a schedulable node without extended resources');
  return node;
}

describe('baselines over time', () => {
  it('records every run in the ledger, flags slower pods as a regression, and accepts it once acknowledged', async () => {
    const cluster = `ledger-${randomUUID().slice(0, 8)}`;
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('ledger');
    try {
      await withWorker(taskQueue, async () => {
        const first = await validate(client, taskQueue, cluster, probeScenario('1s'));
        assert.equal(podReady(first)?.outcome, 'insufficient-history');
        const second = await validate(client, taskQueue, cluster, probeScenario('1s'));
        assert.equal(second.baseline?.historyRuns, 1);
        assert.equal(podReady(second)?.outcome, 'unchanged', podReady(second)?.reason);
        assert.equal((await readLedger(client, cluster, 'ledger-probe')).entries.length, 2, 'two runs, two entries');

        const slower = await validate(client, taskQueue, cluster, probeScenario('3s'));
        assert.equal(podReady(slower)?.outcome, 'regressed', podReady(slower)?.reason);
        assert.ok((podReady(slower)?.effect ?? 0) > 1, 'the median roughly tripled');
        assert.equal(slower.baseline?.regressed, true);
        assert.equal(slower.verdict, 'warn', 'a regression warns unless failOnRegression is set');
        const described = await client.workflow.getHandle(slower.workflowId).describe();
        assert.equal(
          described.typedSearchAttributes.get({ name: 'KubeproofRegression', type: 'KEYWORD' } as never),
          'yes',
        );

        const ack = await acknowledgeRegression(client, cluster, 'ledger-probe', {
          by: 'test',
          reason: 'new storage class is slower by design',
        });
        assert.equal(ack.runId, slower.runId);
        const again = await validate(client, taskQueue, cluster, probeScenario('3s'));
        assert.notEqual(podReady(again)?.outcome, 'regressed', podReady(again)?.reason);
        const ledger = await readLedger(client, cluster, 'ledger-probe');
        // The injected delay drives podReady; other metrics move with machine load and are not asserted here.
        assert.deepEqual(
          ledger.entries.map((e) => e.regressedMetrics.includes('podReady')),
          [false, false, true, false],
          JSON.stringify(ledger.entries.map((e) => e.regressedMetrics)),
        );
        assert.equal(ledger.acks.length, 1);
      });
      // The first worker is gone; a new one on the ledger's task queue replays it from history.
      await withWorker(taskQueue, async () => {
        const ledger = await readLedger(client, cluster, 'ledger-probe');
        assert.equal(ledger.entries.length, 4, 'the ledger survives its worker');
      });
    } finally {
      await client.workflow
        .getHandle(`kubeproof-ledger/${cluster}/ledger-probe`)
        .terminate('test finished')
        .catch(() => undefined);
      await close();
    }
  });

  it('compares only runs of the same cluster fingerprint, and says so when the cluster changed', async () => {
    const cluster = `fingerprint-${randomUUID().slice(0, 8)}`;
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('fingerprint');
    const node = await plainNode();
    try {
      await withWorker(taskQueue, async () => {
        const before = await validate(client, taskQueue, cluster, probeScenario('500ms'));
        const nodes = before.baseline?.comparison?.fingerprint?.nodes ?? 0;
        assert.ok(nodes >= 2, JSON.stringify(before.baseline?.comparison));
        assert.equal(before.baseline?.comparison?.fingerprint?.simulated, true, 'KWOK nodes are labelled simulated');
        assert.equal(before.baseline?.comparison?.fingerprintNote, undefined, 'a first run has nothing to compare');

        kubectl('cordon', node);
        const cordoned = await validate(client, taskQueue, cluster, probeScenario('500ms'));
        assert.equal(cordoned.baseline?.comparison?.fingerprint?.nodes, nodes - 1);
        assert.equal(cordoned.baseline?.historyRuns, 0, 'the run on the other cluster shape is not compared');
        assert.equal(cordoned.baseline?.comparison?.otherFingerprints, 1);
        assert.match(
          cordoned.baseline?.comparison?.fingerprintNote ?? '',
          new RegExp(`nodes ${nodes} → ${nodes - 1}.* since the last run: compared with 0 runs`),
        );
        assert.equal(podReady(cordoned)?.outcome, 'insufficient-history');

        kubectl('uncordon', node);
        const back = await validate(client, taskQueue, cluster, probeScenario('500ms'));
        assert.equal(back.baseline?.historyRuns, 1, 'compared with the first run, the one of the same shape');
        assert.match(back.baseline?.comparison?.fingerprintNote ?? '', new RegExp(`nodes ${nodes - 1} → ${nodes}`));
        const ledger = await readLedger(client, cluster, 'ledger-probe');
        assert.deepEqual(
          ledger.entries.map((e) => e.fingerprint?.nodes),
          [nodes, nodes - 1, nodes],
        );
        assert.ok(
          ledger.entries.every((e) => e.checkMetrics?.apiMutatingP99 !== undefined),
          'SLI p99s are ledger figures',
        );
      });
    } finally {
      kubectl('uncordon', node);
      await client.workflow
        .getHandle(`kubeproof-ledger/${cluster}/ledger-probe`)
        .terminate('test finished')
        .catch(() => undefined);
      await close();
    }
  });

  it('runs a scheduled validation whose baseline lands in the ledger', async () => {
    const cluster = `sched-${randomUUID().slice(0, 8)}`;
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('schedule');
    const id = await createSchedule(client, {
      name: 'nightly',
      scenario: probeScenario('500ms'),
      clusterName: cluster,
      cron: '0 3 * * *',
      taskQueue,
      ai: 'off',
    });
    try {
      const description = await describeSchedule(client, id);
      assert.equal(description.policies.overlap, 'SKIP');
      const workflowId = await withWorker(taskQueue, async () => {
        await triggerSchedule(client, id);
        for (let i = 0; i < 300; i++) {
          if ((await readLedger(client, cluster, 'ledger-probe')).entries.length > 0) break;
          await sleep(200);
        }
        assert.ok((await readLedger(client, cluster, 'ledger-probe')).entries.length > 0, 'the run reached the ledger');
        const [action] = (await describeSchedule(client, id)).info.recentActions;
        assert.ok(action, 'the schedule started one run');
        // The worker stays until the run has cleaned up and closed: a run left Running would leak its namespace.
        const result = (await client.workflow
          .getHandle(action.action.workflow.workflowId)
          .result()) as ValidationResult;
        assert.deepEqual(result.cleanup?.left, []);
        return action.action.workflow.workflowId;
      });
      const runs = (await describeSchedule(client, id)).info.recentActions;
      assert.equal(runs.length, 1);
      assert.deepEqual(await leftovers(workflowId), []);
    } finally {
      await deleteSchedule(client, id).catch(() => undefined);
      await client.workflow
        .getHandle(`kubeproof-ledger/${cluster}/ledger-probe`)
        .terminate('test finished')
        .catch(() => undefined);
      await close();
    }
  });
});
