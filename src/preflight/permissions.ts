/**
 * Every API permission a run uses, derived from src/k8s (deploy: server-side apply = create + patch; health,
 * cleanup, the pod tracker) and from the cluster readiness checks (src/checks). Checked with one
 * SelfSubjectAccessReview each, so every missing one is reported at once.
 */
import * as k8s from '../k8s/client-node';
import type { KubeClients } from '../k8s/client';
import type { PreflightProblem } from './model';

export interface Permission {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Cluster-scoped resource, or a namespaced one checked across all namespaces. */
  clusterWide?: boolean;
  /** Why the run needs it. */
  why: string;
}

const ns = (verb: string, group: string, resource: string, why: string, subresource?: string): Permission => ({
  verb,
  group,
  resource,
  why,
  ...(subresource ? { subresource } : {}),
});
const cluster = (verb: string, group: string, resource: string, why: string): Permission => ({
  verb,
  group,
  resource,
  why,
  clusterWide: true,
});

export const runPermissions: readonly Permission[] = [
  cluster('create', '', 'namespaces', 'the run namespace'),
  cluster('get', '', 'namespaces', 'the run namespace'),
  cluster('list', '', 'namespaces', 'cleanup finds run namespaces by label'),
  cluster('watch', '', 'namespaces', 'cleanup follows the run namespace until it is gone'),
  cluster('patch', '', 'namespaces', 'server-side apply of the run namespace'),
  cluster('delete', '', 'namespaces', 'cleanup'),
  cluster('list', '', 'nodes', 'preflight capacity and the nodes check'),
  cluster('list', '', 'pods', 'preflight: what is already requested on each node'),
  ...['create', 'patch', 'get', 'list'].map((verb) => ns(verb, 'apps', 'deployments', 'the scenario services')),
  ns('watch', 'apps', 'deployments', 'the rolling-restart baseline follows the Deployment'),
  ...['create', 'patch', 'get', 'list'].map((verb) => ns(verb, '', 'services', 'the scenario services')),
  ...['create', 'patch', 'list', 'delete'].map((verb) => ns(verb, '', 'configmaps', 'service environment, API probes')),
  ...['list', 'watch', 'get'].map((verb) => ns(verb, '', 'pods', 'pod timelines and health')),
  ns('create', '', 'pods', 'dry-run pods of the Pod Security and quota checks'),
  ns('list', '', 'events', 'warning events'),
  ns('list', 'discovery.k8s.io', 'endpointslices', 'service endpoints'),
  ns('create', '', 'pods', 'the disruption budget check', 'eviction'),
  ...['create', 'get', 'delete'].map((verb) =>
    ns(verb, 'policy', 'poddisruptionbudgets', 'the disruption budget check'),
  ),
  ...['create', 'get', 'delete'].map((verb) => ns(verb, 'apps', 'daemonsets', 'the DaemonSet check')),
  ...['create', 'get', 'delete'].map((verb) => ns(verb, '', 'resourcequotas', 'the quota check')),
  ...['create', 'delete'].map((verb) => ns(verb, '', 'limitranges', 'the LimitRange check')),
  cluster('list', 'storage.k8s.io', 'storageclasses', 'the storage add-on check'),
  cluster('list', 'networking.k8s.io', 'ingressclasses', 'the ingress add-on check'),
];

export const describePermission = (p: Permission): string =>
  `${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}${p.subresource ? `/${p.subresource}` : ''}`;

/** The permissions the kubeconfig's user lacks, one problem each; the namespace is the run namespace to be. */
export async function missingPermissions(
  clients: KubeClients,
  namespace: string,
  permissions: readonly Permission[] = runPermissions,
): Promise<PreflightProblem[]> {
  const authz = clients.config.makeApiClient(k8s.AuthorizationV1Api);
  const answers = await Promise.all(
    permissions.map(async (permission) => {
      const review = await authz.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              verb: permission.verb,
              group: permission.group,
              resource: permission.resource,
              ...(permission.subresource ? { subresource: permission.subresource } : {}),
              ...(permission.clusterWide ? {} : { namespace }),
            },
          },
        },
      });
      return { permission, allowed: review.status?.allowed === true, reason: review.status?.reason };
    }),
  );
  const denied = answers.filter((answer) => !answer.allowed);
  return denied.map(({ permission, reason }) => ({
    what: `permission: ${describePermission(permission)}`,
    detail: `the kubeconfig's user may not ${describePermission(permission)}${permission.clusterWide ? ' (cluster-wide)' : ` in namespace ${namespace}`}, needed for ${permission.why}${reason ? ` (${reason})` : ''}`,
    remedy: 'grant it to that user with a Role or ClusterRole and a binding, or use a kubeconfig whose user has it',
  }));
}
