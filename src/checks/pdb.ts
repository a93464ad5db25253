/**
 * PodDisruptionBudget enforced: a 2-replica Deployment under a PDB of minAvailable 2: an eviction must be refused
 * with 429; with the budget lowered to 1, an eviction is accepted and the Deployment replaces the pod. Objects are run-labelled in the run namespace and deleted at the end.
 */
import * as k8s from '../k8s/client-node';
import type { ClusterCheckContext } from './context';
import { CheckLabel, checkLabels, errorBody, pausePodSpec, pollUntil, statusCode } from './context';
import { Label } from '../k8s/render';
import { ClusterCheckId } from './ids';
import type { CheckDefinition } from './model';

const name = 'kubeproof-check-pdb';

export const pdbCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.Pdb,
  title: 'PodDisruptionBudget enforced',
  description:
    'Creates a 2-replica Deployment and a PDB in the run namespace: an eviction that breaks the budget must be ' +
    'refused with 429, an allowed one accepted and the pod replaced.',
  timeoutMs: 90_000,
  async run(ctx, signal) {
    const { namespace, clients } = ctx;
    const policy = clients.config.makeApiClient(k8s.PolicyV1Api);
    const labels = checkLabels(ctx, ClusterCheckId.Pdb);
    const selector = { [CheckLabel]: ClusterCheckId.Pdb, [Label.RunId]: labels[Label.RunId] ?? '' };
    try {
      await clients.apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name, labels },
          spec: {
            replicas: 2,
            selector: { matchLabels: selector },
            template: { metadata: { labels }, spec: pausePodSpec() },
          },
        },
      });
      await policy.createNamespacedPodDisruptionBudget({
        namespace,
        body: { metadata: { name, labels }, spec: { minAvailable: 2, selector: { matchLabels: selector } } },
      });
      const labelSelector = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const readyPods = async () => {
        const pods = await clients.core.listNamespacedPod({ namespace, labelSelector });
        return pods.items.filter(
          (p) =>
            !p.metadata?.deletionTimestamp &&
            p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
      };
      await pollUntil(async () => ((await readyPods()).length >= 2 ? true : undefined), signal);
      const [first, second] = await readyPods();
      const evict = async (pod: k8s.V1Pod | undefined) => {
        try {
          await clients.core.createNamespacedPodEviction({
            name: pod?.metadata?.name ?? '',
            namespace,
            body: {
              apiVersion: 'policy/v1',
              kind: 'Eviction',
              metadata: { name: pod?.metadata?.name ?? '', namespace },
            },
          });
          return { status: 201, message: 'accepted' };
        } catch (error) {
          return { status: statusCode(error) ?? 0, message: errorBody(error) };
        }
      };
      // minAvailable 2 of 2: any eviction breaks the budget. (Refused first: on a fast cluster the replacement of an
      // evicted pod can be Ready before a second eviction arrives, which would give the budget back.)
      const refused = await evict(second);
      await policy.patchNamespacedPodDisruptionBudget(
        { name, namespace, body: { spec: { minAvailable: 1 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await pollUntil(async () => {
        const pdb = await policy.readNamespacedPodDisruptionBudget({ name, namespace });
        return (pdb.status?.disruptionsAllowed ?? 0) >= 1 ? true : undefined;
      }, signal);
      const allowed = await evict(first);
      const evidence: Record<string, unknown> = { allowedEviction: allowed, violatingEviction: refused };
      if (allowed.status !== 201)
        return {
          status: 'fail',
          reason: `an eviction the budget allows was refused (${allowed.status}: ${allowed.message})`,
          evidence,
        };
      if (refused.status !== 429) {
        return {
          status: 'fail',
          reason: `an eviction that breaks the budget was not refused with 429 (got ${refused.status}: ${refused.message})`,
          evidence,
        };
      }
      const replaced = await pollUntil(async () => {
        const pods = await readyPods();
        return pods.length >= 2 && pods.every((p) => p.metadata?.uid !== first?.metadata?.uid)
          ? pods.length
          : undefined;
      }, signal);
      evidence.readyAfterReplacement = replaced;
      return {
        status: 'pass',
        reason: 'the violating eviction was refused with 429; the allowed one was accepted and the pod replaced',
        evidence,
      };
    } finally {
      await Promise.allSettled([
        policy.deleteNamespacedPodDisruptionBudget({ name, namespace }),
        clients.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }),
      ]);
    }
  },
};
