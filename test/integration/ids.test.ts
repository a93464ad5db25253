/**
 * Every id the CLI prints, it accepts, against the local Temporal dev server: a schedule by the id `schedule
 * list` prints (whatever KUBEPROOF_CLUSTER_NAME says) and by its short name, and a ledger by its workflow id.
 * Nothing here needs a worker: schedules are created paused and ledgers are only read.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ScheduleNotFoundError } from '@temporalio/client';
import { ledgerWorkflowId } from '../../src/run/ledger';
import { assertExit, assertNoStackTrace, kubeproof } from '../helpers/cli';
import { temporalClient } from '../helpers/worker';

/** The test's own schedule, removed even when an assertion failed before `schedule delete` ran. */
async function deleteIfPresent(scheduleId: string): Promise<void> {
  const { client, close } = await temporalClient();
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  } finally {
    await close();
  }
}

describe('ids printed by the CLI', () => {
  it('are accepted by `schedule describe` and `schedule delete`, as are short names', async () => {
    const cluster = `ids-${randomUUID().slice(0, 8)}`;
    const env = { KUBEPROOF_CLUSTER_NAME: cluster };
    const elsewhere = { KUBEPROOF_CLUSTER_NAME: `${cluster}-other` };
    const create = await kubeproof(
      ['schedule', 'create', 't1', '--scenario', 'web-app-stack', '--cron', '0 3 * * *', '--paused', '--json'],
      env,
    );
    assertExit(create, 0);
    const { scheduleId } = JSON.parse(create.stdout) as { scheduleId: string };
    try {
      assert.equal(scheduleId, `kubeproof-${cluster}-t1`);
      const list = await kubeproof(['schedule', 'list', '--json'], env);
      assertExit(list, 0);
      assert.ok((JSON.parse(list.stdout) as { scheduleId: string }[]).some((s) => s.scheduleId === scheduleId));

      // The listed id works from a shell whose cluster name is another one (the reported bug).
      const byId = await kubeproof(['schedule', 'describe', scheduleId, '--json'], elsewhere);
      assertExit(byId, 0);
      assert.equal((JSON.parse(byId.stdout) as { scheduleId: string }).scheduleId, scheduleId);

      const byName = await kubeproof(['schedule', 'describe', 't1', '--json'], env);
      assertExit(byName, 0);
      assert.equal((JSON.parse(byName.stdout) as { scheduleId: string }).scheduleId, scheduleId);

      // The short name on the wrong cluster is refused, pointing at the id that exists.
      const wrong = await kubeproof(['schedule', 'describe', 't1'], elsewhere);
      assertExit(wrong, 2);
      assertNoStackTrace(wrong);
      assert.ok(wrong.stderr.includes(`kubeproof-${cluster}-other-t1`), wrong.stderr);
      assert.ok(wrong.stderr.includes(scheduleId), wrong.stderr);

      assertExit(await kubeproof(['schedule', 'delete', scheduleId], elsewhere), 0);
      const gone = await kubeproof(['schedule', 'describe', scheduleId], env);
      assertExit(gone, 2);
      assert.match(gone.stderr, /no schedule/);
    } finally {
      await deleteIfPresent(scheduleId);
    }
  });

  it('include a ledger id, which `baseline show` reads on the cluster it names', async () => {
    const cluster = `ids-${randomUUID().slice(0, 8)}`;
    const id = ledgerWorkflowId(cluster, 'web-app-stack');
    const shown = await kubeproof(['baseline', 'show', id, '--json'], { KUBEPROOF_CLUSTER_NAME: 'local' });
    assertExit(shown, 0);
    const state = JSON.parse(shown.stdout) as { cluster: string; scenario: string };
    assert.deepEqual([state.cluster, state.scenario], [cluster, 'web-app-stack']);

    const conflicting = await kubeproof(['baseline', 'show', id, '--cluster-name', 'local']);
    assertExit(conflicting, 2);
    assert.match(conflicting.stderr, new RegExp(`ledger of cluster ${cluster}`));
  });
});
