/**
 * Runs last (`npm test` orders the fault suite after everything else, and this file last in it): after the whole
 * suite, nothing of kubeproof's is left in the cluster or in Temporal, apart from the ledgers, which live on
 * by design.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kube } from '../helpers/cluster';
import { temporalClient } from '../helpers/worker';

describe('after the whole suite', () => {
  it("leaves no namespace labelled as kubeproof's in the cluster", async () => {
    const list = await kube().core.listNamespace({ labelSelector: 'app.kubernetes.io/managed-by=kubeproof' });
    assert.deepEqual(
      list.items.map((ns) => ns.metadata?.name),
      [],
    );
  });

  it('leaves no schedule and no open workflow in Temporal other than the ledgers', async () => {
    const { client, close } = await temporalClient();
    try {
      const schedules: string[] = [];
      for await (const s of client.schedule.list()) schedules.push(s.scheduleId);
      assert.deepEqual(schedules, []);
      const open: string[] = [];
      for await (const w of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
        if (w.type !== 'baselineLedger') open.push(`${w.type} ${w.workflowId}`);
      }
      assert.deepEqual(open, []);
    } finally {
      await close();
    }
  });
});
