/**
 * Pod Security Admission: a server-side dry-run of a privileged pod in the run namespace. Refused → pass (with the
 * namespace's enforce level); accepted → warn, saying whether the namespace has no enforce label or admission let
 * it through anyway. Nothing is created.
 */
import type { ClusterCheckContext } from './context';
import { checkLabels, errorBody, pausePodSpec, statusCode } from './context';
import { ClusterCheckId } from './ids';
import type { CheckDefinition } from './model';

export const enforceLabel = 'pod-security.kubernetes.io/enforce';

export const podSecurityCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.PodSecurity,
  title: 'Pod Security Admission',
  description:
    'Dry-runs a privileged pod in the run namespace: it must be refused where pod-security.kubernetes.io/enforce is ' +
    'baseline or restricted; warn when the cluster admits it.',
  timeoutMs: 20_000,
  async run(ctx) {
    const { core } = ctx.clients;
    const namespace = await core.readNamespace({ name: ctx.namespace });
    const level = namespace.metadata?.labels?.[enforceLabel];
    const spec = pausePodSpec();
    const pod = {
      metadata: { name: 'kubeproof-check-privileged', labels: checkLabels(ctx, ClusterCheckId.PodSecurity) },
      spec: {
        ...spec,
        containers: spec.containers.map((c) => ({ ...c, securityContext: { privileged: true } })),
        hostNetwork: true,
      },
    };
    const evidence: Record<string, unknown> = { namespace: ctx.namespace, enforce: level ?? null };
    try {
      await core.createNamespacedPod({ namespace: ctx.namespace, body: pod, dryRun: 'All' });
    } catch (error) {
      const status = statusCode(error);
      const message = errorBody(error);
      evidence.refusal = { status, message: message.slice(0, 400) };
      if (status === 403 && /PodSecurity|violates/i.test(message)) {
        return {
          status: 'pass',
          reason: `a privileged pod was refused by Pod Security admission (enforce=${level ?? 'cluster default'})`,
          evidence,
        };
      }
      throw error;
    }
    if (level === 'privileged') {
      return {
        status: 'warn',
        reason: 'the run namespace enforces "privileged", so a privileged pod was admitted',
        evidence,
      };
    }
    return level === undefined
      ? {
          status: 'warn',
          reason: `the run namespace has no ${enforceLabel} label and the cluster admitted a privileged pod; label namespaces (baseline or restricted) or set a cluster default`,
          evidence,
        }
      : {
          status: 'warn',
          reason: `the namespace enforces "${level}" but a privileged pod was admitted: Pod Security admission is not active`,
          evidence,
        };
  },
};
