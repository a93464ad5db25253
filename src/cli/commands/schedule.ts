/**
 * `kubeproof schedule create|list|describe|pause|unpause|trigger|delete`: Temporal Schedules that run a
 * scenario's validation (and so its baseline) on a cron spec, overlap policy SKIP by default.
 */
import { Option, type Command } from 'commander';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  resolveScheduleId,
  scheduleIdCandidates,
  schedulesNamed,
  triggerSchedule,
  unpauseSchedule,
} from '../../client/schedules';
import { loadScenario } from '../../scenarios';
import { parseDuration } from '../../scenarios/duration';
import type { CliConfig } from '../config';
import { ExitCode, usageError } from '../exit';
import { JsonFlag, commandConfig, out, printJson } from '../output';
import { withTemporal } from '../temporal';

const duration = (flag: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined)
        ctx.addIssue({ code: 'custom', message: `must be a duration such as 30s, 10m or 1h (${flag})` });
      return ms ?? 0;
    })
    .optional();

const CreateFlags = JsonFlag.extend({
  scenario: z.string().min(1, { error: 'is required: a built-in name or a scenario file' }),
  cron: z.string().regex(/^\S+(\s+\S+){4,6}$/, { error: 'must be a cron expression, e.g. "0 3 * * *"' }),
  clusterName: z.string().min(1).optional(),
  taskQueue: z.string().min(1).optional(),
  ai: z.enum(['off', 'auto', 'required']).default('auto'),
  samples: z.coerce.number().int().min(1).max(1000).optional(),
  overlap: z.enum(['skip', 'bufferOne', 'allowAll']).default('skip'),
  catchupWindow: duration('--catchup-window'),
  jitter: duration('--jitter'),
  paused: z.boolean().default(false),
});

/** Schedules are addressed by their id, or by the name given at creation and the cluster name. */
const IdFlags = JsonFlag.extend({ clusterName: z.string().min(1).optional() });

/** Says what was looked for and, when the name exists on other clusters, which ids to use instead. */
async function notFound(client: Client, typed: string, cfg: CliConfig): Promise<Error> {
  const tried = scheduleIdCandidates(typed, cfg.clusterName).join(' or ');
  const elsewhere = await schedulesNamed(client, typed).catch(() => []);
  const hint =
    elsewhere.length > 0
      ? `; schedules of that name: ${elsewhere.join(', ')} (pass the id as \`kubeproof schedule list\` prints it)`
      : '; list them with `kubeproof schedule list`';
  return usageError(`no schedule ${tried} in namespace ${cfg.namespace}${hint}`);
}

