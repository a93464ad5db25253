/** Assertions about what a run left in the real cluster. */
import * as k8s from '@kubernetes/client-node';
import { runSelector } from '../../src/k8s/render';
import { runKeyOf } from '../../src/run/identity';
import { stack } from './env';

interface TestClients {
  admission: k8s.AdmissionregistrationV1Api;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  policy: k8s.PolicyV1Api;
}
let clients: TestClients | undefined;
export function kube(): TestClients {
  if (!clients) {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    clients = {
      admission: kc.makeApiClient(k8s.AdmissionregistrationV1Api),
      core: kc.makeApiClient(k8s.CoreV1Api),
      apps: kc.makeApiClient(k8s.AppsV1Api),
      policy: kc.makeApiClient(k8s.PolicyV1Api),
    };
  }
  return clients;
}

/**
 * Every object carrying the run's label (its key, derived from the workflow id), anywhere in the cluster, plus the
 * run namespace by its name.
 */
export async function leftovers(workflowId: string): Promise<string[]> {
  const labelSelector = runSelector(runKeyOf(workflowId));
  const { core, apps, policy } = kube();
  const [ns, deployments, services, pods, configMaps, daemonSets, quotas, limitRanges, pdbs] = await Promise.all([
    core.listNamespace({ labelSelector }),
    apps.listDeploymentForAllNamespaces({ labelSelector }),
    core.listServiceForAllNamespaces({ labelSelector }),
    core.listPodForAllNamespaces({ labelSelector }),
    core.listConfigMapForAllNamespaces({ labelSelector }),
    apps.listDaemonSetForAllNamespaces({ labelSelector }),
    core.listResourceQuotaForAllNamespaces({ labelSelector }),
    core.listLimitRangeForAllNamespaces({ labelSelector }),
    policy.listPodDisruptionBudgetForAllNamespaces({ labelSelector }),
  ]);
  return [
    ...daemonSets.items.map((o) => `DaemonSet/${o.metadata?.name}`),
    ...quotas.items.map((o) => `ResourceQuota/${o.metadata?.name}`),
    ...limitRanges.items.map((o) => `LimitRange/${o.metadata?.name}`),
    ...pdbs.items.map((o) => `PodDisruptionBudget/${o.metadata?.name}`),
    ...ns.items.map((o) => `Namespace/${o.metadata?.name}`),
    ...deployments.items.map((o) => `Deployment/${o.metadata?.name}`),
    ...services.items.map((o) => `Service/${o.metadata?.name}`),
    ...pods.items.map((o) => `Pod/${o.metadata?.name}`),
    ...configMaps.items.map((o) => `ConfigMap/${o.metadata?.name}`),
  ];
}
