/**
 * Follows one object, by name, with a watch (field selector on `metadata.name`) and wakes waiters on every change,
 * so a rollout is seen finishing, or a namespace disappearing, the moment the API server has it, with one request
 * open instead of a read every 100–250 ms. Under 20 concurrent runs the rolling-restart reads were 36 % of all
 * API-server requests (BENCHMARKS.md). The watch is re-opened after the server closes it, from a fresh read, like
 * PodTracker's.
 */
import type * as k8s from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeproofError } from '../errors';
import { call, watchRefusal } from './api-errors';
import type { KubeClients } from './client';

/** Where an object of one kind is listed and watched. */
interface WatchSource<T> {
  /** For messages: `Deployment ns/name`. */
  describe: string;
  /** The collection's URL path, as for a watch: `/apis/apps/v1/namespaces/<ns>/deployments`. */
  path: string;
  list: (fieldSelector: string) => Promise<{ items: T[]; metadata?: k8s.V1ListMeta | undefined }>;
}

export class ObjectWatch<T extends k8s.KubernetesObject> {
  /** The object as last seen; undefined once it is gone (or before it exists). */
  private latest: T | undefined;
  private readonly listeners = new Set<() => void>();
  private abort: AbortController | undefined;
  private stopped = false;
  /** Set when the API server refuses the watch itself: waiting on would silently turn it into a poll. */
  private refused: KubeproofError | undefined;

  private constructor(
    private readonly clients: KubeClients,
    private readonly source: WatchSource<T>,
    private readonly name: string,
  ) {}

  private static async start<T extends k8s.KubernetesObject>(
    clients: KubeClients,
    source: WatchSource<T>,
    name: string,
  ): Promise<ObjectWatch<T>> {
    const watch = new ObjectWatch(clients, source, name);
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

  /** Closes the watch; a waiting `until` returns false. */
  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.notify();
    this.listeners.clear();
  }

  /**
   * Resolves true at the first state `check` accepts (undefined: the object does not exist), false when the
   * timeout passes or the watch is stopped. Re-checks on every change the watch delivers and at least every `pollMs`, for a watch that
   * went quiet.
   */
  async until(
    check: (object: T | undefined) => boolean,
    opts: { timeoutMs: number; signal?: AbortSignal | undefined; onTick?: (() => void) | undefined; pollMs?: number },
  ): Promise<boolean> {
    const deadline = Date.now() + opts.timeoutMs;
    const pollMs = opts.pollMs ?? 2000;
    while (Date.now() < deadline && !this.stopped) {
      opts.signal?.throwIfAborted();
      if (this.refused) throw this.refused;
      if (check(this.latest)) return true;
      opts.onTick?.();
      const woken = await new Promise<boolean>((resolve) => {
        const wake = (byChange: boolean) => {
          clearTimeout(timer);
          this.listeners.delete(onChange);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(byChange);
        };
        const onChange = () => wake(true);
        const onAbort = () => wake(false);
        const timer = setTimeout(() => wake(false), Math.min(pollMs, Math.max(0, deadline - Date.now())));
        this.listeners.add(onChange);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
      });
      // Nothing arrived for pollMs: read it once, in case the watch missed the change.
      if (!woken && !this.stopped && Date.now() < deadline && !opts.signal?.aborted) await this.read();
    }
    return false;
  }

  private async read(): Promise<string | undefined> {
    const list = await call(`reading ${this.source.describe}`, () => this.source.list(`metadata.name=${this.name}`));
    this.latest = list.items[0];
    return list.metadata?.resourceVersion;
  }

  private async resync(): Promise<void> {
    const resourceVersion = await this.read();
    this.notify();
    if (this.stopped) return;
    this.abort = await this.clients.watch.watch(
      this.source.path,
      { fieldSelector: `metadata.name=${this.name}`, resourceVersion, allowWatchBookmarks: true },
      (phase, obj: T) => {
        // An ERROR event carries a Status, not the object; the close that follows it re-reads.
        if (phase === 'BOOKMARK' || phase === 'ERROR') return;
        this.latest = phase === 'DELETED' ? undefined : obj;
        this.notify();
      },
      (error: unknown) => {
        this.refused = watchRefusal(error, `watching ${this.source.describe}`);
        if (this.refused) {
          this.notify();
          return;
        }
        // The server closed the watch (timeout, expired resourceVersion) or the connection broke: read again.
        if (!this.stopped)
          void sleep(200).then(() => (this.stopped ? undefined : this.resync().catch(() => this.retryLater())));
      },
    );
    // stop() may have run while the watch was being opened: close it rather than leak it.
    if (this.stopped) this.abort.abort();
  }

  private retryLater(): void {
    if (!this.stopped)
      void sleep(1000).then(() => (this.stopped ? undefined : this.resync().catch(() => this.retryLater())));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
