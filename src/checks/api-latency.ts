/**
 * API server latency SLIs, with the SIG-scalability definitions and thresholds: mutating calls p99 ≤ 1 s,
 * resource-scoped reads (GET of one object) p99 ≤ 1 s, namespace-scoped LISTs p99 ≤ 5 s. Measured over a bounded
 * burst of probe calls on run-labelled ConfigMaps in the run namespace, plus the run's own calls when recorded.
 */
import { performance } from 'node:perf_hooks';
import type { CheckMetric } from '../run/checks';
import type { ApiCallSample, ClusterCheckContext } from './context';
import { checkLabels } from './context';
import { ClusterCheckId } from './ids';
import type { CheckDefinition } from './model';

export const sliThresholdsMs = { mutating: 1000, read: 1000, list: 5000 } as const;

/** Nearest-rank percentile (the smallest sample ≥ p% of all samples); undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface SliEvaluation {
  status: 'pass' | 'fail';
  reason: string;
  p99: Record<ApiCallSample['kind'], number | undefined>;
}

/** The three SLIs over the samples: fail when any p99 is above its threshold. */
export function evaluateSlis(samples: readonly ApiCallSample[]): SliEvaluation {
  const kinds = ['mutating', 'read', 'list'] as const;
  const p99 = Object.fromEntries(
    kinds.map((kind) => [
      kind,
      percentile(
        samples.filter((s) => s.kind === kind).map((s) => s.ms),
        99,
      ),
    ]),
  ) as SliEvaluation['p99'];
  const over = kinds.filter((kind) => (p99[kind] ?? 0) > sliThresholdsMs[kind]);
  const shown = kinds
    .map(
      (kind) =>
        `${kind} p99 ${p99[kind] === undefined ? 'n/a' : `${Math.round(p99[kind])} ms`} (≤ ${sliThresholdsMs[kind]} ms)`,
    )
    .join(', ');
  return over.length === 0
    ? { status: 'pass', reason: `within the SIG-scalability SLOs: ${shown}`, p99 }
    : { status: 'fail', reason: `${over.join(' and ')} calls over the SLO: ${shown}`, p99 };
}

export function apiLatencyCheck(opts: { burst?: number } = {}): CheckDefinition<ClusterCheckContext> {
  const burst = opts.burst ?? 10;
  return {
    id: ClusterCheckId.ApiLatency,
    title: 'API server latency SLIs',
    description:
      `SIG-scalability API call latency SLOs: mutating p99 ≤ 1 s, resource-scoped reads p99 ≤ 1 s, namespace-scoped ` +
      `lists p99 ≤ 5 s, over a burst of ${burst} calls of each kind on run-labelled ConfigMaps plus the run's own calls.`,
    timeoutMs: 90_000,
    async run(ctx, signal) {
      const samples: ApiCallSample[] = [...(ctx.apiCalls ?? [])];
      const timed = async (kind: ApiCallSample['kind'], fn: () => Promise<unknown>) => {
        signal.throwIfAborted();
        const started = performance.now();
        await fn();
        samples.push({ kind, ms: Math.round((performance.now() - started) * 100) / 100 });
      };
      const { core } = ctx.clients;
      const namespace = ctx.namespace;
      const labels = checkLabels(ctx, ClusterCheckId.ApiLatency);
      for (let i = 0; i < burst; i++) {
        const name = `kubeproof-check-api-latency-${i}`;
        await timed('mutating', () =>
          core.createNamespacedConfigMap({
            namespace,
            body: { metadata: { name, labels }, data: { probe: String(i) } },
          }),
        );
        await timed('read', () => core.readNamespacedConfigMap({ name, namespace }));
        await timed('list', () =>
          core.listNamespacedConfigMap({
            namespace,
            labelSelector: `kubeproof.dev/check=${ClusterCheckId.ApiLatency}`,
          }),
        );
        await timed('mutating', () => core.deleteNamespacedConfigMap({ name, namespace }));
      }
      const evaluation = evaluateSlis(samples);
      const metrics: CheckMetric[] = [];
      const metricName = { mutating: 'apiMutatingP99', read: 'apiReadP99', list: 'apiListP99' } as const;
      for (const kind of ['mutating', 'read', 'list'] as const) {
        const value = evaluation.p99[kind];
        if (value !== undefined) metrics.push({ name: metricName[kind], value, unit: 'ms' });
      }
      return {
        status: evaluation.status,
        reason: evaluation.reason,
        evidence: {
          samples: { probe: burst * 4, run: ctx.apiCalls?.length ?? 0 },
          p99Ms: evaluation.p99,
          thresholdsMs: sliThresholdsMs,
        },
        metrics,
      };
    },
  };
}
