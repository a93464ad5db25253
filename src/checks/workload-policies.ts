/**
 * DaemonSet reach, and ResourceQuota / LimitRange enforcement. Objects are run-labelled, in the run namespace, and
 * deleted when the check ends, so they never constrain the scenario's own pods or the baseline that follows.
 */
import type * as k8s from '@kubernetes/client-node';
import type { ClusterCheckContext } from './context';
import { checkLabels, errorBody, pausePodSpec, pollUntil, pollWithin, statusCode } from './context';
import { ClusterCheckId } from './ids';
import type { CheckDefinition } from './model';
import { Label } from '../k8s/render';

export const daemonSetCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.DaemonSet,
  title: 'DaemonSet reaches every node',
  description:
    'Creates a DaemonSet in the run namespace: it must be scheduled on every schedulable node and become Ready.',
  timeoutMs: 90_000,
  async run(ctx, signal) {
    const name = 'kubeproof-check-daemonset';
    const labels = checkLabels(ctx, ClusterCheckId.DaemonSet);
    const selector = { 'kubeproof.dev/check': ClusterCheckId.DaemonSet, [Label.RunId]: labels[Label.RunId] ?? '' };
    const { apps, core } = ctx.clients;
    try {
      const nodes = (await core.listNode()).items.filter(
        (n) =>
          n.spec?.unschedulable !== true &&
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
      );
      await apps.createNamespacedDaemonSet({
        namespace: ctx.namespace,
        body: {
          metadata: { name, labels },
          spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: pausePodSpec() } },
        },
      });
      const status = await pollUntil(
        async () => {
          const ds = await apps.readNamespacedDaemonSet({ name, namespace: ctx.namespace });
          const s = ds.status;
          return s &&
            s.desiredNumberScheduled >= nodes.length &&
            s.numberReady >= s.desiredNumberScheduled &&
            s.desiredNumberScheduled > 0
            ? s
            : undefined;
        },
        signal,
        500,
      );
      return {
        status: 'pass',
        reason: `scheduled on ${status.currentNumberScheduled} of ${nodes.length} schedulable nodes, ${status.numberReady} Ready`,
        evidence: { schedulableNodes: nodes.length, desired: status.desiredNumberScheduled, ready: status.numberReady },
      };
    } finally {
      await apps
        .deleteNamespacedDaemonSet({ name, namespace: ctx.namespace, propagationPolicy: 'Background' })
        .catch(() => undefined);
    }
  },
};

/** How long a new LimitRange may take to reach admission: the LimitRanger's 30 s live-lookup cache, plus slack. */
const LIMIT_RANGE_VISIBLE_MS = 35_000;
/** How long a ResourceQuota with its status written may take to reach quota admission. */
const QUOTA_VISIBLE_MS = 10_000;

