/** Applying a run's objects (server-side apply: a retried or replayed call never duplicates) and waiting for them. */
import * as k8s from './client-node';
import type { DependencyCondition, ServiceSpec } from '../scenarios/schema';
import { call, classify, isNotFound } from './api-errors';
import { endpointCounts } from './attribution';
import type { KubeClients } from './client';
import { PodTracker, type TrackedPod } from './pod-tracker';
import { ErrorType, KubeproofError } from '../errors';
import {
  Annotation,
  FIELD_MANAGER,
  type ImageOptions,
  Label,
  renderResourceQuota,
  runLabels,
  runSelector,
  type RunIdentity,
  namespaceName,
  renderNamespace,
  renderService,
  serviceSelector,
} from './render';
import type { PodTimeline } from './types';

/** What a dependent waits for: the scenario's `dependsOn[].condition`, defined once in the schema. */
export type WaitCondition = DependencyCondition;

async function apply(
  clients: KubeClients,
  object: k8s.KubernetesObject,
  manager = FIELD_MANAGER,
): Promise<k8s.KubernetesObject> {
  const what = `applying ${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;
  return call(what, () =>
    clients.objects.patch(object, undefined, undefined, manager, true, k8s.PatchStrategy.ServerSideApply),
  );
}

/**
 * Creates (or, on a retry or a resumed run, re-applies) the run namespace. A namespace of that name that does not
 * carry this run's identity belongs to someone else: it is never adopted, whatever its labels say.
 */
export async function applyNamespace(clients: KubeClients, run: RunIdentity): Promise<string> {
  const name = namespaceName(run);
  const existing = await clients.core.readNamespace({ name }).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw classify(error, `reading namespace ${name}`);
  });
  if (existing) {
    const owner = existing.metadata?.annotations?.[Annotation.WorkflowId];
    const key = existing.metadata?.labels?.[Label.RunId];
    if (key !== runLabels(run)[Label.RunId] || (run.workflowId !== undefined && owner !== run.workflowId)) {
      throw new KubeproofError(
        ErrorType.NamespaceConflict,
        `namespace ${name} already exists and belongs to ${owner ? `workflow ${owner}` : 'something other than this run'}; ` +
          'kubeproof never adopts a namespace it did not create for this run: delete it or start the run with another workflow id',
        { namespace: name },
      );
    }
    if (existing.metadata?.deletionTimestamp) {
      throw new KubeproofError(ErrorType.TransientApi, `namespace ${name} is still being deleted; retrying`);
    }
  }
  await apply(clients, renderNamespace(run));
  return name;
}

/** The scenario's ResourceQuota in the run namespace (`spec.resourceQuota`), applied before any service. */
export async function applyQuota(
  clients: KubeClients,
  run: RunIdentity,
  quota: { hard: Readonly<Record<string, string>> } | undefined,
): Promise<void> {
  const rendered = renderResourceQuota(run, quota);
  if (rendered) await apply(clients, rendered);
}

export async function applyService(
  clients: KubeClients,
  run: RunIdentity,
  svc: ServiceSpec,
  images: ImageOptions = {},
): Promise<string[]> {
  const objects = renderService(run, svc, images);
  for (const object of objects) await apply(clients, object);
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

/**
 * Applies part of a Deployment's spec under a field manager of its own. One manager per kind of change: a
 * manager that applied `spec.replicas` and later applies an object without it gives the field up, and the API
 * server would reset it to its default. Resolves with the generation the change gave the Deployment.
 */
export const applyDeploymentChange = async (
  clients: KubeClients,
  target: { name: string; namespace: string },
  spec: Record<string, unknown>,
  purpose: 'scale' | 'restart',
): Promise<number> => {
  const applied = await apply(
    clients,
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: target, spec } as k8s.KubernetesObject,
    `${FIELD_MANAGER}-${purpose}`,
  );
  return applied.metadata?.generation ?? 0;
};

export interface AwaitRequest {
  run: RunIdentity;
  service: string;
  replicas: number;
  hasPorts: boolean;
  condition: WaitCondition;
  timeoutMs: number;
  /** Epoch ms when the service was applied; bounds timestamps that predate the watch. */
  notBefore: number;
  /** Unschedulable pods fail the wait after this long (the scheduler would keep retrying). */
  unschedulableAfterMs?: number;
  /** Restarts per pod that count as a crash loop. */
  crashLoopRestarts?: number;
}

export type AwaitState = 'met' | 'timeout' | 'unschedulable' | 'crash-loop';

export interface AwaitResult {
  service: string;
  condition: WaitCondition;
  state: AwaitState;
  elapsedMs: number;
  reason?: string;
  pods: PodTimeline[];
}

export async function readyEndpoints(
  clients: KubeClients,
  namespace: string,
  service: string,
): Promise<{ ready: number; notReady: number }> {
  const slices = await call(`listing EndpointSlices of ${namespace}/${service}`, () =>
    clients.discovery.listNamespacedEndpointSlice({
      namespace,
      labelSelector: `kubernetes.io/service-name=${service}`,
    }),
  );
  // Each endpoint once, however many slices list it (src/k8s/attribution.ts).
  return endpointCounts(slices.items, service);
}

type Settled = Omit<AwaitResult, 'pods' | 'elapsedMs'>;

/**
 * Where one service's pods stand against its condition, from the tracked pods alone: settled (met, unschedulable,
 * crash-loop), undefined while still on the way, or `endpoints` when only the Service's ready endpoints are left to
 * check (`healthy` on a service with ports).
 */
export function podState(
  req: Pick<AwaitRequest, 'service' | 'replicas' | 'hasPorts' | 'condition'>,
  pods: readonly TrackedPod[],
  limits: { unschedulableAfter: number; crashLoopRestarts: number; now?: number },
): Settled | 'endpoints' | undefined {
  const now = limits.now ?? Date.now();
  const live = pods.filter((p) => !p.terminating);
  const stuck = live.find(
    (p) => p.unschedulableSince !== undefined && now - p.unschedulableSince >= limits.unschedulableAfter,
  );
  if (stuck)
    return {
      service: req.service,
      condition: req.condition,
      state: 'unschedulable',
      reason: `pod ${stuck.pod}: ${stuck.waitingReason}`,
    };
  const crashing = live.find((p) => p.restarts >= limits.crashLoopRestarts);
  if (crashing) {
    return {
      service: req.service,
      condition: req.condition,
      state: 'crash-loop',
      reason: `pod ${crashing.pod} restarted ${crashing.restarts} times (${crashing.waitingReason ?? 'CrashLoopBackOff'})`,
    };
  }
  const scheduled = live.filter((p) => p.scheduledAt !== undefined).length;
  const ready = live.filter((p) => p.readyAt !== undefined).length;
  const met = { service: req.service, condition: req.condition, state: 'met' as const };
  if (req.condition === 'scheduled') return scheduled >= req.replicas ? met : undefined;
  if (ready < req.replicas) return undefined;
  if (req.condition === 'ready') return met;
  // healthy: ready, serving through its Service, and not restarting.
  if (live.some((p) => p.restarts > 0)) return undefined;
  return req.hasPorts ? 'endpoints' : met;
}

/** The timeout result of a service that did not settle: how many replicas were ready, and what the rest waits on. */
function timedOut(
  req: Pick<AwaitRequest, 'service' | 'replicas' | 'condition' | 'timeoutMs'>,
  pods: readonly TrackedPod[],
): Settled {
  const live = pods.filter((p) => !p.terminating);
  const ready = live.filter((p) => p.readyAt !== undefined).length;
  const waiting = live.find((p) => p.readyAt === undefined)?.waitingReason;
  return {
    service: req.service,
    condition: req.condition,
    state: 'timeout',
    reason: `${ready}/${req.replicas} replicas ready after ${Math.round(req.timeoutMs / 1000)}s waiting for "${req.condition}"${waiting ? ` (${waiting})` : ''}`,
  };
}

export async function awaitService(
  clients: KubeClients,
  req: AwaitRequest,
  opts: {
    signal?: AbortSignal | undefined;
    heartbeat?: (() => void) | undefined;
    /** Runs once the watch is live and before waiting: the apply, so every pod is seen from its creation. */
    start?: () => Promise<void>;
  } = {},
): Promise<AwaitResult> {
  const started = Date.now();
  const namespace = namespaceName(req.run);
  const unschedulableAfter = req.unschedulableAfterMs ?? 10_000;
  const crashLoopRestarts = req.crashLoopRestarts ?? 3;
  const tracker = await PodTracker.start(
    clients,
    namespace,
    serviceSelector(req.run.runId, req.service),
    req.notBefore,
  );
  try {
    await opts.start?.();
    const check = async (pods: TrackedPod[]): Promise<Omit<AwaitResult, 'pods' | 'elapsedMs'> | undefined> => {
      const state = podState(req, pods, { unschedulableAfter, crashLoopRestarts });
      if (state !== 'endpoints') return state;
      const endpoints = await readyEndpoints(clients, namespace, req.service);
      return endpoints.ready >= req.replicas
        ? { service: req.service, condition: req.condition, state: 'met' }
        : undefined;
    };
    const outcome = await tracker.until(check, {
      timeoutMs: req.timeoutMs,
      signal: opts.signal,
      onTick: opts.heartbeat,
    });
    const pods = tracker.timelines();
    const elapsedMs = Date.now() - started;
    if (outcome) return { ...outcome, elapsedMs, pods };
    return { ...timedOut(req, tracker.snapshot()), elapsedMs, pods };
  } finally {
    tracker.stop();
  }
}

/**
 * Applies one service and follows its pods to Ready (or until the timeout, an unschedulable pod or a crash
 * loop). The watch starts before the apply, so creation, scheduling and readiness are all observed live.
 */
export async function deployService(
  clients: KubeClients,
  run: RunIdentity,
  svc: ServiceSpec,
  timeoutMs: number,
  opts: {
    signal?: AbortSignal | undefined;
    heartbeat?: (() => void) | undefined;
    /** When the first attempt started (a retry must not clamp pod timestamps to its own start). */
    notBefore?: number | undefined;
    /** `spec.images` and `--image-registry`, applied to every rendered pod. */
    images?: ImageOptions | undefined;
  } = {},
): Promise<AwaitResult & { objects: string[] }> {
  let objects: string[] = [];
  const result = await awaitService(
    clients,
    {
      run,
      service: svc.name,
      replicas: svc.replicas,
      hasPorts: svc.ports.length > 0,
      condition: 'ready',
      timeoutMs,
      notBefore: opts.notBefore ?? Date.now(),
    },
    { ...opts, start: async () => void (objects = await applyService(clients, run, svc, opts.images)) },
  );
  return { ...result, objects };
}

/** How many services of a wave are applied at once: enough to keep the API server busy, not a burst of hundreds. */
export const WAVE_APPLY_CONCURRENCY = 16;

/** One dependency edge into a wave: `neededBy` (in the wave) waits for `service` to meet `condition`. */
export interface DependencyEdge {
  service: string;
  neededBy: string;
  condition: WaitCondition;
  replicas: number;
  hasPorts: boolean;
  /** The edge's own timeout (`dependsOn[].timeout`), counted from when the wave starts waiting. */
  timeoutMs: number;
}

/** The edge a wave gave up on: its dependency did not meet the condition (timeout, unschedulable, crash loop). */
export type BlockedDependency = Settled & { state: Exclude<AwaitState, 'met'>; neededBy: string };

export interface WaveRequest {
  run: RunIdentity;
  /**
   * The wave's services. Their dependencies have met their conditions, or are listed in `dependencies`, which the
   * wave awaits itself before applying anything.
   */
  services: ServiceSpec[];
  /** Edges into the wave that may not be met yet; nothing of the wave is applied before every one is. */
  dependencies?: readonly DependencyEdge[] | undefined;
  /** Each service's own follow timeout (the scenario's ready timeout, or its dependents' longest edge). */
  timeoutsMs: Readonly<Record<string, number>>;
  /** Epoch ms when the first attempt started (a retry must not clamp pod timestamps to its own start). */
  notBefore: number;
  images?: ImageOptions | undefined;
  unschedulableAfterMs?: number;
  crashLoopRestarts?: number;
}

export type DeployedService = AwaitResult & { objects: string[] };

/**
 * Applies every service of a wave (at most WAVE_APPLY_CONCURRENCY at once) and follows all their pods to Ready
 * with one watch, until each service has settled: met, timed out (each under its own timeout), unschedulable or
 * crash-looping. One activity per wave instead of one per service keeps a scenario of hundreds of services to a
 * handful of history events and one watch. An apply that fails names its service (`details.service`); the
 * applies still in flight finish first, so nothing lands after the failure is reported.
 *
 * With `dependencies`, the same watch follows the dependencies' pods first and nothing is applied until every
 * edge has met its condition; an edge that cannot be met ends the wave with `blocked` and nothing applied. The
 * edge is then awaited where its dependency is seen, not after a round trip through the workflow. `onApplied`
 * runs once every object of the wave has been applied.
 */
export async function deployWave(
  clients: KubeClients,
  req: WaveRequest,
  opts: {
    signal?: AbortSignal | undefined;
    heartbeat?: (() => void) | undefined;
    onApplied?: (() => void) | undefined;
  } = {},
): Promise<{ services: DeployedService[]; blocked?: BlockedDependency }> {
  const namespace = namespaceName(req.run);
  const limits = {
    unschedulableAfter: req.unschedulableAfterMs ?? 10_000,
    crashLoopRestarts: req.crashLoopRestarts ?? 3,
  };
  const names = req.services.map((s) => s.name);
  const edges = req.dependencies ?? [];
  const followed = [...new Set([...names, ...edges.map((e) => e.service)])];
  const tracker = await PodTracker.start(
    clients,
    namespace,
    `${runSelector(req.run.runId)},${Label.Name} in (${followed.join(',')})`,
    req.notBefore,
  );
  try {
    if (edges.length > 0) {
      const blocked = await awaitDependencies(clients, tracker, namespace, edges, limits, opts);
      if (blocked) return { services: [], blocked };
    }
    const started = Date.now();
    const objects = new Map<string, string[]>();
    await eachLimited(req.services, WAVE_APPLY_CONCURRENCY, async (svc) => {
      opts.signal?.throwIfAborted();
      try {
        objects.set(svc.name, await applyService(clients, req.run, svc, req.images));
      } catch (error) {
        const e = error instanceof KubeproofError ? error : classify(error, `applying service ${svc.name}`);
        throw new KubeproofError(e.type, e.message, { ...e.details, service: svc.name });
      }
      opts.heartbeat?.();
    });
    opts.onApplied?.();
    const settled = new Map<string, Settled>();
    const elapsed = new Map<string, number>();
    const longest = Math.max(...names.map((n) => req.timeoutsMs[n] ?? 0));
    await tracker.until(
      (pods) => {
        const byService = new Map<string, TrackedPod[]>();
        for (const p of pods) {
          const list = byService.get(p.service);
          if (list) list.push(p);
          else byService.set(p.service, [p]);
        }
        const now = Date.now();
        for (const svc of req.services) {
          if (settled.has(svc.name)) continue;
          const timeoutMs = req.timeoutsMs[svc.name] ?? longest;
          const own = byService.get(svc.name) ?? [];
          const base = { service: svc.name, replicas: svc.replicas, hasPorts: svc.ports.length > 0 };
          const state = podState({ ...base, condition: 'ready' }, own, { ...limits, now });
          const outcome =
            state !== undefined && state !== 'endpoints'
              ? state
              : now - started >= timeoutMs
                ? timedOut({ ...base, condition: 'ready', timeoutMs }, own)
                : undefined;
          if (outcome) {
            settled.set(svc.name, outcome);
            elapsed.set(svc.name, now - started);
          }
        }
        return settled.size === names.length ? true : undefined;
      },
      { timeoutMs: longest, signal: opts.signal, onTick: opts.heartbeat },
    );
    const pods = tracker.timelines();
    const snapshot = tracker.snapshot();
    return {
      services: req.services.map((svc) => ({
        ...(settled.get(svc.name) ??
          timedOut(
            {
              service: svc.name,
              replicas: svc.replicas,
              condition: 'ready',
              timeoutMs: req.timeoutsMs[svc.name] ?? longest,
            },
            snapshot.filter((p) => p.service === svc.name),
          )),
        elapsedMs: elapsed.get(svc.name) ?? Date.now() - started,
        pods: pods.filter((p) => p.service === svc.name),
        objects: objects.get(svc.name) ?? [],
      })),
    };
  } finally {
    tracker.stop();
  }
}

/**
 * Waits until every edge has met its condition (each under its own timeout, counted from now), reading the
 * dependencies' pods from `tracker` and, for `healthy` on a service with ports, its ready endpoints. Resolves with
 * undefined when all are met, or with the first edge that cannot be: timed out, unschedulable or crash-looping. An
 * edge once met stays met, as it did when the workflow awaited it.
 */
async function awaitDependencies(
  clients: KubeClients,
  tracker: PodTracker,
  namespace: string,
  edges: readonly DependencyEdge[],
  limits: { unschedulableAfter: number; crashLoopRestarts: number },
  opts: { signal?: AbortSignal | undefined; heartbeat?: (() => void) | undefined },
): Promise<BlockedDependency | undefined> {
  const started = Date.now();
  const met = new Set<DependencyEdge>();
  const blockedBy = (edge: DependencyEdge, settled: Settled): BlockedDependency =>
    ({ ...settled, neededBy: edge.neededBy }) as BlockedDependency;
  const outcome = await tracker.until<BlockedDependency | 'met'>(
    async (pods) => {
      const now = Date.now();
      for (const edge of edges) {
        if (met.has(edge)) continue;
        const own = pods.filter((p) => p.service === edge.service);
        const state = podState(edge, own, { ...limits, now });
        const reached =
          state === 'endpoints'
            ? (await readyEndpoints(clients, namespace, edge.service)).ready >= edge.replicas
            : state?.state === 'met';
        if (reached) met.add(edge);
        else if (state !== undefined && state !== 'endpoints') return blockedBy(edge, state);
        else if (now - started >= edge.timeoutMs) return blockedBy(edge, timedOut(edge, own));
      }
      return met.size === edges.length ? 'met' : undefined;
    },
    { timeoutMs: Math.max(...edges.map((e) => e.timeoutMs)), signal: opts.signal, onTick: opts.heartbeat },
  );
  if (outcome === 'met') return undefined;
  if (outcome) return outcome;
  const edge = edges.find((e) => !met.has(e))!;
  return blockedBy(
    edge,
    timedOut(
      edge,
      tracker.snapshot().filter((p) => p.service === edge.service),
    ),
  );
}

/**
 * Runs `fn` over `items`, at most `limit` at once. After the first failure nothing new starts; the calls in flight
 * finish, then that failure is thrown.
 */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
