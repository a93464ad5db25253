/**
 * Connecting to a cluster. Configuration, credentials (certificates, tokens, exec plugins) and the typed APIs
 * come from @kubernetes/client-node; the one thing added here is connection reuse.
 */
import https from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { ErrorType, KubeproofError } from '../errors';

export interface ClusterRef {
  /** Path to a kubeconfig file; default: $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string | undefined;
  /** Context inside it; default: its current-context. */
  context?: string | undefined;
}

export interface KubeClients {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  discovery: k8s.DiscoveryV1Api;
  objects: k8s.KubernetesObjectApi;
  watch: k8s.Watch;
  server: string;
}

/**
 * client-node 1.4 builds a fresh https.Agent for every request, so every call pays a TLS handshake. Requests of
 * one KubeConfig share one cluster and one user, hence one set of TLS options: a single keep-alive agent serves
 * them all. The method is private in the typings, so it is replaced on the instance, not overridden by subclassing.
 */
function reuseConnections(config: k8s.KubeConfig): void {
  let shared: https.Agent | undefined;
  const original = (config as unknown as { createAgent: (c: unknown, o: https.AgentOptions) => unknown }).createAgent;
  Object.defineProperty(config, 'createAgent', {
    value: (cluster: k8s.Cluster | null, options: https.AgentOptions) => {
      if (cluster?.proxyUrl || cluster?.server.startsWith('http:')) return original.call(config, cluster, options);
      // No maxSockets: long-lived watches hold sockets too, and a cap would queue applies behind them.
      shared ??= new https.Agent({ ...options, keepAlive: true, maxFreeSockets: 16 });
      return shared;
    },
  });
}

const cache = new Map<string, KubeClients>();

export function connect(ref: ClusterRef = {}): KubeClients {
  const key = `${ref.kubeconfig ?? ''}\u0000${ref.context ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const config = new k8s.KubeConfig();
  try {
    if (ref.kubeconfig) config.loadFromFile(ref.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new KubeproofError(
      ErrorType.Forbidden,
      `cannot read kubeconfig ${ref.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${(error as Error).message}. ` +
        'Pass --kubeconfig or set KUBECONFIG to a readable file.',
    );
  }
  if (ref.context) {
    if (!config.getContextObject(ref.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new KubeproofError(
        ErrorType.Forbidden,
        `kubeconfig has no context "${ref.context}" (known: ${known.join(', ') || 'none'}). Pass an existing --context.`,
      );
    }
    config.setCurrentContext(ref.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeproofError(ErrorType.Forbidden, 'kubeconfig has no current cluster: set a context.');
  reuseConnections(config);
  const clients: KubeClients = {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    apps: config.makeApiClient(k8s.AppsV1Api),
    discovery: config.makeApiClient(k8s.DiscoveryV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(config),
    watch: new k8s.Watch(config),
    server: cluster.server,
  };
  cache.set(key, clients);
  return clients;
}
