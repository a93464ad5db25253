/**
 * Following a run until it closes: polls the workflow's 'progress' query about once a second and shows it on
 * stderr (stdout stays for the report or JSON), then returns the run's outcome.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { outcomeOf, type Outcome } from '../client/validation';
import type { Progress, StepName } from '../run/contracts';
import { reasonOf } from './exit';
import { err } from './output';
import { progressBlock, progressChanges, retryLines, type Retrying } from './progress-view';

export interface FollowOptions {
  /** Where progress goes; stderr by default. */
  stream?: NodeJS.WriteStream;
  /** First line of the live block. */
  title: string;
  /** Show nothing. */
  quiet?: boolean;
  /** Steps the run skips, marked as such on a terminal. */
  skipped?: readonly StepName[];
  intervalMs?: number;
}

/** The latest progress, or undefined when no worker answers in time (none running, or the run just started). */
export async function queryProgress(handle: WorkflowHandle, timeoutMs = 3000): Promise<Progress | undefined> {
  const query = handle.query<Progress>('progress').catch(() => undefined);
  return Promise.race([query, sleep(timeoutMs, undefined)]);
}

/** Activities past their first attempt, from the run's description; empty when it cannot be had in time. */
export async function retryingActivities(handle: WorkflowHandle, timeoutMs = 3000): Promise<Retrying[]> {
  const described = handle.describe().catch(() => undefined);
  const description = await Promise.race([described, sleep(timeoutMs, undefined)]);
  return (description?.raw.pendingActivities ?? [])
    .filter((a) => (a.attempt ?? 0) > 1)
    .map((a) => ({
      activity: a.activityType?.name ?? 'activity',
      attempt: a.attempt ?? 0,
      lastFailure: a.lastFailure?.message ?? undefined,
    }));
}

class LiveBlock {
  private drawn = 0;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  draw(lines: string[]): void {
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const clipped = lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    this.stream.write(`${this.erase()}${clipped.join('\n')}\n`);
    this.drawn = clipped.length;
  }

  clear(): void {
    this.stream.write(this.erase());
    this.drawn = 0;
  }

  private erase(): string {
    // Cursor to the start of the first drawn line, then clear to the end of the screen.
    return this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : '';
  }
}

export async function followRun(handle: WorkflowHandle, opts: FollowOptions): Promise<Outcome> {
  const stream = opts.stream ?? process.stderr;
  const live = stream.isTTY ? new LiveBlock(stream) : undefined;
  let settled = false;
  const outcome = outcomeOf(handle);
  const closed = outcome.then(
    () => void (settled = true),
    () => void (settled = true),
  );
  let previous: Progress | undefined;
  let retrying: Retrying[] = [];
  const reported = new Set<string>();
  let polls = 0;
  let inflight: Promise<void> | undefined;
  const poll = async () => {
    // Retries are looked up every few seconds: describe is heavier than the query.
    const [progress, retries] = await Promise.all([
      queryProgress(handle),
      polls++ % 5 === 4 ? retryingActivities(handle) : Promise.resolve(retrying),
    ]);
    retrying = retries;
    inflight = undefined;
    if (settled || opts.quiet) return;
    const shown = progress ?? previous;
    if (live) {
      if (shown)
        live.draw([...progressBlock(opts.title, shown, { skipped: opts.skipped ?? [] }), ...retryLines(retrying)]);
    } else {
      const lines = progress ? progressChanges(previous, progress) : [];
      for (const r of retrying) {
        const key = `${r.activity}#${r.attempt}`;
        if (!reported.has(key)) lines.push(...retryLines([r]).map((line) => line.trim()));
        reported.add(key);
      }
      for (const line of lines) stream.write(`${line}\n`);
    }
    previous = shown;
  };
  while (!settled) {
    // One query at a time: without a worker a query waits, and they must not pile up.
    inflight ??= poll();
    await Promise.race([closed, sleep(opts.intervalMs ?? 1000)]);
  }
  live?.clear();
  return outcome;
}

/**
 * Ctrl-C. With an embedded worker the run would stall without it, so the first one cancels the run and keeps the
 * worker until the cleanup is done; otherwise (or the second time) the CLI stops following and the run goes on.
 */
export function onInterrupt(handle: WorkflowHandle, embedded: boolean): () => void {
  let cancelling = false;
  const handler = () => {
    if (embedded && !cancelling) {
      cancelling = true;
      err(`\ncancelling ${handle.workflowId}: cleaning up what it created (Ctrl-C again to quit without waiting)`);
      handle.cancel().catch((error: unknown) => err(`could not cancel: ${reasonOf(error)}`));
      return;
    }
    err(
      `\nstopped following ${handle.workflowId}; ${embedded ? 'another worker must finish its cleanup' : 'it continues on the workers'}. ` +
        `Follow it with \`kubeproof watch ${handle.workflowId}\` or stop it with \`kubeproof cancel ${handle.workflowId}\``,
    );
    process.exit(130);
  };
  process.on('SIGINT', handler);
  return () => void process.off('SIGINT', handler);
}
