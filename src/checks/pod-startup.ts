/**
 * Pod startup latency SLO (SIG-scalability, stateless pods): p99 of creation → all containers running, ≤ 5 s,
 * from the deploy step's pod timelines. Pods with `readyAt` but no `runningAt` count from creation to Ready.
 */
import type { PodTimeline } from '../k8s/types';
import { percentile } from './api-latency';
import type { ClusterCheckContext } from './context';
import { ClusterCheckId } from './ids';
import type { CheckDefinition, CheckOutcome } from './model';

export const podStartupThresholdMs = 5000;

export function evaluatePodStartup(pods: readonly PodTimeline[]): CheckOutcome {
  const started = pods
    .map((pod) =>
      (pod.runningAt ?? pod.readyAt) === undefined ? undefined : (pod.runningAt ?? pod.readyAt)! - pod.createdAt,
    )
    .filter((ms): ms is number => ms !== undefined);
  if (started.length === 0)
    return { status: 'skipped', reason: 'no pod of the deploy step started, so there is nothing to measure' };
  const p99 = percentile(started, 99) ?? 0;
  const evidence = { pods: pods.length, started: started.length, p99Ms: p99, thresholdMs: podStartupThresholdMs };
  const metrics = [{ name: 'podStartupP99', value: p99, unit: 'ms' as const }];
  return p99 <= podStartupThresholdMs
    ? { status: 'pass', reason: `pod startup p99 ${p99} ms over ${started.length} pods (SLO ≤ 5 s)`, evidence, metrics }
    : {
        status: 'fail',
        reason: `pod startup p99 ${p99} ms over ${started.length} pods exceeds the 5 s SLO`,
        evidence,
        metrics,
      };
}

export const podStartupCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.PodStartup,
  title: 'Pod startup latency',
  description:
    "SIG-scalability pod startup SLO for stateless pods: p99 of creation → containers running ≤ 5 s, from the deploy step's pod timelines.",
  timeoutMs: 5_000,
  run: (ctx) => Promise.resolve(evaluatePodStartup(ctx.pods)),
};
