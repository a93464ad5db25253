/**
 * Active baseline measurements against a deployed run: scale-out time to Ready, rolling-restart time and API
 * round trips, each repeated `samples` times, plus latencies derived from the pods seen during deploy.
 * Every loop is bounded by its sample count and a timeout.
 */
import { performance } from 'node:perf_hooks';
import type { MetricSamples } from '../baseline/types';
import { Metric } from '../baseline/types';
import type { ServiceSpec } from '../scenarios/schema';
import type { KubeClients } from './client';
import { applyDeploymentChange } from './deploy';
import { ObjectWatch } from './object-watch';
import { PodTracker } from './pod-tracker';
import { type RunIdentity, namespaceName, serviceSelector } from './render';
import type { PodTimeline } from './types';

export interface MeasureOptions {
  samples: number;
  /** Upper bound for one sample (one scale-out or one rollout). */
  sampleTimeoutMs: number;
  heartbeat?: (() => void) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `to - from` in ms, or undefined when that cannot be a real duration (negative, NaN, infinite). Timestamps seen
 * after a watch reconnect come from the server, with one-second resolution and its own clock, and can land
 * before a local-clock one; such a sample is dropped rather than let through (a negative latency would fail the
 * baseline's sample checks) or clamped to 0 (which would invent a fast pod).
 */
export function durationSample(from: number, to: number): number | undefined {
  const ms = to - from;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Creation → Ready for every pod that became ready during deploy. Pods never ready count as failures; a pod
 * whose timeline cannot be right (Ready before created) is neither a sample nor a failure.
 */
export function podReadySamples(pods: PodTimeline[]): MetricSamples {
  const ready = pods.filter((p) => p.readyAt !== undefined);
  const samples = ready
    .map((p) => durationSample(p.createdAt, p.readyAt!))
    .filter((ms): ms is number => ms !== undefined);
  return { metric: Metric.PodReady, samples, failures: pods.length - ready.length };
}

export async function measureApiRoundTrips(
  clients: KubeClients,
  run: RunIdentity,
  opts: MeasureOptions,
): Promise<MetricSamples> {
  const samples: number[] = [];
  let failures = 0;
  const name = namespaceName(run);
  // Several requests per sample: single round trips on loopback are sub-millisecond noise.
  for (let i = 0; i < opts.samples * 4; i++) {
    opts.signal?.throwIfAborted();
    opts.heartbeat?.();
    const started = performance.now();
    try {
      await clients.core.readNamespace({ name });
      samples.push(Math.round((performance.now() - started) * 100) / 100);
    } catch {
      failures++;
    }
  }
  return { metric: Metric.ApiRoundTrip, samples, failures };
}

export async function measureScaleOut(
  clients: KubeClients,
  run: RunIdentity,
  svc: ServiceSpec,
  opts: MeasureOptions,
): Promise<MetricSamples> {
  const namespace = namespaceName(run);
  const scale = (replicas: number) =>
    applyDeploymentChange(clients, { name: svc.name, namespace }, { replicas }, 'scale');
  const samples: number[] = [];
  let failures = 0;
  const tracker = await PodTracker.start(clients, namespace, serviceSelector(run.runId, svc.name), Date.now());
  try {
    for (let i = 0; i < opts.samples; i++) {
      const before = new Set(tracker.snapshot().map((p) => p.uid));
      const started = Date.now();
      await scale(svc.replicas + 1);
      const readyAt = await tracker.until(
        (pods) => pods.find((p) => !before.has(p.uid) && p.readyAt !== undefined)?.readyAt,
        { timeoutMs: opts.sampleTimeoutMs, signal: opts.signal, onTick: opts.heartbeat, pollMs: 250 },
      );
      if (readyAt === undefined) failures++;
      else {
        const sample = durationSample(started, readyAt);
        if (sample !== undefined) samples.push(sample);
      }
      await scale(svc.replicas);
      await tracker.until((pods) => (pods.filter((p) => !p.terminating).length <= svc.replicas ? true : undefined), {
        timeoutMs: opts.sampleTimeoutMs,
        signal: opts.signal,
        onTick: opts.heartbeat,
        pollMs: 250,
      });
    }
  } finally {
    tracker.stop();
  }
  return { metric: Metric.ScaleOut, samples, failures };
}

export async function measureRollingRestart(
  clients: KubeClients,
  run: RunIdentity,
  svc: ServiceSpec,
  opts: MeasureOptions,
): Promise<MetricSamples> {
  const namespace = namespaceName(run);
  const samples: number[] = [];
  let failures = 0;
  // The scenario's replica count, not the live spec: a rollout of fewer replicas would be a different measurement.
  const want = svc.replicas;
  const watch = await ObjectWatch.deployment(clients, namespace, svc.name);
  try {
    for (let i = 0; i < opts.samples; i++) {
      const started = Date.now();
      const generation = await applyDeploymentChange(
        clients,
        { name: svc.name, namespace },
        { template: { metadata: { annotations: { 'kubeproof.dev/restarted-at': `${started}-${i}` } } } },
        'restart',
      );
      // Only a state of this rollout's generation counts: the watch may still deliver the finished previous one.
      const done = await watch.until(
        (d) => {
          const s = d?.status;
          return (
            (d?.metadata?.generation ?? 0) >= generation &&
            (s?.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 0) &&
            s?.updatedReplicas === want &&
            s.readyReplicas === want &&
            s.availableReplicas === want &&
            s.replicas === want
          );
        },
        { timeoutMs: opts.sampleTimeoutMs - (Date.now() - started), signal: opts.signal, onTick: opts.heartbeat },
      );
      if (done) samples.push(Date.now() - started);
      else failures++;
    }
  } finally {
    watch.stop();
  }
  return { metric: Metric.RollingRestart, samples, failures };
}
