/** `kubeproof baseline show|ack|export`: a cluster's baseline history (its ledger) for one scenario. */
import type { Command } from 'commander';
import { z } from 'zod';
import { acknowledgeRegression, readLedger } from '../../client/ledger';
import type { LedgerState } from '../../run/ledger';
import { ExitCode, usageError } from '../exit';
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
    .argument('<scenario>', 'scenario name')
    .description('print the recent baselines, their grades and regressions')
    .option('--cluster-name <name>', 'cluster (env KUBEPROOF_CLUSTER_NAME)')
    .option('--limit <n>', 'newest entries to print', '20')
    .option('--json', 'print the ledger as JSON')
    .action(async (scenario: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, ShowFlags);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const state = await readLedger(client, cfg.clusterName, scenario);
        if (flags.json) printJson(state);
        else if (state.entries.length === 0)
          out(`no baselines of ${scenario} on ${cfg.clusterName} yet; run \`kubeproof run ${scenario}\``);
        else out(table(state, flags.limit));
        return ExitCode.Ok;
      });
    });
  baseline
    .command('ack')
    .argument('<scenario>', 'scenario name')
    .description('accept the latest regression (or --run) as the new normal')
    .option('--cluster-name <name>', 'cluster (env KUBEPROOF_CLUSTER_NAME)')
    .option('--run <runId>', 'run id to accept (default: the latest regressed run)')
    .option('--by <who>', 'who accepts it (default $USER)')
    .requiredOption('--reason <text>', 'why this is the new normal')
    .option('--json', 'print the acknowledgement as JSON')
    .action(async (scenario: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, AckFlags);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const state = await readLedger(client, cfg.clusterName, scenario);
        if (state.entries.length === 0)
          throw usageError(`no baselines of ${scenario} on ${cfg.clusterName} to acknowledge`);
        if (flags.run && !state.entries.some((e) => e.runId === flags.run)) {
          throw usageError(
            `run ${flags.run} is not in the ledger of ${scenario} on ${cfg.clusterName}; see \`kubeproof baseline show ${scenario}\``,
          );
        }
        const ack = await acknowledgeRegression(client, cfg.clusterName, scenario, {
          ...(flags.run ? { runId: flags.run } : {}),
          by: flags.by,
          reason: flags.reason,
        });
        if (flags.json) printJson(ack);
        else
          out(`run ${ack.runId} is the new normal for ${scenario} on ${cfg.clusterName} (acknowledged by ${ack.by})`);
        return ExitCode.Ok;
      });
    });
  baseline
    .command('export')
    .argument('<scenario>', 'scenario name')
    .description('print the whole ledger, with raw samples, as JSON or CSV')
    .option('--cluster-name <name>', 'cluster (env KUBEPROOF_CLUSTER_NAME)')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (scenario: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, ExportFlags);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const state = await readLedger(client, cfg.clusterName, scenario);
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
