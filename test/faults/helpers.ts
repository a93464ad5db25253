/**
 * What the fault-injection suite shares: worker processes it can SIGKILL, waiting for a run to reach a point in
 * its history, and a record of each case's outcome for RELIABILITY.md (test-output/reliability.jsonl).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { outputDir, repoRoot, stack } from '../helpers/env';

/** A `kubeproof worker` process on `taskQueue` serving the local cluster, as a user would run it. */
export function startWorkerProcess(taskQueue: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KUBEPROOF_TASK_QUEUE: taskQueue,
      KUBECONFIG: stack.kubeconfig,
      KUBEPROOF_CLUSTER_NAME: 'local-kwok',
      KUBEPROOF_PROBE_LOOPBACK_ONLY: 'true',
      ...env,
    },
    stdio: 'ignore',
  });
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Polls until the run has a pending activity of `type` that a worker has started; fails after `timeoutMs`. */
export async function untilActivityRunning(handle: WorkflowHandle, type: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const described = await handle.describe();
    const running = (described.raw.pendingActivities ?? []).some(
      (a) => a.activityType?.name === type && a.lastStartedTime,
    );
    if (running) return;
    if (described.status.name !== 'RUNNING')
      throw new Error(`the run closed (${described.status.name}) before ${type} ran`);
    await sleep(50);
  }
  throw new Error(`no ${type} activity running within ${timeoutMs / 1000}s`);
}

/** Polls until the run's history shows a completed activity of `type`. */
export async function untilActivityCompleted(
  handle: WorkflowHandle,
  type: string,
  timeoutMs = 60_000,
  pollMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const history = await handle.fetchHistory();
    const scheduled = new Map<string, string>();
    for (const e of history.events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '');
      const c = e.activityTaskCompletedEventAttributes;
      if (c && scheduled.get(String(c.scheduledEventId)) === type) return;
    }
    await sleep(pollMs);
  }
  throw new Error(`no ${type} activity completed within ${timeoutMs / 1000}s`);
}

export interface ReliabilityRow {
  case: string;
  injected: string;
  outcome: string;
  leftovers: number;
  command: string;
}

/** Appends one case's outcome; scripts/reliability-table.ts turns the file into RELIABILITY.md's table. */
export function recordReliability(row: ReliabilityRow): void {
  fs.mkdirSync(outputDir, { recursive: true });
  fs.appendFileSync(
    path.join(outputDir, 'reliability.jsonl'),
    `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`,
  );
}
