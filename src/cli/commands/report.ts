/** `kubeproof report <workflowId>`: the report of a closed run in text, JSON, Markdown, JUnit XML or HTML. */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { LedgerUnavailableError, readLedger } from '../../client/ledger';
import { outcomeOf } from '../../client/validation';
import { ExitCode, reasonOf, usageError } from '../exit';
import { webUiLink } from '../format';
import { commandConfig, err, workflowIdArgument } from '../output';
import { ReportFormat, renderReport } from '../report';
import { renderHtml } from '../report/html';
import { existingRun, withTemporal } from '../temporal';

const ReportFlags = z.object({
  format: z.enum(ReportFormat).default('text'),
  output: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

export function registerReport(program: Command): void {
  workflowIdArgument(program.command('report'))
    .description("render a finished run's report (a failed run's partial result included)")
    .addOption(new Option('--format <format>', 'report format').choices(ReportFormat).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--json', 'same as --format json')
    .action(async (workflowId: string, _options: unknown, command: Command) => {
      process.exitCode = await report(workflowId, command);
    });
}

async function report(workflowId: string, command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, ReportFlags);
  const format = flags.json ? 'json' : flags.format;
  const { text, path } = await withTemporal(cfg, async (client) => {
    const { handle, description } = await existingRun(client, workflowId, cfg.namespace);
    const state = description.status.name;
    if (state === 'RUNNING') {
      throw usageError(
        `run ${workflowId} is still running; wait for it with \`kubeproof watch ${workflowId}\`, then ask for the report`,
      );
    }
    const outcome = await outcomeOf(handle);
    if (!outcome.result) {
      throw usageError(
        `run ${workflowId} ended ${state} without a result, so there is nothing to report; \`kubeproof status ${workflowId}\` shows what it cleaned up`,
      );
    }
    const link = cfg.uiUrl ? webUiLink(cfg.uiUrl, cfg.namespace, workflowId, outcome.result.runId) : undefined;
    if (format === 'html') {
      // The trend plot needs the cluster's history for this scenario. It is an addition to a finished run's
      // report, never a reason to refuse it: whatever keeps the ledger from answering (no worker polling, one
      // shutting down mid-query) is said on stderr and the report shows this run alone.
      const ledger = await readLedger(client, outcome.result.cluster, outcome.result.scenario, 5000).catch(
        (error: unknown) => {
          const why =
            error instanceof LedgerUnavailableError
              ? error.message
              : `cannot read the baseline ledger: ${reasonOf(error)}`;
          err(`${why}; the report shows this run without its trend`);
          return undefined;
        },
      );
      const history = ledger ? { ledger: ledger.entries } : {};
      return { text: renderHtml(outcome.result, { ...(link ? { link } : {}), ...history }), path: flags.output };
    }
    return { text: renderReport(format, outcome.result, link ? { link } : {}), path: flags.output };
  });
  if (!path) {
    process.stdout.write(text);
    return ExitCode.Ok;
  }
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw usageError(`cannot write the report to ${path}: ${reasonOf(error)}; pass another -o path`);
  }
  err(`wrote the ${format} report of ${workflowId} to ${path}`);
  return ExitCode.Ok;
}
