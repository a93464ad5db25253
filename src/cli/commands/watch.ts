/** `kubeproof watch <workflowId>`: follow a run's progress until it ends, then print its report. */
import type { Command } from 'commander';
import { outcomeOf } from '../../client/validation';
import type { ExitCode } from '../exit';
import { followRun, onInterrupt } from '../follow';
import { webUiLink } from '../format';
import { JsonFlag, commandConfig, err, out, workflowIdArgument } from '../output';
import { outcomeExitCode, renderOutcome } from '../runs';
import { existingRun, withTemporal } from '../temporal';

export function registerWatch(program: Command): void {
  workflowIdArgument(program.command('watch'))
    .description('follow a run until it ends, then print its report')
    .option('--json', 'print the ValidationResult as JSON at the end')
    .addHelpText('after', '\nExit codes: 0 pass or warn, 1 fail or did not finish, 2 unknown run id.')
    .action(async (workflowId: string, _options: unknown, command: Command) => {
      process.exitCode = await watch(workflowId, command);
    });
}

async function watch(workflowId: string, command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, JsonFlag);
  return withTemporal(cfg, async (client) => {
    const { handle, description } = await existingRun(client, workflowId, cfg.namespace);
    let outcome;
    if (description.status.name === 'RUNNING') {
      err(`following ${workflowId} (Ctrl-C stops following; the run goes on)`);
      const stop = onInterrupt(handle, false);
      try {
        outcome = await followRun(handle, { title: workflowId });
      } finally {
        stop();
      }
    } else {
      outcome = await outcomeOf(handle);
    }
    const runId = outcome.result?.runId ?? description.runId;
    const link = cfg.uiUrl ? webUiLink(cfg.uiUrl, cfg.namespace, workflowId, runId) : undefined;
    out(renderOutcome(handle, outcome, { json: flags.json, link }));
    return outcomeExitCode(outcome);
  });
}
