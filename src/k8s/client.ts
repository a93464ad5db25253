/**
 * Connecting to a cluster. Credentials (certificates, tokens, exec plugins) and the typed APIs come from
 * @kubernetes/client-node; added here: kubectl's merge of a KUBECONFIG list, one clear ClusterConfig error per
 * configuration problem, and connection reuse.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import * as k8s from './client-node';
import { ErrorType, KubeproofError } from '../errors';

export interface ClusterRef {
  /**
   * Kubeconfig files, merged as kubectl merges $KUBECONFIG: a list, or one string of paths separated by the path
   * delimiter (`a:b`). Relative paths are taken from the working directory. Default: $KUBECONFIG, then
   * ~/.kube/config. A worker's cluster registry (src/config/clusters.ts) always passes absolute paths.
   */
  kubeconfig?: string | readonly string[] | undefined;
  /** Context inside them; default: the first current-context the files set. */
  context?: string | undefined;
  /** The pod's service-account credentials (KubeConfig.loadFromCluster); kubeconfig and context are not used. */
  inCluster?: boolean | undefined;
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
 * At most this many API requests of one cluster are in flight at once; the rest wait for a free connection. 20 runs
 * starting together ask for ~800 access reviews at once: uncapped, each opened a TLS connection of its own (646 open
 * at the peak, 921 handshakes for 4 200 requests) and all but a few were closed again when they ended.
 */
export const MAX_REQUEST_SOCKETS = 32;

/**
 * One cluster's keep-alive connections. client-node 1.4 builds a fresh https.Agent for every request, so every call
 * would pay a TLS handshake; the requests of one KubeConfig share one cluster and one user, hence one set of TLS
 * options, so a single agent serves them all. Node names a connection pool after every TLS option, ca, cert and key
 * included: it turns those buffers into one long string on every request and again on every free socket. Here the
 * options are the agent's own (they override a request's), so the name depends on the address alone and is kept.
 */
export class ClusterAgent extends https.Agent {
  readonly #names = new Map<string, string>();

  override getName(options: https.RequestOptions = {}): string {
    const key = `${options.host}:${options.port}:${options.localAddress}:${options.family}:${options.servername}`;
    let name = this.#names.get(key);
    if (name === undefined) {
      name = super.getName(options);
      this.#names.set(key, name);
    }
    return name;
  }
}

type CreateAgent = (cluster: k8s.Cluster | null, options: https.AgentOptions) => unknown;

/**
 * Makes `config` hand out one keep-alive agent instead of a new one per request. The method is private in the
 * typings, so it is replaced on the instance, not overridden by subclassing.
 */
function reuseConnections(config: k8s.KubeConfig, limits: Pick<https.AgentOptions, 'maxSockets'>): void {
  let shared: https.Agent | undefined;
  const original = (config as unknown as { createAgent: CreateAgent }).createAgent;
  Object.defineProperty(config, 'createAgent', {
    value: (cluster: k8s.Cluster | null, options: https.AgentOptions) => {
      if (cluster?.proxyUrl || cluster?.server.startsWith('http:')) return original.call(config, cluster, options);
      shared ??= new ClusterAgent({ ...options, keepAlive: true, maxFreeSockets: limits.maxSockets ?? 16, ...limits });
      return shared;
    },
  });
}

/** A second KubeConfig of the same clusters, users and contexts, for connections of its own. */
function copyOf(config: k8s.KubeConfig): k8s.KubeConfig {
  const copy = new k8s.KubeConfig();
  copy.loadFromOptions({
    clusters: config.clusters,
    users: config.users,
    contexts: config.contexts,
    currentContext: config.currentContext,
  });
  return copy;
}

const clusterConfigError = (message: string, details: Record<string, unknown> = {}) =>
  new KubeproofError(ErrorType.ClusterConfig, message, details);

/** The files a ref names, in order, absolute; blanks dropped as kubectl drops them. */
export function kubeconfigFiles(ref: ClusterRef): string[] {
  const given = ref.kubeconfig ?? process.env.KUBECONFIG ?? '';
  const list = typeof given === 'string' ? given.split(path.delimiter) : [...given];
  const files = list.filter((f) => f.trim() !== '').map((f) => path.resolve(f));
  return files.length > 0 ? files : [path.join(os.homedir(), '.kube', 'config')];
}

/**
 * Why a file could not be loaded, without a word of its content: parser messages quote the offending lines, and
 * a kubeconfig holds tokens and keys. The message ends up in workflow history.
 */
function loadProblem(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; mark?: { line?: unknown }; message?: unknown };
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EISDIR') return 'it is a directory, not a file';
  if (typeof e.code === 'string') return `cannot be read (${e.code})`;
  if (e.name === 'YAMLException') {
    const line = typeof e.mark?.line === 'number' ? ` at line ${e.mark.line + 1}` : '';
    return `it is not valid YAML${line}`;
  }
  // client-node's own checks name the field and say nothing of its value, e.g. "clusters[0].cluster.server is missing".
  if (typeof e.message === 'string' && /^(clusters|users|contexts)\[\d+\][\w.]* is missing$/.test(e.message)) {
    return e.message;
  }
  return 'it is not a kubeconfig (expected clusters, users and contexts)';
}

