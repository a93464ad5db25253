/**
 * Follows one object, by name, with a watch (field selector on `metadata.name`) and wakes waiters on every change,
 * so a rollout is seen finishing, or a namespace disappearing, the moment the API server has it, with one request
 * open instead of a read every 100–250 ms. Under 20 concurrent runs the rolling-restart reads were 36 % of all
 * API-server requests (BENCHMARKS.md). Reading, re-opening and refusals are the Follower's, as for PodTracker.
 */
import type * as k8s from '@kubernetes/client-node';
import { call } from './api-errors';
import type { KubeClients } from './client';
import { Follower, type WaitOptions } from './follower';

/** Where an object of one kind is listed and watched. */
interface WatchSource<T> {
  /** For messages: `Deployment ns/name`. */
  describe: string;
  /** The collection's URL path, as for a watch: `/apis/apps/v1/namespaces/<ns>/deployments`. */
  path: string;
  list: (fieldSelector: string) => Promise<{ items: T[]; metadata?: k8s.V1ListMeta | undefined }>;
}

export class ObjectWatch<T extends k8s.KubernetesObject> extends Follower<T> {
  /** The object as last seen; undefined once it is gone (or before it exists). */
  private latest: T | undefined;

  private constructor(
    clients: KubeClients,
    private readonly source: WatchSource<T>,
    private readonly fieldSelector: string,
  ) {
    super(clients, { describe: source.describe, path: source.path, query: { fieldSelector } });
  }

  private static async start<T extends k8s.KubernetesObject>(
    clients: KubeClients,
    source: WatchSource<T>,
    name: string,
  ): Promise<ObjectWatch<T>> {
    const watch = new ObjectWatch(clients, source, `metadata.name=${name}`);
    await watch.resync();
    return watch;
  }

  static deployment(clients: KubeClients, namespace: string, name: string): Promise<ObjectWatch<k8s.V1Deployment>> {
    return ObjectWatch.start(
      clients,
      {
        describe: `Deployment ${namespace}/${name}`,
        path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
        list: (fieldSelector) => clients.apps.listNamespacedDeployment({ namespace, fieldSelector }),
      },
      name,
    );
  }

  static namespace(clients: KubeClients, name: string): Promise<ObjectWatch<k8s.V1Namespace>> {
    return ObjectWatch.start(
      clients,
      {
        describe: `namespace ${name}`,
        path: '/api/v1/namespaces',
        list: (fieldSelector) => clients.core.listNamespace({ fieldSelector }),
      },
      name,
    );
  }

  /**
   * Resolves true at the first state `check` accepts (undefined: the object does not exist), false when the
   * timeout passes or the watch is stopped. After 2 s without a change (`pollMs`) it reads the object once, in
   * case the watch missed the change.
   */
  async until(check: (object: T | undefined) => boolean, opts: WaitOptions): Promise<boolean> {
    const met = await this.waitUntil(() => (check(this.latest) ? true : undefined), {
      ...opts,
      pollMs: opts.pollMs ?? 2000,
      onQuiet: () => this.read(),
    });
    return met ?? false;
  }

  protected async read(): Promise<string | undefined> {
    const list = await call(`reading ${this.source.describe}`, () => this.source.list(this.fieldSelector));
    this.latest = list.items[0];
    return list.metadata?.resourceVersion;
  }

  protected observeEvent(phase: string, object: T): void {
    this.latest = phase === 'DELETED' ? undefined : object;
  }
}
