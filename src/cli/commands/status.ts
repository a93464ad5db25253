/** `kubeproof status <workflowId>`: where a run stands; its progress while running, its result once closed. */
import type { Command } from 'commander';
import { outcomeOf } from '../../client/validation';
import { ExitCode } from '../exit';
import { queryProgress } from '../follow';
import { webUiLink } from '../format';
import { JsonFlag, commandConfig, out, printJson, workflowIdArgument } from '../output';
import { progressBlock } from '../progress-view';
import { outcomeExitCode, renderOutcome } from '../runs';
import { existingRun, withTemporal } from '../temporal';

export function registerStatus(program: Command): void {
  workflowIdArgument(program.command('status'))
    .description('show where a run stands: progress while it runs, the report once it is done')
    .option('--json', 'print the status as JSON')
    .addHelpText('after', '\nExit codes: 0 running, passed or warned; 1 failed or did not finish; 2 unknown run id.')
    .action(async (workflowId: string, _options: unknown, command: Command) => {
      process.exitCode = await status(workflowId, command);
    });
}

async function status(workflowId: string, command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, JsonFlag);
  return withTemporal(cfg, async (client) => {
    const { handle, description } = await existingRun(client, workflowId, cfg.namespace);
    const state = description.status.name;
    const link = cfg.uiUrl ? webUiLink(cfg.uiUrl, cfg.namespace, workflowId, description.runId) : undefined;
    const summary = {
      workflowId,
      runId: description.runId,
      status: state,
      taskQueue: description.taskQueue,
      startTime: description.startTime.toISOString(),
      closeTime: description.closeTime?.toISOString() ?? null,
      ...(link ? { webUi: link } : {}),
    };

    if (state === 'RUNNING') {
      const progress = await queryProgress(handle);
      if (flags.json) {
        printJson({ ...summary, progress: progress ?? null });
        return ExitCode.Ok;
      }
      out(`run ${workflowId}: RUNNING since ${summary.startTime} on task queue "${description.taskQueue}"`);
      if (progress) out(progressBlock('progress', progress).join('\n'));
      else
        out(
          `progress unavailable: no worker answered on task queue "${description.taskQueue}"; start one with \`kubeproof worker --task-queue ${description.taskQueue}\``,
        );
      if (link) out(`Web UI: ${link}`);
      return ExitCode.Ok;
    }

    const outcome = await outcomeOf(handle);
    if (flags.json) {
      printJson({
        ...summary,
        result: outcome.result ?? null,
        error: outcome.ok ? null : { type: outcome.type, message: outcome.message },
      });
    } else {
      out(`run ${workflowId}: ${state}${summary.closeTime ? ` at ${summary.closeTime}` : ''}\n`);
      out(renderOutcome(handle, outcome, { json: false, link }));
    }
    return outcomeExitCode(outcome);
  });
}
