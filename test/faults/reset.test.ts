/**
 * A Temporal Reset of a run after its namespace was created: the reset run gets a new run id but keeps the
 * workflow id, so it finds the first attempt's namespace by the same name and label and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { loadScenario } from '../../src/scenarios';
import { leftovers } from '../helpers/cluster';
import { stack, uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';
import { recordReliability, untilActivityCompleted } from './helpers';

describe('fault injection: Temporal Reset', () => {
  it(
    'leaves nothing behind when a run is reset to its first workflow task after creating its namespace',
    { timeout: 240_000 },
    async () => {
      const scenario = loadScenario('web-app-stack');
      for (const svc of scenario.spec.services) svc.podAnnotations = { 'kubeproof.dev/ready-delay': '3s' };
      scenario.spec.checks = [];
      const { client, close } = await temporalClient();
      const taskQueue = uniqueTaskQueue('fault-reset');
      try {
        const { outcome, workflowId, firstRunId } = await withWorker(taskQueue, async () => {
          const handle = await startValidation(client, {
            scenario,
            clusterName: 'local-kwok',
            ai: 'off',
            taskQueue,
            skipBaseline: true,
          });
          await untilActivityCompleted(handle, 'applyNamespace');
          const first = await handle.describe();
          const history = await handle.fetchHistory();
          const firstTask = (history.events ?? []).find((e) => e.workflowTaskCompletedEventAttributes);
          assert.ok(firstTask?.eventId, 'the run completed its first workflow task');
          const reset = await client.workflowService.resetWorkflowExecution({
            namespace: stack.temporalNamespace,
            workflowExecution: { workflowId: handle.workflowId, runId: first.runId },
            workflowTaskFinishEventId: firstTask.eventId,
            requestId: randomUUID(),
            reason: 'fault injection: reset after the namespace exists',
          });
          assert.ok(reset.runId && reset.runId !== first.runId, 'the reset made a new run');
          const latest = client.workflow.getHandle(handle.workflowId, reset.runId);
          return { outcome: await outcomeOf(latest), workflowId: handle.workflowId, firstRunId: first.runId };
        });
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        assert.notEqual(outcome.result.runId, firstRunId);
        assert.ok(['pass', 'warn'].includes(outcome.result.verdict), outcome.result.verdictReasons.join('; '));
        const left = await leftovers(workflowId);
        assert.deepEqual(left, [], 'the first attempt namespace is cleaned by the reset run');
        recordReliability({
          case: 'Temporal Reset after the namespace exists',
          injected: 'ResetWorkflowExecution to the first workflow task, while deploying',
          outcome: `reset run completed, verdict ${outcome.result.verdict}; same namespace name reused and removed`,
          leftovers: left.length,
          command: 'npm run test:faults -- --test-name-pattern="reset to its first workflow task"',
        });
      } finally {
        await close();
      }
    },
  );
});