export const quotaCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.Quota,
  title: 'ResourceQuota and LimitRange enforced',
  description:
    'A ResourceQuota scoped to Terminating pods (the scenario has none) must refuse a dry-run pod over it and admit one ' +
    'under it; a LimitRange must fill in default requests and limits on a dry-run pod without them.',
  timeoutMs: 90_000,
  async run(ctx, signal) {
    const { core } = ctx.clients;
    const namespace = ctx.namespace;
    const labels = checkLabels(ctx, ClusterCheckId.Quota);
    const quotaName = 'kubeproof-check-quota';
    const limitName = 'kubeproof-check-limits';
    const pod = (name: string, cpu?: string): k8s.V1Pod => {
      const spec = pausePodSpec();
      return {
        metadata: { name, labels },
        spec: {
          ...spec,
          activeDeadlineSeconds: 60,
          containers: spec.containers.map((c) => ({
            ...c,
            // Memory too: a scenario's own ResourceQuota in the namespace may require every resource be set.
            resources: cpu ? { requests: { cpu, memory: '16Mi' }, limits: { cpu, memory: '16Mi' } } : {},
          })),
        },
      };
    };
    const evidence: Record<string, unknown> = {};
    try {
      await core.createNamespacedResourceQuota({
        namespace,
        body: {
          metadata: { name: quotaName, labels },
          spec: { hard: { 'requests.cpu': '100m', 'limits.cpu': '100m' }, scopes: ['Terminating'] },
        },
      });
      // Admission enforces a quota only once the quota controller has written its status.
      await pollUntil(
        async () =>
          (await core.readNamespacedResourceQuota({ name: quotaName, namespace })).status?.hard ? true : undefined,
        signal,
      );
      // Quota admission reads ResourceQuotas from an informer too: a quota whose status is written may still be
      // unknown to the API server's admission for a moment. Retry an admitted over-quota pod before calling it so.
      const refused = await pollWithin(
        async () => {
          try {
            await core.createNamespacedPod({
              namespace,
              body: pod('kubeproof-check-over-quota', '200m'),
              dryRun: 'All',
            });
            return undefined;
          } catch (error) {
            evidence.overQuota = { status: statusCode(error), message: errorBody(error).slice(0, 300) };
            if (statusCode(error) === 403 && /quota/i.test(errorBody(error))) return true;
            throw error;
          }
        },
        signal,
        QUOTA_VISIBLE_MS,
        500,
      );
      const overRefused = refused === true;
      await core.createNamespacedPod({ namespace, body: pod('kubeproof-check-under-quota', '50m'), dryRun: 'All' });
      await core.deleteNamespacedResourceQuota({ name: quotaName, namespace });

      await core.createNamespacedLimitRange({
        namespace,
        body: {
          metadata: { name: limitName, labels },
          spec: {
            limits: [
              {
                type: 'Container',
                defaultRequest: { cpu: '10m', memory: '16Mi' },
                _default: { cpu: '20m', memory: '32Mi' },
              },
            ],
          },
        },
      });
      let defaulted: k8s.V1ResourceRequirements | undefined;
      const applied = (r: k8s.V1ResourceRequirements | undefined) =>
        r?.requests?.cpu !== undefined && r.limits?.memory !== undefined;
      try {
        // LimitRanger admission reads LimitRanges from an informer, and caches a live lookup that found none for
        // 30 s: a LimitRange only just created can take that long to apply. Retry until it does, or give up.
        const since = Date.now();
        await pollWithin(
          async () => {
            let admitted: k8s.V1Pod;
            try {
              admitted = await core.createNamespacedPod({
                namespace,
                body: pod('kubeproof-check-defaults'),
                dryRun: 'All',
              });
            } catch (error) {
              // Quota admission's informer can still hold the quota deleted above (this pod is Terminating-scoped
              // too, by its activeDeadlineSeconds) and refuse it for lacking cpu: that refusal is the quota's, not
              // the LimitRange's verdict. Retry; any other error is the check's failure.
              if (statusCode(error) === 403 && errorBody(error).includes(quotaName)) {
                evidence.deletedQuotaStillAdmitting = ((evidence.deletedQuotaStillAdmitting as number) ?? 0) + 1;
                return undefined;
              }
              throw error;
            }
            defaulted = admitted.spec?.containers[0]?.resources;
            return applied(defaulted) ? true : undefined;
          },
          signal,
          LIMIT_RANGE_VISIBLE_MS,
          500,
        );
        evidence.limitRangeWaitedMs = Date.now() - since;
      } finally {
        await core.deleteNamespacedLimitRange({ name: limitName, namespace }).catch(() => undefined);
      }
      evidence.defaulted = defaulted ?? null;
      if (!overRefused) {
        return {
          status: 'fail',
          reason: `a pod over the ResourceQuota was still admitted ${QUOTA_VISIBLE_MS / 1000} s after the quota took effect`,
          evidence,
        };
      }
      if (!applied(defaulted)) {
        return {
          status: 'fail',
          reason: `the LimitRange defaults were not applied to a pod without requests and limits within ${LIMIT_RANGE_VISIBLE_MS / 1000} s`,
          evidence,
        };
      }
      return {
        status: 'pass',
        reason: 'a pod over the ResourceQuota was refused, one under it admitted, and LimitRange defaults applied',
        evidence,
      };
    } finally {
      await Promise.allSettled([
        core.deleteNamespacedResourceQuota({ name: quotaName, namespace }),
        core.deleteNamespacedLimitRange({ name: limitName, namespace }),
      ]);
    }
  },
};
