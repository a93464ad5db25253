/**
 * Temporal Schedules that run a scenario's validation (and so its baseline) on a cluster with a cron spec.
 * Overlap policy SKIP by default: while one scheduled run is measuring the cluster, the next is skipped
 * rather than measuring at the same time.
 */
import {
  type Client,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleDescription,
  type ScheduleSummary,
} from '@temporalio/client';
import type { Scenario } from '../scenarios/schema';
import { SearchAttr } from '../search-attributes';
import type { validateScenario } from '../workflows';
import type { AiMode } from '../run/contracts';
import { validationInput } from './validation';

export const Overlap = {
  skip: ScheduleOverlapPolicy.SKIP,
  bufferOne: ScheduleOverlapPolicy.BUFFER_ONE,
  allowAll: ScheduleOverlapPolicy.ALLOW_ALL,
} as const;
export type Overlap = keyof typeof Overlap;

export interface CreateSchedule {
  name: string;
  scenario: Scenario;
  clusterName: string;
  cron: string;
  taskQueue: string;
  ai: AiMode;
  samples?: number | undefined;
  overlap?: Overlap;
  /** How far back missed runs are caught up after downtime (ms). */
  catchupWindowMs?: number;
  /** Random delay added to each start (ms), so many schedules don't hit one server at once. */
  jitterMs?: number;
  paused?: boolean;
}

export const scheduleId = (clusterName: string, name: string): string => `kubeproof-${clusterName}-${name}`;

/**
 * What a schedule typed on the command line may mean, in the order tried: the id itself, as `schedule list` and
 * `schedule create` print it (`kubeproof-local-nightly`), then the name given to `schedule create` on this
 * cluster (`nightly` → `kubeproof-<cluster>-nightly`). Ids are tried first because they name their cluster.
 */
export function scheduleIdCandidates(typed: string, clusterName: string): string[] {
  const byName = scheduleId(clusterName, typed);
  return typed.startsWith('kubeproof-') ? [typed, byName] : [byName];
}

/** The id of the first candidate that exists (see `scheduleIdCandidates`), or undefined when none does. */
export async function resolveScheduleId(
  client: Client,
  typed: string,
  clusterName: string,
): Promise<string | undefined> {
  for (const id of scheduleIdCandidates(typed, clusterName)) {
    try {
      await client.schedule.getHandle(id).describe();
      return id;
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return undefined;
}

/** kubeproof's schedules with this short name on other clusters (ids ending in `-<name>`), for a "did you mean". */
export async function schedulesNamed(client: Client, name: string): Promise<string[]> {
  return (await listSchedules(client)).map((s) => s.scheduleId).filter((id) => id.endsWith(`-${name}`));
}

export async function createSchedule(client: Client, req: CreateSchedule): Promise<string> {
  const id = scheduleId(req.clusterName, req.name);
  const input = validationInput(req);
  await client.schedule.create<typeof validateScenario>({
    scheduleId: id,
    spec: { cronExpressions: [req.cron], ...(req.jitterMs ? { jitter: req.jitterMs } : {}) },
    action: {
      type: 'startWorkflow',
      workflowType: 'validateScenario',
      taskQueue: req.taskQueue,
      // The server appends the scheduled time, so every run still gets its own readable id.
      workflowId: `kubeproof/${req.clusterName}/${req.scenario.metadata.name}/scheduled`,
      args: [input],
      typedSearchAttributes: [
        { key: SearchAttr.Scenario, value: req.scenario.metadata.name },
        { key: SearchAttr.Cluster, value: req.clusterName },
        { key: SearchAttr.RunKind, value: 'scheduled' },
      ],
    },
    policies: { overlap: Overlap[req.overlap ?? 'skip'], catchupWindow: req.catchupWindowMs ?? 10 * 60_000 },
    state: { paused: req.paused ?? false, note: `kubeproof: ${req.scenario.metadata.name} on ${req.clusterName}` },
  });
  return id;
}

export async function listSchedules(client: Client): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  for await (const s of client.schedule.list()) if (s.scheduleId.startsWith('kubeproof-')) out.push(s);
  return out;
}

export const describeSchedule = (client: Client, id: string): Promise<ScheduleDescription> =>
  client.schedule.getHandle(id).describe();
export const pauseSchedule = (client: Client, id: string, note = 'paused by kubeproof'): Promise<void> =>
  client.schedule.getHandle(id).pause(note);
export const unpauseSchedule = (client: Client, id: string, note = 'unpaused by kubeproof'): Promise<void> =>
  client.schedule.getHandle(id).unpause(note);
/** Starts a run now; the overlap policy still applies. */
export const triggerSchedule = (client: Client, id: string): Promise<void> => client.schedule.getHandle(id).trigger();
export const deleteSchedule = (client: Client, id: string): Promise<void> => client.schedule.getHandle(id).delete();
