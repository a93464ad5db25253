/**
 * What the CLI shows about a run, wherever it stands: the outcome of a closed run (result, or partial result of
 * a failed one), the cleanup of a cancelled one (read from its history), and the exit code that goes with it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Outcome } from '../client/validation';
import type { CleanupResult } from '../k8s/cleanup';
import { ExitCode } from './exit';
import { humanDuration, plural } from './format';
import { renderReport } from './report';

export function outcomeExitCode(outcome: Outcome): ExitCode {
  return outcome.ok && outcome.result.verdict !== 'fail' ? ExitCode.Ok : ExitCode.Failed;
}

/**
 * The result of the run's cleanupRun activity, from its history. A cancelled run ends with the cancellation
 * rather than a result, so this is where its cleanup report lives.
 */
export async function cleanupFromHistory(handle: WorkflowHandle): Promise<CleanupResult | undefined> {
  const history = await handle.fetchHistory();
  const cleanupScheduled = new Set<string>();
  let cleanup: CleanupResult | undefined;
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'cleanupRun') cleanupScheduled.add(String(event.eventId));
    const completed = event.activityTaskCompletedEventAttributes;
    const payload = completed?.result?.payloads?.[0];
    if (completed && payload && cleanupScheduled.has(String(completed.scheduledEventId))) {
      cleanup = defaultPayloadConverter.fromPayload<CleanupResult>(payload);
    }
  }
  return cleanup;
}

export function describeCleanup(cleanup: CleanupResult | undefined): string {
  if (!cleanup) return 'no cleanup recorded (the run had not created anything yet, or its cleanup has not finished)';
  const left =
    cleanup.left.length === 0
      ? 'nothing left'
      : `${plural(cleanup.left.length, 'object')} LEFT: ${cleanup.left.join(', ')}`;
  return `cleanup deleted ${plural(cleanup.deleted.length, 'object')} in ${humanDuration(cleanup.durationMs)}, ${left}`;
}

/** The report of a closed run for stdout: its result as text or JSON, or what is known of a run without one. */
export async function renderOutcome(
  handle: WorkflowHandle,
  outcome: Outcome,
  opts: { json: boolean; link?: string | undefined },
): Promise<string> {
  if (outcome.result) {
    return renderReport(opts.json ? 'json' : 'text', outcome.result, opts.link ? { link: opts.link } : {});
  }
  // Cancelled, terminated or timed out: no result travels with the failure; the cleanup is in the history.
  const failure = outcome.ok ? undefined : outcome;
  const cleanup = await cleanupFromHistory(handle).catch(() => undefined);
  if (opts.json) {
    const error = failure ? { type: failure.type, message: failure.message } : undefined;
    return JSON.stringify({ workflowId: handle.workflowId, error, cleanup: cleanup ?? null }, null, 2) + '\n';
  }
  const lines = [
    `run ${handle.workflowId} did not finish: ${failure?.message ?? 'no result'}${failure ? ` (${failure.type})` : ''}`,
    describeCleanup(cleanup),
    ...(opts.link ? [`Web UI: ${opts.link}`] : []),
  ];
  return lines.join('\n') + '\n';
}
