/**
 * The `schedule` and `baseline` commands against the local stack. A worker runs in this test process while
 * the CLI is spawned, as a deployed worker would: ledgers answer queries only when a worker is polling.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { parseScenarioData } from '../../src/scenarios';
import { ledgerWorkflowId } from '../../src/run/ledger';
import type { LedgerState } from '../../src/run/ledger';
import { assertExit, kubeproof } from '../helpers/cli';
import { uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';

const scenario = parseScenarioData(
  {
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name: 'cli-probe' },
    spec: {
      samples: 1,
      timeouts: { total: '5m', ready: '30s' },
      services: [{ name: 'web', image: 'nginx:1.27', replicas: 1 }],
    },
  },
  'cli-probe.yaml',
);

describe('kubeproof schedule and baseline', () => {
  it('creates, lists, describes, pauses, unpauses and deletes a schedule', async () => {
    const cluster = `cli-sched-${randomUUID().slice(0, 8)}`;
    const env = { KUBEPROOF_CLUSTER_NAME: cluster };
    const create = await kubeproof(
      ['schedule', 'create', 'nightly', '--scenario', 'web-app-stack', '--cron', '0 3 * * *', '--json'],
      env,
    );
    assertExit(create, 0);
    const { scheduleId } = JSON.parse(create.stdout) as { scheduleId: string };
    try {
      const list = await kubeproof(['schedule', 'list', '--json'], env);
      assertExit(list, 0);
      assert.ok((JSON.parse(list.stdout) as { scheduleId: string }[]).some((s) => s.scheduleId === scheduleId));
      const described = await kubeproof(['schedule', 'describe', 'nightly', '--json'], env);
      assertExit(described, 0);
      assert.equal((JSON.parse(described.stdout) as { overlap: string }).overlap, 'SKIP');
      assertExit(await kubeproof(['schedule', 'pause', 'nightly'], env), 0);
      const paused = JSON.parse((await kubeproof(['schedule', 'describe', 'nightly', '--json'], env)).stdout) as {
        paused: boolean;
      };
      assert.equal(paused.paused, true);
      assertExit(await kubeproof(['schedule', 'unpause', 'nightly'], env), 0);
      const bad = await kubeproof(
        ['schedule', 'create', 'other', '--scenario', 'web-app-stack', '--cron', 'nightly'],
        env,
      );
      assertExit(bad, 2);
      assert.ok(bad.stderr.includes('--cron'));
    } finally {
      assertExit(await kubeproof(['schedule', 'delete', 'nightly'], env), 0);
    }
    const gone = await kubeproof(['schedule', 'describe', 'nightly'], env);
    assertExit(gone, 2);
  });

  it('shows, exports and acknowledges a cluster baseline history', async () => {
    const cluster = `cli-base-${randomUUID().slice(0, 8)}`;
    const env = { KUBEPROOF_CLUSTER_NAME: cluster };
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('cli-baseline');
    try {
      await withWorker(taskQueue, async () => {
        const outcome = await outcomeOf(
          await startValidation(client, { scenario, clusterName: cluster, ai: 'off', taskQueue }),
        );
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        const show = await kubeproof(['baseline', 'show', 'cli-probe', '--json'], env);
        assertExit(show, 0);
        const state = JSON.parse(show.stdout) as LedgerState;
        assert.deepEqual(
          state.entries.map((e) => e.runId),
          [outcome.result.runId],
        );
        const text = await kubeproof(['baseline', 'show', 'cli-probe'], env);
        assertExit(text, 0);
        assert.ok(text.stdout.includes(`baselines of cli-probe on ${cluster}`));
        const csv = await kubeproof(['baseline', 'export', 'cli-probe', '--format', 'csv'], env);
        assertExit(csv, 0);
        assert.equal(csv.stdout.trim().split('\n').length, 1 + 4, 'a header and one row per metric');
        const noReason = await kubeproof(['baseline', 'ack', 'cli-probe'], env);
        assertExit(noReason, 2);
        const ack = await kubeproof(['baseline', 'ack', 'cli-probe', '--reason', 'accepted in a test', '--json'], env);
        assertExit(ack, 0);
        assert.equal((JSON.parse(ack.stdout) as { runId: string }).runId, outcome.result.runId);
      });
    } finally {
      await client.workflow
        .getHandle(ledgerWorkflowId(cluster, 'cli-probe'))
        .terminate('test finished')
        .catch(() => undefined);
      await close();
    }
  });
});
