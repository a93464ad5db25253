/**
 * `kubeproof janitor`: remove kubeproof namespaces that no run will clean up any more (terminated, timed out on
 * the server, or lost runs). `kubeproof janitor schedule` makes a Temporal Schedule run the same sweep on a worker.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { createJanitorSchedule, deleteJanitorSchedule, janitorScheduleId } from '../../client/janitor';
import { runStatuses } from '../../client/run-status';
import { DEFAULT_GRACE_MS, sweepOrphans, type JanitorReport } from '../../janitor';
import { connect } from '../../k8s/client';
import { durationFormatHint, parseDuration } from '../../scenarios/duration';
import { ExitCode } from '../exit';
import { commandConfig, out, printJson } from '../output';
import { withTemporal } from '../temporal';

const duration = (flag: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be ${durationFormatHint} (got "${text}") for ${flag}` });
      return z.NEVER;
    }
    return ms;
  });

const SweepFlags = z.object({
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
  grace: duration('--grace').optional(),
});

const ScheduleFlags = z.object({
  every: duration('--every').default(15 * 60_000),
  grace: duration('--grace').optional(),
  delete: z.boolean().default(false),
});

export function registerJanitor(program: Command): void {
  const janitor = program
    .command('janitor')
    .description("delete kubeproof namespaces whose run is closed or unknown to Temporal (never anyone else's)")
    .option('--dry-run', 'only report what would be deleted, and why')
    .option(
      '--grace <duration>',
      `how old a namespace of a run unknown to Temporal must be (default ${DEFAULT_GRACE_MS / 60_000}m)`,
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 swept (or nothing to do), 1 a namespace could not be removed, 3 unreachable.',
    )
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await sweep(command);
    });
  janitor
    .command('schedule')
    .description('run the janitor on a worker from a Temporal Schedule (every 15 minutes by default)')
    .option('--every <duration>', 'how often (default 15m)')
    .option('--grace <duration>', 'as for `kubeproof janitor`')
    .option('--delete', 'delete the schedule instead')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await schedule(command);
    });
}

async function sweep(command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, SweepFlags);
  return withTemporal(cfg, async (client) => {
    const clients = connect({ kubeconfig: cfg.kubeconfig, context: cfg.context });
    const report = await sweepOrphans(clients, (ids) => runStatuses(client, ids), {
      cluster: cfg.clusterName,
      dryRun: flags.dryRun,
      ...(flags.grace !== undefined ? { graceMs: flags.grace } : {}),
    });
    if (flags.json) printJson(report);
    else out(describe(report));
    return report.left.length > 0 ? ExitCode.Failed : ExitCode.Ok;
  });
}

function describe(report: JanitorReport): string {
  if (report.decisions.length === 0) return `no kubeproof namespaces on cluster ${report.cluster}`;
  const lines = report.decisions.map((d) => {
    const verb =
      d.action === 'keep'
        ? 'keep  '
        : report.dryRun
          ? 'would delete'
          : report.left.includes(d.namespace)
            ? 'LEFT  '
            : 'deleted';
    return `${verb} ${d.namespace}: ${d.reason}`;
  });
  return lines.join('\n');
}

async function schedule(command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, ScheduleFlags);
  return withTemporal(cfg, async (client) => {
    if (flags.delete) {
      await deleteJanitorSchedule(client, cfg.clusterName);
      out(`deleted schedule ${janitorScheduleId(cfg.clusterName)}`);
      return ExitCode.Ok;
    }
    const id = await createJanitorSchedule(client, {
      cluster: cfg.clusterName,
      taskQueue: cfg.taskQueue,
      everyMs: flags.every,
      ...(flags.grace !== undefined ? { graceMs: flags.grace } : {}),
    });
    out(
      `created schedule ${id}: janitor for cluster ${cfg.clusterName} every ${Math.round(flags.every / 60_000)}m on task queue "${cfg.taskQueue}"`,
    );
    return ExitCode.Ok;
  });
}
