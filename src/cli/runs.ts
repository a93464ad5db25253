/**
 * What the CLI shows about a closed run: its record (src/client/validation.ts reads it, whatever the ending),
 * its cleanup, and the exit code that goes with it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { Outcome } from '../client/validation';
import type { ValidationResult } from '../run/contracts';
import { ExitCode } from './exit';
import { humanDuration, plural } from './format';
import { renderReport } from './report';

export function outcomeExitCode(outcome: Outcome): ExitCode {
  return outcome.ok && outcome.result.verdict !== 'fail' ? ExitCode.Ok : ExitCode.Failed;
}

export function describeCleanup(result: ValidationResult): string {
  const cleanup = result.cleanup;
  if (result.cleanupProblem) return `cleanup NOT confirmed: ${result.cleanupProblem}`;
  if (!cleanup) return 'nothing to clean up (the run had not created anything)';
  const left =
    cleanup.left.length === 0
      ? 'nothing left'
      : `${plural(cleanup.left.length, 'object')} LEFT: ${cleanup.left.join(', ')}`;
  return `cleanup deleted ${plural(cleanup.deleted.length, 'object')} in ${humanDuration(cleanup.durationMs)}, ${left}`;
}

/** The report of a closed run for stdout: its result as text or JSON, or what is known of a run without one. */
export function renderOutcome(
  handle: WorkflowHandle,
  outcome: Outcome,
  opts: { json: boolean; link?: string | undefined },
): string {
  if (outcome.result) {
    return renderReport(opts.json ? 'json' : 'text', outcome.result, opts.link ? { link: opts.link } : {});
  }
  // Terminated or timed out on the server: no workflow code ran after that, so there is no record and no cleanup.
  const failure = outcome.ok ? undefined : outcome;
  if (opts.json) {
    const error = failure ? { type: failure.type, message: failure.message } : undefined;
    return JSON.stringify({ workflowId: handle.workflowId, error, result: null }, null, 2) + '\n';
  }
  const lines = [
    `run ${handle.workflowId} did not finish: ${failure?.message ?? 'no result'}${failure ? ` (${failure.type})` : ''}`,
    'no cleanup ran; `kubeproof janitor` removes what the run left in the cluster',
    ...(opts.link ? [`Web UI: ${opts.link}`] : []),
  ];
  return lines.join('\n') + '\n';
}
