/**
 * Workers own their clusters: a run that names a cluster the worker does not serve fails at once, with a
 * non-retryable error listing the names it serves, and touches no cluster.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { loadClusterRegistry } from '../../src/config/clusters';
import { loadScenario } from '../../src/scenarios';
import { leftovers } from '../helpers/cluster';
import { stack, uniqueTaskQueue } from '../helpers/env';
import { defaultDeps, temporalClient, withWorker } from '../helpers/worker';

describe('the cluster registry', () => {
  it('refuses a run for a cluster the worker does not serve, naming the ones it does, creating nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-clusters-'));
    const file = path.join(dir, 'clusters.yaml');
    fs.writeFileSync(
      file,
      `clusters:\n  - name: local-kwok\n    kubeconfig: ${stack.kubeconfig}\n  - name: staging\n    kubeconfig: ${stack.kubeconfig}\n`,
    );
    const clusters = loadClusterRegistry({ clusterName: 'unused', clustersFile: file });
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('registry');
    try {
      const { outcome, history, workflowId } = await withWorker(
        taskQueue,
        async () => {
          const handle = await startValidation(client, {
            scenario: loadScenario('web-app-stack'),
            clusterName: 'prod-eu',
            ai: 'off',
            taskQueue,
          });
          return {
            outcome: await outcomeOf(handle),
            history: await handle.fetchHistory(),
            workflowId: handle.workflowId,
          };
        },
        defaultDeps({ clusters }),
      );
      const text = outcome.ok ? JSON.stringify(outcome.result) : outcome.message;
      assert.match(text, /prod-eu/);
      assert.match(text, /local-kwok, staging/, 'the error lists the clusters this worker serves');
      const failures = (history.events ?? []).filter((e) => e.activityTaskFailedEventAttributes);
      assert.ok(failures.length >= 1);
      for (const f of failures) {
        const failure = f.activityTaskFailedEventAttributes?.failure;
        assert.equal(failure?.applicationFailureInfo?.type, 'UnknownCluster');
        assert.equal(failure?.applicationFailureInfo?.nonRetryable, true);
      }
      const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
      assert.ok(
        started.every((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) === 1),
        'no activity was retried',
      );
      const scheduled = (history.events ?? [])
        .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter(Boolean);
      assert.ok(!scheduled.includes('applyNamespace'), `nothing was created: ${scheduled.join(', ')}`);
      assert.deepEqual(await leftovers(workflowId), []);
      // The run itself ends properly: verdict fail at preflight, the record kept, nothing to clean up.
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.equal(outcome.result.verdict, 'fail');
      assert.deepEqual([outcome.result.failure?.step, outcome.result.failure?.type], ['preflight', 'UnknownCluster']);
      assert.equal(outcome.result.cleanupProblem, undefined);
    } finally {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
