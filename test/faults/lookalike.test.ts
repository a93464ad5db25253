/**
 * A foreign namespace that copies a run's labels exactly (managed-by and run key) but names no kubeproof workflow:
 * the run's cleanup, which deletes by name and by label, must leave it alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeOf, startValidation, validationWorkflowId } from '../../src/client/validation';
import { runSelector } from '../../src/k8s/render';
import { runKeyOf } from '../../src/run/identity';
import { loadScenario } from '../../src/scenarios';
import { kube, leftovers } from '../helpers/cluster';
import { uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';
import { recordReliability } from './helpers';

describe('fault injection: look-alike namespaces', () => {
  it('survives the cleanup of the run whose labels it copies', { timeout: 180_000 }, async () => {
    const scenario = loadScenario('web-app-stack');
    scenario.spec.checks = [];
    const workflowId = validationWorkflowId('local-kwok', scenario.metadata.name);
    const key = runKeyOf(workflowId);
    const foreign = `lookalike-${key.slice(0, 8)}`;
    const labels = Object.fromEntries(
      runSelector(key)
        .split(',')
        .map((kv) => kv.split('=') as [string, string]),
    );
    await kube().core.createNamespace({ body: { metadata: { name: foreign, labels } } });
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('fault-lookalike');
    try {
      const outcome = await withWorker(taskQueue, async () =>
        outcomeOf(
          await startValidation(client, {
            scenario,
            clusterName: 'local-kwok',
            ai: 'off',
            taskQueue,
            skipBaseline: true,
            workflowId,
          }),
        ),
      );
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.deepEqual(outcome.result.cleanup?.left, []);
      const still = await kube().core.readNamespace({ name: foreign });
      assert.ok(!still.metadata?.deletionTimestamp, 'the look-alike namespace is untouched');
      const left = (await leftovers(workflowId)).filter((o) => o !== `Namespace/${foreign}`);
      assert.deepEqual(left, []);
      recordReliability({
        case: "foreign namespace with the run's own labels",
        injected: 'a namespace labelled managed-by=kubeproof and with the run key, without the workflow-id annotation',
        outcome: `run completed, verdict ${outcome.result.verdict}; cleanup removed only the run namespace`,
        leftovers: left.length,
        command: 'npm run test:faults -- --test-name-pattern="labels it copies"',
      });
    } finally {
      await kube()
        .core.deleteNamespace({ name: foreign })
        .catch(() => undefined);
      await close();
    }
  });
});
