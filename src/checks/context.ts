/** What a cluster readiness check gets: clients, the run namespace and labels, and what the run already observed. */
import type { KubeClients } from '../k8s/client';
import type { PodTimeline } from '../k8s/types';

/** One API call the run made, timed; classified as the SIG-scalability SLIs classify them. */
export interface ApiCallSample {
  kind: 'mutating' | 'read' | 'list';
  ms: number;
}

export interface ClusterCheckContext {
  clients: KubeClients;
  /** The run namespace; every object a check creates lives here. */
  namespace: string;
  /** The run labels (src/k8s/render.ts runLabels); every object a check creates carries them. */
  labels: Readonly<Record<string, string>>;
  /** The deploy step's pod timelines. */
  pods: readonly PodTimeline[];
  /** The run's own API call latencies, when the caller recorded them. */
  apiCalls?: readonly ApiCallSample[] | undefined;
}

/** Label added to every object a check creates, so a check's objects are told apart from the scenario's. */
export const CheckLabel = 'kubeproof.dev/check';

export const checkLabels = (ctx: ClusterCheckContext, id: string): Record<string, string> => ({
  ...ctx.labels,
  'app.kubernetes.io/name': `kubeproof-check-${id}`,
  [CheckLabel]: id,
});

/** A pod spec that runs nowhere real: tiny requests, no token, quick termination. */
export const pausePodSpec = (image = 'registry.k8s.io/pause:3.10') => ({
  containers: [
    {
      name: 'pause',
      image,
      resources: { requests: { cpu: '1m', memory: '4Mi' }, limits: { cpu: '10m', memory: '16Mi' } },
    },
  ],
  terminationGracePeriodSeconds: 0,
  automountServiceAccountToken: false,
});

/**
 * Polls `probe` every `everyMs` until it returns a value, `withinMs` has passed (then undefined), or `signal`
 * aborts (the runner's timeout).
 */
export async function pollWithin<T>(
  probe: () => Promise<T | undefined>,
  signal: AbortSignal,
  withinMs: number,
  everyMs = 250,
): Promise<T | undefined> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    signal.throwIfAborted();
    const value = await probe();
    if (value !== undefined || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Polls `probe` every `everyMs` until it returns a value or `signal` aborts (the runner's timeout). */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  signal: AbortSignal,
  everyMs = 250,
): Promise<T> {
  return (await pollWithin(probe, signal, Number.POSITIVE_INFINITY, everyMs)) as T;
}

export const statusCode = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
};

export const errorBody = (error: unknown): string => {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      return typeof parsed.message === 'string' ? parsed.message : body;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
};
