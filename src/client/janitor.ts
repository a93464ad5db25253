/**
 * The janitor's Temporal Schedule: one per cluster, every 15 minutes by default, overlap SKIP (a sweep still
 * deleting namespaces is never joined by a second one).
 */
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import type { janitor } from '../workflows';
import { SearchAttr } from '../search-attributes';

export const janitorScheduleId = (cluster: string): string => `kubeproof-janitor-${cluster}`;

export async function createJanitorSchedule(
  client: Client,
  req: { cluster: string; taskQueue: string; everyMs: number; graceMs?: number },
): Promise<string> {
  const id = janitorScheduleId(req.cluster);
  await client.schedule.create<typeof janitor>({
    scheduleId: id,
    spec: { intervals: [{ every: req.everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'janitor',
      taskQueue: req.taskQueue,
      workflowId: `kubeproof-janitor/${req.cluster}`,
      args: [{ cluster: req.cluster, ...(req.graceMs !== undefined ? { graceMs: req.graceMs } : {}) }],
      typedSearchAttributes: [
        { key: SearchAttr.Cluster, value: req.cluster },
        { key: SearchAttr.RunKind, value: 'janitor' },
      ],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    state: { note: `kubeproof janitor for cluster ${req.cluster}` },
  });
  return id;
}

export const deleteJanitorSchedule = (client: Client, cluster: string): Promise<void> =>
  client.schedule.getHandle(janitorScheduleId(cluster)).delete();
