/** `kubeproof baseline show|ack|export`: a cluster's baseline history (its ledger) for one scenario. */
import type { Command } from 'commander';
import { z } from 'zod';
import { acknowledgeRegression, findLedgerEntry, ledgerRefOf, readLedger, type LedgerRef } from '../../client/ledger';
import type { LedgerState } from '../../run/ledger';
import { ExitCode, usageError } from '../exit';
import type { CliConfig } from '../config';
import { JsonFlag, commandConfig, out, printJson } from '../output';
import { withTemporal } from '../temporal';

const ShowFlags = JsonFlag.extend({
  clusterName: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).default(20),
});
const AckFlags = JsonFlag.extend({
  clusterName: z.string().min(1).optional(),
  run: z.string().min(1).optional(),
  by: z
    .string()
    .min(1)
    .default(process.env.USER ?? 'unknown'),
  reason: z.string().min(3, { error: 'is required: say why this regression is the new normal' }),
});
const ExportFlags = z.object({
  clusterName: z.string().min(1).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/**
 * The ledger a command means: a scenario on the configured cluster, or a ledger id that names its own cluster
 * (then an explicit --cluster-name must agree with it).
 */
function ledgerOf(typed: string, cfg: CliConfig, clusterFlag: string | undefined): LedgerRef {
  const ref = ledgerRefOf(typed, cfg.clusterName);
  if (clusterFlag && clusterFlag !== ref.cluster) {
    throw usageError(
      `${typed} is the ledger of cluster ${ref.cluster}, but --cluster-name says ${clusterFlag}; drop one`,
    );
  }
  return ref;
}

const scenarioArgument = 'scenario name, or a ledger id (kubeproof-ledger/<cluster>/<scenario>)';

const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)}ms`);

function table(state: LedgerState, limit: number): string {
  const lines = [`baselines of ${state.scenario} on ${state.cluster} (${state.entries.length} kept, newest last)`];
  lines.push(
    'time                      grade       regressed         podReady p95  scaleOut p95  restart p95  api p95',
  );
  for (const e of state.entries.slice(-limit)) {
    const p95 = (m: string) => ms(e.summaries.find((s) => s.metric === m)?.p95).padEnd(14);
    const acked = state.acks.some((a) => a.runId === e.runId) ? ' (acked)' : '';
    lines.push(
      `${e.at.padEnd(26)}${e.grade.padEnd(12)}${(e.regressedMetrics.join(',') || 'no').padEnd(18)}${p95('podReady')}${p95('scaleOut')}${p95('rollingRestart').slice(0, 13)}${ms(e.summaries.find((s) => s.metric === 'apiRoundTrip')?.p95)}${acked}`,
    );
  }
  for (const a of state.acks) lines.push(`ack ${a.at}: run ${a.runId} accepted by ${a.by}: ${a.reason}`);
  return lines.join('\n');
}

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description("a cluster's baseline history for a scenario");
  baseline
    .command('show')
    .argument('<scenario>', scenarioArgument)
    .description('print the recent baselines, their grades and regressions')
    .option('--cluster-name <name>', 'cluster (env KUBEPROOF_CLUSTER_NAME)')
    .option('--limit <n>', 'newest entries to print', '20')
    .option('--json', 'print the ledger as JSON')
    .action(async (typed: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, ShowFlags);
      const { cluster, scenario } = ledgerOf(typed, cfg, flags.clusterName);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const state = await readLedger(client, cluster, scenario);
        if (flags.json) printJson(state);
        else if (state.entries.length === 0)
          out(
            `no baselines of ${scenario} on ${cluster} yet; run \`kubeproof run ${scenario} --cluster-name ${cluster}\``,
          );
        else out(table(state, flags.limit));
        return ExitCode.Ok;
      });
    });
  baseline
    .command('ack')
    .argument('<scenario>', scenarioArgument)
    .description('accept the latest regression (or --run) as the new normal')
    .option('--cluster-name <name>', 'cluster (env KUBEPROOF_CLUSTER_NAME)')
    .option('--run <id>', 'run id or workflow id of the run to accept (default: the latest regressed run)')
    .option('--by <who>', 'who accepts it (default $USER)')
    .requiredOption('--reason <text>', 'why this is the new normal')
    .option('--json', 'print the acknowledgement as JSON')
    .action(async (typed: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, AckFlags);
      const { cluster, scenario } = ledgerOf(typed, cfg, flags.clusterName);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const state = await readLedger(client, cluster, scenario);
        if (state.entries.length === 0) throw usageError(`no baselines of ${scenario} on ${cluster} to acknowledge`);
        // --run takes the run id the ledger and `baseline export` show, or the workflow id `kubeproof run` prints.
        const entry = flags.run === undefined ? undefined : findLedgerEntry(state, flags.run);
        if (flags.run && !entry) {
          throw usageError(
            `run ${flags.run} is not in the ledger of ${scenario} on ${cluster}; see \`kubeproof baseline export ${scenario} --cluster-name ${cluster} --format csv\``,
          );
        }
        const ack = await acknowledgeRegression(client, cluster, scenario, {
          ...(entry ? { runId: entry.runId } : {}),
          by: flags.by,
          reason: flags.reason,
        });
        if (flags.json) printJson(ack);
        else out(`run ${ack.runId} is the new normal for ${scenario} on ${cluster} (acknowledged by ${ack.by})`);
        return ExitCode.Ok;
      });
    });
  baseline
    .command('export')
    .argument('<scenario>', scenarioArgument)
    .description('print the whole ledger, with raw samples, as JSON or CSV')
    .option('--cluster-name <name>', 'cluster (env KUBEPROOF_CLUSTER_NAME)')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (typed: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, ExportFlags);
      const { cluster, scenario } = ledgerOf(typed, cfg, flags.clusterName);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const state = await readLedger(client, cluster, scenario);
        if (flags.format === 'json') printJson(state);
        else {
          out('run_id,at,grade,metric,n,median_ms,p95_ms,p99_ms,stddev_ms,regressed');
          for (const e of state.entries) {
            for (const s of e.summaries) {
              out(
                [
                  e.runId,
                  e.at,
                  e.grade,
                  s.metric,
                  s.n,
                  s.median,
                  s.p95,
                  s.p99,
                  s.stddev,
                  e.regressedMetrics.includes(s.metric),
                ].join(','),
              );
            }
          }
        }
        return ExitCode.Ok;
      });
    });
}
