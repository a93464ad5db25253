/**
 * What PodTracker and ObjectWatch share: read the current state, watch from that read's resourceVersion, read
 * again and re-open after the server closes the watch, and wake waiters on every change. A watch the server
 * refuses (401, 403) is kept as the error every later wait throws: reading again in its place would quietly turn
 * the watch into a poll.
 */
import type * as k8s from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeproofError } from '../errors';
import { watchRefusal } from './api-errors';
import type { KubeClients } from './client';

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  onTick?: (() => void) | undefined;
  /** Re-check at least this often when nothing changes. */
  pollMs?: number;
}

export abstract class Follower<T extends k8s.KubernetesObject> {
  private readonly listeners = new Set<() => void>();
  private abort: AbortController | undefined;
  private stopped = false;
  private refused: KubeproofError | undefined;

  protected constructor(
    protected readonly clients: KubeClients,
    private readonly watched: { describe: string; path: string; query: Record<string, string> },
  ) {}

  /** Reads the current state; resolves with the resourceVersion to watch from. */
  protected abstract read(): Promise<string | undefined>;

  /** One ADDED, MODIFIED or DELETED event. */
  protected abstract observeEvent(phase: string, object: T): void;

  /** Called each time a watch is open: changes from now on are seen live. */
  protected onWatching(): void {}

  /** Closes the watch; a waiting `until` ends as if its timeout had passed. */
  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.notify();
    this.listeners.clear();
  }

  /**
   * Resolves with the first value `check` returns other than undefined, or undefined when the timeout passes or
   * the follower is stopped. Re-checks on every change and at least every `pollMs`; after a quiet `pollMs`,
   * `onQuiet` (if given) runs first, for a watch that missed a change.
   */
  protected async waitUntil<R>(
    check: () => R | undefined | Promise<R | undefined>,
    opts: WaitOptions & { pollMs: number; onQuiet?: () => Promise<unknown> },
  ): Promise<R | undefined> {
    const deadline = Date.now() + opts.timeoutMs;
    while (Date.now() < deadline && !this.stopped) {
      opts.signal?.throwIfAborted();
      if (this.refused) throw this.refused;
      const result = await check();
      if (result !== undefined) return result;
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
        const timer = setTimeout(() => wake(false), Math.min(opts.pollMs, Math.max(0, deadline - Date.now())));
        this.listeners.add(onChange);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (!woken && opts.onQuiet && !this.stopped && Date.now() < deadline && !opts.signal?.aborted) {
        await opts.onQuiet();
      }
    }
    return undefined;
  }

  protected async resync(): Promise<void> {
    const resourceVersion = await this.read();
    this.notify();
    if (this.stopped) return;
    this.abort = await this.clients.watch.watch(
      this.watched.path,
      { ...this.watched.query, resourceVersion, allowWatchBookmarks: true },
      (phase, object: T) => {
        // An ERROR event carries a Status, not an object; the close that follows it reads again.
        if (phase === 'BOOKMARK' || phase === 'ERROR') return;
        this.observeEvent(phase, object);
        this.notify();
      },
      (error: unknown) => {
        this.refused = watchRefusal(error, `watching ${this.watched.describe}`);
        if (this.refused) {
          this.notify();
          return;
        }
        // The server closed the watch (timeout, expired resourceVersion) or the connection broke: read again.
        this.retryAfter(200);
      },
    );
    // stop() may have run while the watch was being opened: close it rather than leak it.
    if (this.stopped) this.abort.abort();
    this.onWatching();
  }

  private retryAfter(ms: number): void {
    if (!this.stopped)
      void sleep(ms).then(() => (this.stopped ? undefined : this.resync().catch(() => this.retryAfter(1000))));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
