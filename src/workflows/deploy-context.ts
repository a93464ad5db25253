/**
 * What the deploy step's paths share: the step's context, the activity proxy for following services, and the
 * service a failed wave names.
 */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ImageOptions, RunIdentity } from '../k8s/render';
import type { RunRecord } from '../run/record';
import type { Scenario } from '../scenarios/schema';
import { deploying } from './activity-options';

type Activities = ReturnType<typeof activities.createActivities>;

export const follow = (timeoutMs: number, summary: string) =>
  proxyActivities<Activities>({ ...deploying(timeoutMs), summary });

/** The service an activity failure names in its details (deployWave's failed apply), if any. */
export function serviceOf(error: unknown): string | undefined {
  const details = (error as { cause?: { details?: unknown[] } }).cause?.details;
  const first = Array.isArray(details) ? (details[0] as { service?: unknown } | undefined) : undefined;
  return typeof first?.service === 'string' ? first.service : undefined;
}

export interface DeployContext {
  scenario: Scenario;
  waves: string[][];
  run: RunIdentity;
  cluster: string;
  record: RunRecord;
  /** Every activity this step starts; after a failure the workflow cancels them and waits until they stopped. */
  inflight: Set<Promise<unknown>>;
  /** `spec.images` and `--image-registry`, applied to every pod rendered. */
  images: ImageOptions;
}

/** The summary shown beside a wave's activity in the Web UI. */
export function waveSummary(wave: readonly string[], replicasOf: (name: string) => number): string {
  return wave.length === 1
    ? `deploy ${wave[0]} (${replicasOf(wave[0]!)} replicas) and follow it to Ready`
    : `deploy ${wave.length} services (${wave.slice(0, 3).join(', ')}${wave.length > 3 ? ', …' : ''}) and follow them to Ready`;
}