export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('cron schedules of baseline runs (Temporal Schedules)');
  schedule
    .command('create')
    .argument('<name>', 'name of the schedule, unique per cluster')
    .description('create a schedule that validates a scenario on a cron spec')
    .requiredOption('--scenario <scenario>', 'built-in scenario name or scenario file')
    .requiredOption('--cron <expr>', 'cron expression in UTC, e.g. "0 3 * * *"')
    .option('--cluster-name <name>', 'cluster the runs validate, as its workers name it (env KUBEPROOF_CLUSTER_NAME)')
    .option('--task-queue <name>', 'task queue of the workers (env KUBEPROOF_TASK_QUEUE)')
    .addOption(new Option('--ai <mode>', 'AI verdict mode').choices(['off', 'auto', 'required']).default('auto'))
    .option('--samples <n>', 'baseline samples per metric')
    .addOption(
      new Option('--overlap <policy>', 'when a run is still going')
        .choices(['skip', 'bufferOne', 'allowAll'])
        .default('skip'),
    )
    .option('--catchup-window <duration>', 'how far back missed runs are caught up (default 10m)')
    .option('--jitter <duration>', 'random delay added to each start')
    .option('--paused', 'create it paused')
    .option('--json', 'print the schedule id as JSON')
    .action(async (name: string, _o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, CreateFlags);
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
        throw usageError(`schedule name "${name}" must be lowercase letters, digits and '-'`);
      }
      const scenario = loadScenario(flags.scenario);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const id = await createSchedule(client, {
          name,
          scenario,
          clusterName: cfg.clusterName,
          cron: flags.cron,
          taskQueue: cfg.taskQueue,
          ai: flags.ai,
          samples: flags.samples,
          overlap: flags.overlap,
          ...(flags.catchupWindow ? { catchupWindowMs: flags.catchupWindow } : {}),
          ...(flags.jitter ? { jitterMs: flags.jitter } : {}),
          paused: flags.paused,
        });
        if (flags.json) printJson({ scheduleId: id });
        else
          out(
            `created schedule ${id}: ${scenario.metadata.name} on ${cfg.clusterName}, cron "${flags.cron}", overlap ${flags.overlap}`,
          );
        return ExitCode.Ok;
      });
    });

  schedule
    .command('list')
    .description("list kubeproof's schedules")
    .option('--json', 'print JSON')
    .action(async (_o: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, JsonFlag);
      process.exitCode = await withTemporal(cfg, async (client) => {
        const schedules = await listSchedules(client);
        if (flags.json)
          printJson(
            schedules.map((s) => ({
              scheduleId: s.scheduleId,
              paused: s.state.paused,
              note: s.state.note,
              nextActionTimes: s.info?.nextActionTimes,
            })),
          );
        else if (schedules.length === 0) out('no kubeproof schedules; create one with `kubeproof schedule create`');
        else
          for (const s of schedules)
            out(
              `${s.scheduleId}\t${s.state.paused ? 'paused' : 'active'}\t${s.state.note ?? ''}\tnext ${s.info?.nextActionTimes[0]?.toISOString() ?? '—'}`,
            );
        return ExitCode.Ok;
      });
    });

  const byId = (
    verb: string,
    description: string,
    act: (client: Client, id: string, cfg: CliConfig) => Promise<unknown>,
  ) =>
    schedule
      .command(verb)
      .argument(
        '<schedule>',
        'id printed by `schedule list` (kubeproof-<cluster>-<name>), or the name given at creation',
      )
      .description(description)
      .option('--cluster-name <name>', 'cluster of a schedule given by name (env KUBEPROOF_CLUSTER_NAME)')
      .option('--json', 'print JSON')
      .action(async (typed: string, _o: unknown, command: Command) => {
        const { flags, cfg } = commandConfig(command, IdFlags);
        process.exitCode = await withTemporal(cfg, async (client) => {
          const id = await resolveScheduleId(client, typed, cfg.clusterName);
          if (!id) throw await notFound(client, typed, cfg);
          try {
            const value = await act(client, id, cfg);
            if (flags.json) printJson(value ?? { scheduleId: id, done: verb });
            else out(typeof value === 'string' ? value : `${verb}: ${id}`);
            return ExitCode.Ok;
          } catch (error) {
            // Deleted by someone else between the look-up and the action.
            if (error instanceof ScheduleNotFoundError) throw await notFound(client, typed, cfg);
            throw error;
          }
        });
      });

  byId('describe', 'show a schedule: spec, policies, recent and next runs', async (client, id) => {
    const d = await describeSchedule(client, id);
    return {
      scheduleId: id,
      cron: d.spec.calendars?.length ? d.spec.calendars : (d.raw.schedule?.spec?.cronString ?? []),
      overlap: d.policies.overlap,
      catchupWindowMs: d.policies.catchupWindow,
      paused: d.state.paused,
      note: d.state.note,
      recentRuns: d.info.recentActions.map((a) => ({ at: a.takenAt, workflowId: a.action.workflow.workflowId })),
      nextRuns: d.info.nextActionTimes,
    };
  });
  byId('pause', 'pause a schedule', (client, id) => pauseSchedule(client, id));
  byId('unpause', 'resume a paused schedule', (client, id) => unpauseSchedule(client, id));
  byId('trigger', 'start a run now (the overlap policy still applies)', (client, id) => triggerSchedule(client, id));
  byId('delete', 'delete a schedule (runs already started go on)', (client, id) => deleteSchedule(client, id));
}
