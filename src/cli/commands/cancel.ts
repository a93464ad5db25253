/**
 * `kubeproof cancel <workflowId>`: ask a run to stop. The workflow undoes what it created before it closes, so
 * by default the command waits for that and reports the cleanup.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode } from '../exit';
import { followRun } from '../follow';
import { commandConfig, err, out, printJson, workflowIdArgument } from '../output';
import { describeCleanup } from '../runs';
import { existingRun, withTemporal } from '../temporal';

const CancelFlags = z.object({ json: z.boolean().default(false), wait: z.boolean().default(true) });

export function registerCancel(program: Command): void {
  workflowIdArgument(program.command('cancel'))
    .description('cancel a run; it deletes what it created, then closes')
    .option('--wait', 'wait until the run has cleaned up and closed (default)')
    .option('--no-wait', 'return once the cancellation is requested')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 cancelled and cleanup confirmed (or already closed), 1 cleanup not confirmed, 2 unknown run id.',
    )
    .action(async (workflowId: string, _options: unknown, command: Command) => {
      process.exitCode = await cancel(workflowId, command);
    });
}

async function cancel(workflowId: string, command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, CancelFlags);
  return withTemporal(cfg, async (client) => {
    const { handle, description } = await existingRun(client, workflowId, cfg.namespace);
    if (description.status.name !== 'RUNNING') {
      if (flags.json) printJson({ workflowId, cancelRequested: false, status: description.status.name });
      else out(`run ${workflowId} is already closed (${description.status.name}); nothing to cancel`);
      return ExitCode.Ok;
    }
    await handle.cancel();
    if (!flags.wait) {
      if (flags.json) printJson({ workflowId, cancelRequested: true });
      else {
        out(
          `cancellation of ${workflowId} requested; it cleans up and closes once a worker on task queue "${description.taskQueue}" picks it up`,
        );
        out(`check on it with \`kubeproof status ${workflowId}\``);
      }
      return ExitCode.Ok;
    }
    err(`cancellation requested; waiting for ${workflowId} to clean up and close`);
    const outcome = await followRun(handle, { title: `cancelling ${workflowId}` });
    const closed = await handle.describe();
    const record = outcome.result;
    // Cleanup counts as done only when the run's record says it verified nothing is left.
    const clean = record !== undefined && record.cleanupProblem === undefined;
    const failedUndo = record?.compensations.filter((c) => !c.ok) ?? [];
    if (flags.json) {
      printJson({
        workflowId,
        cancelRequested: true,
        status: closed.status.name,
        ending: record?.ending ?? null,
        cleanupConfirmed: clean,
        cleanup: record?.cleanup ?? null,
        failedUndoSteps: failedUndo,
      });
    } else {
      const how = record?.ending === 'cancelled' ? 'cancelled' : `closed (${record?.ending ?? closed.status.name})`;
      out(`run ${workflowId} ${how}; ${record ? describeCleanup(record) : 'no record: cleanup not confirmed'}`);
      for (const u of failedUndo) out(`  undo step failed: ${u.name}: ${u.error ?? 'unknown error'}`);
    }
    return clean ? ExitCode.Ok : ExitCode.Failed;
  });
}
