/**
 * Runs checks one after another, each bounded by its own timeout and by the caller's abort signal. A check that
 * throws or overruns is reported as `fail` with the reason; the runner itself never throws for a check.
 */
import type { CheckResult } from '../run/checks';
import type { CheckDefinition, CheckOutcome } from './model';

export interface RunChecksOptions {
  signal?: AbortSignal | undefined;
  /** Called before each check (activity heartbeats). */
  onCheck?: ((id: string) => void) | undefined;
  /** Overrides every definition's timeout (tests). */
  timeoutMs?: number | undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 500);

export async function runCheck<Ctx>(
  check: CheckDefinition<Ctx>,
  ctx: Ctx,
  opts: RunChecksOptions = {},
): Promise<CheckResult> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? check.timeoutMs;
  const local = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      local.abort(new Error('check timed out'));
      resolve({ status: 'fail', reason: `did not finish within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
  });
  // One listener on the caller's signal, removed below: a run's thirteen checks share the activity's signal.
  let onParentAbort: (() => void) | undefined;
  const aborted = new Promise<CheckOutcome>((resolve) => {
    onParentAbort = () => {
      local.abort(opts.signal?.reason);
      resolve({ status: 'fail', reason: 'cancelled before it finished' });
    };
    if (opts.signal?.aborted) onParentAbort();
    else opts.signal?.addEventListener('abort', onParentAbort, { once: true });
  });
  let outcome: CheckOutcome;
  try {
    outcome = await Promise.race([
      check
        .run(ctx, local.signal)
        .catch((error: unknown): CheckOutcome => ({ status: 'fail', reason: `error: ${message(error)}` })),
      timeout,
      aborted,
    ]);
  } finally {
    clearTimeout(timer);
    if (onParentAbort) opts.signal?.removeEventListener('abort', onParentAbort);
    if (!local.signal.aborted) local.abort(new Error('check finished'));
  }
  return {
    id: check.id,
    title: check.title,
    status: outcome.status,
    reason: outcome.reason,
    evidence: outcome.evidence ?? {},
    durationMs: Date.now() - started,
    ...(outcome.metrics ? { metrics: outcome.metrics } : {}),
  };
}

/** The checks in order; after an abort, the remaining ones are reported `skipped`. */
export async function runChecks<Ctx>(
  checks: readonly CheckDefinition<Ctx>[],
  ctx: Ctx,
  opts: RunChecksOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (opts.signal?.aborted) {
      results.push({
        id: check.id,
        title: check.title,
        status: 'skipped',
        reason: 'the run was cancelled',
        evidence: {},
        durationMs: 0,
      });
      continue;
    }
    opts.onCheck?.(check.id);
    results.push(await runCheck(check, ctx, opts));
  }
  return results;
}
