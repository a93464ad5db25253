/**
 * The orphan janitor, run by a Temporal Schedule (`kubeproof janitor schedule`): removes kubeproof namespaces that
 * no workflow code will ever clean, those of runs that were terminated, timed out on the server, or lost.
 */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { JanitorReport } from '../janitor';
import { cleaning } from './activity-options';

type Activities = ReturnType<typeof activities.createActivities>;

export interface JanitorInput {
  cluster: string;
  graceMs?: number;
  dryRun?: boolean;
}

const { sweepOrphanNamespaces } = proxyActivities<Activities>({
  ...cleaning,
  summary: 'sweep orphaned kubeproof namespaces',
});

export async function janitor(input: JanitorInput): Promise<JanitorReport> {
  return sweepOrphanNamespaces(input);
}
