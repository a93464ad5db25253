/** Worker start-up against the real dev server. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import Long from 'long';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker } from '../../src/worker/create-worker';
import { stack, workflowBundle } from '../helpers/env';
import { defaultDeps, temporalClient } from '../helpers/worker';

describe('the kubeproof worker', () => {
  it('refuses to start on a namespace without the search attributes, naming the commands that register them', async () => {
    const namespace = `kp-bare-${randomUUID().slice(0, 8)}`;
    const { client, close } = await temporalClient();
    try {
      await client.connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
      });
      let error: unknown;
      // A new namespace takes a moment to be known to every service of the server.
      for (let attempt = 0; attempt < 30; attempt++) {
        error = await createWorker({
          temporal: { address: stack.temporalAddress },
          namespace,
          taskQueue: 'never-polled',
          deps: defaultDeps(),
          workflowBundle: workflowBundle(),
        }).then(
          async (w) => {
            await w.close();
            return undefined;
          },
          (e: unknown) => e,
        );
        if (error instanceof Error && /lacks kubeproof's search attributes/.test(error.message)) break;
        await sleep(500);
      }
      assert.ok(error instanceof Error, 'the worker did not start');
      assert.match(error.message, /lacks kubeproof's search attributes KubeproofScenario, KubeproofCluster/);
      assert.match(
        error.message,
        new RegExp(`temporal operator search-attribute create --namespace ${namespace} --name KubeproofVerdict`),
      );
    } finally {
      await close();
    }
  });
});
