/**
 * The orphan janitor on the local stack: a run terminated mid-deploy (no workflow code runs after a Terminate, so
 * nothing cleans up) leaves its namespace; `kubeproof janitor` removes it and verifies it gone, while a foreign
 * namespace with look-alike labels and the namespace of a run still open survive.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { startValidation } from '../../src/client/validation';
import type { Progress } from '../../src/run/contracts';
import { loadScenario } from '../../src/scenarios';
import { assertExit, assertNoStackTrace, kubeproof } from '../helpers/cli';
import { kube, leftovers } from '../helpers/cluster';
import { uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';
import { recordReliability } from './helpers';

const foreign = `janitor-lookalike-${Date.now().toString(36)}`;

async function namespaceExists(name: string): Promise<boolean> {
  return kube()
    .core.readNamespace({ name })
    .then(
      (ns) => !ns.metadata?.deletionTimestamp,
      () => false,
    );
}

describe('the orphan janitor', () => {
  after(async () => {
    await kube()
      .core.deleteNamespace({ name: foreign })
      .catch(() => undefined);
  });

  it('removes the namespace of a terminated run and nothing else', async () => {
    // Looks like kubeproof's (managed-by label, a run-id label) but names no workflow: not ours to delete.
    await kube().core.createNamespace({
      body: {
        metadata: {
          name: foreign,
          labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.dev/run-id': 'lookalike' },
        },
      },
    });
    const scenario = loadScenario('web-app-stack');
    scenario.spec.checks = [];
    for (const s of scenario.spec.services) s.podAnnotations = { 'kubeproof.dev/ready-delay': '30s' };
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('janitor');
    try {
      const workflowId = await withWorker(taskQueue, async () => {
        const handle = await startValidation(client, { scenario, clusterName: 'local-kwok', ai: 'off', taskQueue });
        let progress: Progress | undefined;
        for (let i = 0; i < 150; i++) {
          progress = await handle.query<Progress>('progress');
          if (Object.values(progress.services).includes('starting')) break;
          await sleep(200);
        }
        // Terminating a run that already ended would fail with a bare WorkflowNotFoundError; say what happened.
        const { status } = await handle.describe();
        assert.equal(
          status.name,
          'RUNNING',
          `the run was to be terminated mid-deploy but has ended; its steps: ${JSON.stringify(progress?.steps)}`,
        );
        await handle.terminate('fault injection: terminate mid-deploy');
        return handle.workflowId;
      });
      assert.ok((await leftovers(workflowId)).length > 0, 'a terminated run leaves its namespace behind');

      const dry = await kubeproof(['janitor', '--dry-run', '--json']);
      assertExit(dry, 0);
      const planned = JSON.parse(dry.stdout) as {
        decisions: { namespace: string; workflowId: string | null; action: string }[];
      };
      const mine = planned.decisions.find((d) => d.workflowId === workflowId);
      assert.equal(mine?.action, 'delete');
      assert.equal(planned.decisions.find((d) => d.namespace === foreign)?.action, 'keep');
      assert.ok((await leftovers(workflowId)).length > 0, 'a dry run deletes nothing');

      const swept = await kubeproof(['janitor'], {}, 240_000);
      assertExit(swept, 0);
      assertNoStackTrace(swept);
      assert.match(swept.stdout, /deleted kp-web-app-stack-[0-9a-f]{12}: its run .* is closed \(TERMINATED\)/);
      assert.deepEqual(await leftovers(workflowId), []);
      assert.ok(await namespaceExists(foreign), 'the look-alike namespace survives');
      recordReliability({
        case: 'Terminate mid-deploy, then the janitor',
        injected: 'TerminateWorkflowExecution during deploy (no workflow code runs after it); `kubeproof janitor`',
        outcome:
          'the run namespace stayed until the janitor deleted and verified it; the look-alike namespace survived',
        leftovers: (await leftovers(workflowId)).length,
        command: 'npm run test:faults -- --test-name-pattern="terminated run"',
      });
    } finally {
      await close();
    }
  });
});
