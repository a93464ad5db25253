/**
 * Warning events the control plane raises about its own bookkeeping and repairs by itself, told apart from
 * warnings about the workload. A run that met one of them by chance must not read "warn": the event says
 * nothing about the cluster's readiness for the workload, and counting it made the verdict a lottery.
 *
 * Each rule names the component that emits the event, why it is bookkeeping, and a condition the health step
 * verifies itself. Anything not matched here stays a warning event. The notices are still reported (run
 * result, text and JUnit reports), marked as not counted and why.
 */
import type { ControlPlaneNotice, WarningEvent } from './types';

/** What the health step knows about the service an event was attributed to. */
export interface NoticeContext {
  /** The service's Service object has a ClusterIP assigned (not None, not empty). */
  hasClusterIP: boolean;
}

interface NoticeRule {
  reason: string;
  kind: string;
  message: RegExp;
  applies: (ctx: NoticeContext) => boolean;
  why: string;
}

const rules: readonly NoticeRule[] = [
  {
    // kube-apiserver's ClusterIP repair loop (every 3 min) snapshots the allocations, then lists Services. A
    // Service written between the two reads looks unallocated; the loop marks its IP allocated and moves on.
    // Allocation and the Service write are not atomic (kubernetes/kubernetes#37488). Seen here on fresh
    // Services of the local stack, twice within five minutes.
    reason: 'ClusterIPNotAllocated',
    kind: 'Service',
    message: /is not allocated; repairing$/,
    applies: (ctx) => ctx.hasClusterIP,
    why: "kube-apiserver's ClusterIP repair loop raced this Service's creation and re-marked its IP allocated",
  },
];

/** `object` is `Kind/name` as the health step records it. */
const kindOf = (event: WarningEvent): string => event.object.slice(0, event.object.indexOf('/'));

/** Splits a service's warning events into those about the workload and control-plane notices. */
export function separateControlPlaneNotices(
  events: readonly WarningEvent[],
  ctx: NoticeContext,
): { warnings: WarningEvent[]; notices: ControlPlaneNotice[] } {
  const warnings: WarningEvent[] = [];
  const notices: ControlPlaneNotice[] = [];
  for (const event of events) {
    const rule = rules.find(
      (r) => r.reason === event.reason && r.kind === kindOf(event) && r.message.test(event.message) && r.applies(ctx),
    );
    if (rule) notices.push({ ...event, why: rule.why });
    else warnings.push(event);
  }
  return { warnings, notices };
}
