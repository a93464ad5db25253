/**
 * Follows the pods of one selector with a watch and records when each pod was created, scheduled, running and
 * ready. Kubernetes timestamps have one-second resolution, so transitions seen live on the watch are stamped
 * with the local clock in milliseconds; transitions that happened before the watch started fall back to the
 * server's timestamps, never earlier than `notBefore` (the moment the objects were applied). The same holds
 * after a watch reconnect: transitions found by the re-list are stamped with server time. Each timeline is kept
 * monotonic (created ≤ scheduled ≤ running ≤ ready), whichever clock each stamp came from.
 */
import type * as k8s from '@kubernetes/client-node';
import { call } from './api-errors';
import type { KubeClients } from './client';
import { Follower, type WaitOptions } from './follower';
import { Label } from './render';
import type { PodTimeline } from './types';

export interface TrackedPod extends PodTimeline {
  uid: string;
  terminating: boolean;
  unschedulableSince?: number;
}

const ms = (t: Date | string | undefined): number | undefined => (t === undefined ? undefined : new Date(t).getTime());

/**
 * The latest of the stamps a pod reached before `stage`: created, then scheduled, then running. A later stage
 * is never stamped earlier than that, so mixing the local clock (live watch) with server time (a re-list, one
 * second resolution) cannot yield a pod Ready before it was created.
 */
export function earliestFor(
  timeline: Pick<PodTimeline, 'createdAt' | 'scheduledAt' | 'runningAt'>,
  stage: 'scheduledAt' | 'runningAt' | 'readyAt',
): number {
  const before =
    stage === 'scheduledAt'
      ? [timeline.createdAt]
      : stage === 'runningAt'
        ? [timeline.createdAt, timeline.scheduledAt]
        : [timeline.createdAt, timeline.scheduledAt, timeline.runningAt];
  return Math.max(...before.filter((t): t is number => t !== undefined));
}

function condition(pod: k8s.V1Pod, type: string): k8s.V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export class PodTracker extends Follower<k8s.V1Pod> {
  private readonly pods = new Map<string, TrackedPod>();
  private live = false;
  /** Set once the first list has been read: later lists are re-lists after a watch reconnect. */
  private listedOnce = false;

  private constructor(
    clients: KubeClients,
    private readonly namespace: string,
    private readonly selector: string,
    private readonly notBefore: number,
  ) {
    super(clients, {
      describe: `pods in ${namespace}`,
      path: `/api/v1/namespaces/${namespace}/pods`,
      query: { labelSelector: selector },
    });
  }

  static async start(clients: KubeClients, namespace: string, selector: string, notBefore = 0): Promise<PodTracker> {
    const tracker = new PodTracker(clients, namespace, selector, notBefore);
    await tracker.resync();
    return tracker;
  }

  snapshot(): TrackedPod[] {
    return [...this.pods.values()].map((p) => ({ ...p }));
  }

  timelines(): PodTimeline[] {
    return this.snapshot().map(({ uid: _u, terminating: _t, unschedulableSince: _s, ...t }) => t);
  }

  /**
   * Resolves when `check` returns a value other than undefined, or with undefined when the timeout passes or the
   * tracker is stopped. Re-checks on every pod change and at least every `pollMs` (for time-based conditions).
   */
  until<T>(
    check: (pods: TrackedPod[]) => T | undefined | Promise<T | undefined>,
    opts: WaitOptions,
  ): Promise<T | undefined> {
    return this.waitUntil(() => check(this.snapshot()), { ...opts, pollMs: opts.pollMs ?? 1000 });
  }

  protected async read(): Promise<string | undefined> {
    this.live = false;
    const list = await call(`listing pods in ${this.namespace}`, () =>
      this.clients.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector }),
    );
    const seen = new Set<string>();
    for (const pod of list.items) {
      seen.add(pod.metadata?.uid ?? '');
      this.observe(pod);
    }
    for (const [uid, pod] of this.pods) if (!seen.has(uid)) pod.terminating = true;
    this.listedOnce = true;
    return list.metadata?.resourceVersion;
  }

  protected observeEvent(phase: string, pod: k8s.V1Pod): void {
    if (phase === 'DELETED') {
      const tracked = this.pods.get(pod.metadata?.uid ?? '');
      if (tracked) tracked.terminating = true;
    } else {
      this.observe(pod);
    }
  }

  protected override onWatching(): void {
    this.live = true;
  }

  private observe(pod: k8s.V1Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    const now = Date.now();
    // Live transitions get the local clock; ones that predate the watch get server time, clamped to notBefore. A
    // pod already followed whose transition a re-list reveals keeps the local clock: it happened during the gap,
    // and `now` (at most the gap late) is closer than a server stamp from another clock at one-second resolution.
    const local = this.live || (this.listedOnce && this.pods.has(uid));
    const at = (server: Date | string | undefined) => (local ? now : Math.max(this.notBefore, ms(server) ?? now));
    let tracked = this.pods.get(uid);
    if (!tracked) {
      tracked = {
        uid,
        pod: pod.metadata?.name ?? uid,
        service: pod.metadata?.labels?.[Label.Name] ?? '',
        createdAt: at(pod.metadata?.creationTimestamp),
        restarts: 0,
        phase: 'Pending',
        terminating: false,
      };
      this.pods.set(uid, tracked);
    }
    const scheduled = condition(pod, 'PodScheduled');
    if (tracked.scheduledAt === undefined && (pod.spec?.nodeName || scheduled?.status === 'True')) {
      tracked.scheduledAt = Math.max(at(scheduled?.lastTransitionTime), earliestFor(tracked, 'scheduledAt'));
    }
    if (pod.spec?.nodeName) tracked.node = pod.spec.nodeName;
    if (tracked.runningAt === undefined && pod.status?.phase === 'Running') {
      tracked.runningAt = Math.max(at(pod.status.startTime), earliestFor(tracked, 'runningAt'));
    }
    const ready = condition(pod, 'Ready');
    if (tracked.readyAt === undefined && ready?.status === 'True') {
      tracked.readyAt = Math.max(at(ready.lastTransitionTime), earliestFor(tracked, 'readyAt'));
    }
    tracked.phase = pod.status?.phase ?? 'Pending';
    tracked.terminating = pod.metadata?.deletionTimestamp !== undefined;
    const statuses = pod.status?.containerStatuses ?? [];
    tracked.restarts = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      tracked.unschedulableSince ??= now;
      tracked.waitingReason = `Unschedulable: ${scheduled.message ?? 'no node fits the pod'}`;
    } else {
      delete tracked.unschedulableSince;
      const waiting = statuses.find((c) => c.state?.waiting)?.state?.waiting;
      if (waiting) tracked.waitingReason = `${waiting.reason ?? 'Waiting'}: ${waiting.message ?? ''}`.trim();
      else delete tracked.waitingReason;
    }
  }
}