/** One file, or undefined when it does not exist (kubectl skips missing files of a KUBECONFIG list). */
function loadFile(file: string): k8s.KubeConfig | undefined {
  const config = new k8s.KubeConfig();
  try {
    // Relative certificate and token paths inside the file are taken from the file's own directory.
    config.loadFromFile(file);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw clusterConfigError(
      `cannot load kubeconfig ${file}: ${loadProblem(error)}. Fix the file or point to another`,
      {
        file,
      },
    );
  }
  return config;
}

/**
 * kubectl's merge of several kubeconfig files: for clusters, users and contexts the first file that defines a
 * name wins, and the current-context is the first one set. (client-node's `mergeConfig` throws on duplicate names
 * and lets the last current-context win, so it cannot be used for this.)
 */
export function mergeKubeConfigs(configs: readonly k8s.KubeConfig[]): k8s.KubeConfig {
  const firstByName = <T extends { name: string }>(lists: readonly (readonly T[])[]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  const merged = new k8s.KubeConfig();
  merged.loadFromOptions({
    clusters: firstByName(configs.map((c) => c.clusters)),
    users: firstByName(configs.map((c) => c.users)),
    contexts: firstByName(configs.map((c) => c.contexts)),
    currentContext: configs.map((c) => c.currentContext).find((name) => Boolean(name)) ?? '',
  });
  return merged;
}

/** client-node takes the API address from KUBERNETES_SERVICE_HOST/PORT, which Kubernetes sets in every pod. */
function loadInCluster(pathPrefix: string): k8s.KubeConfig {
  const env = process.env;
  const token = `${pathPrefix}/var/run/secrets/kubernetes.io/serviceaccount/token`;
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT || !fs.existsSync(token)) {
    throw clusterConfigError(
      'in-cluster credentials need KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and a service-account token at ' +
        `${token}: this worker is not running in a pod with a mounted service account. Give the cluster a kubeconfig instead`,
    );
  }
  const config = new k8s.KubeConfig();
  config.loadFromCluster(pathPrefix);
  return config;
}

/**
 * Loads a cluster's configuration with its context selected. Every problem is a ClusterConfig error saying which
 * file or context is wrong and what to do; nothing here is a permission problem of the cluster.
 */
export function loadKubeConfig(ref: ClusterRef, opts: { inClusterPathPrefix?: string } = {}): k8s.KubeConfig {
  if (ref.inCluster) return loadInCluster(opts.inClusterPathPrefix ?? '');
  const files = kubeconfigFiles(ref);
  const loaded = files.map(loadFile);
  const present = loaded.filter((c): c is k8s.KubeConfig => c !== undefined);
  const where = files.length === 1 ? `kubeconfig ${files[0]}` : `kubeconfig files ${files.join(', ')}`;
  if (present.length === 0) {
    throw clusterConfigError(
      `${where} ${files.length === 1 ? 'does' : 'do'} not exist. Set KUBECONFIG (or --kubeconfig) to your cluster's kubeconfig`,
      { files },
    );
  }
  const config = mergeKubeConfigs(present);
  if (ref.context) {
    if (!config.getContextObject(ref.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw clusterConfigError(
        `${where} has no context "${ref.context}" (it has: ${known.join(', ') || 'none'}). Name one of those as the context`,
        { files, context: ref.context, known },
      );
    }
    config.setCurrentContext(ref.context);
  }
  const context = config.getContextObject(config.getCurrentContext());
  if (!context) {
    throw clusterConfigError(
      `${where} sets no current-context${config.currentContext ? ` that exists ("${config.currentContext}")` : ''}. ` +
        'Name a context (--context, KUBEPROOF_CONTEXT or the clusters file)',
      { files },
    );
  }
  if (!config.getCluster(context.cluster)) {
    throw clusterConfigError(
      `context "${context.name}" in ${where} names cluster "${context.cluster}", which none of the files defines`,
      { files, context: context.name },
    );
  }
  return config;
}

const cache = new Map<string, KubeClients>();

export function connect(ref: ClusterRef = {}): KubeClients {
  const key = JSON.stringify(ref.inCluster ? ['in-cluster'] : [kubeconfigFiles(ref), ref.context ?? '']);
  const hit = cache.get(key);
  if (hit) return hit;
  const config = loadKubeConfig(ref);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw clusterConfigError('kubeconfig has no current cluster: name a context.');
  // Requests share a bounded pool. A watch holds its connection for as long as it lasts, so watches get an unbounded
  // pool of their own: in the requests' pool enough of them would leave no connection for the calls they wait on.
  reuseConnections(config, { maxSockets: MAX_REQUEST_SOCKETS });
  const watchConfig = copyOf(config);
  reuseConnections(watchConfig, {});
  const clients: KubeClients = {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    apps: config.makeApiClient(k8s.AppsV1Api),
    discovery: config.makeApiClient(k8s.DiscoveryV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(config),
    watch: new k8s.Watch(watchConfig),
    server: cluster.server,
  };
  cache.set(key, clients);
  return clients;
}
