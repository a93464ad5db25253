/**
 * Retry, timeout and cancellation profiles for activities. Transient API failures (5xx, 429, timeouts, resets)
 * retry with exponential backoff; the failure types in `nonRetryableErrorTypes` fail at once, because retrying an
 * invalid manifest or a 403 only repeats the same answer.
 *
 * Every activity that creates or deletes cluster objects waits for its cancellation to complete
 * (`WAIT_CANCELLATION_COMPLETED`) and heartbeats: compensation must start only after those activities have
 * really stopped, or a create still in flight could land after cleanup verified the cluster was clean.
 */
import { ActivityCancellationType, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../errors';

export const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '20 seconds',
  maximumAttempts: 6,
  nonRetryableErrorTypes: [...nonRetryableErrorTypes],
};

const waitsForCancellation = { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED } as const;

/** Calls that should answer in seconds: reads, analysis, the ledger. */
export const quick: ActivityOptions = { startToCloseTimeout: '1 minute', retry };

/** Creates: the namespace. Heartbeats so a cancellation reaches it; the workflow waits until it has stopped. */
export const creating: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '15 seconds',
  retry,
  ...waitsForCancellation,
};

/** Deploying a service and following it to its condition: the wait's own timeout plus a margin. */
export const deploying = (timeoutMs: number): ActivityOptions => ({
  startToCloseTimeout: timeoutMs + 60_000,
  heartbeatTimeout: '15 seconds',
  retry,
  ...waitsForCancellation,
});

/** Health reads several objects per service and lets endpoints converge; heartbeats per service. */
export const checking: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
  ...waitsForCancellation,
};

/**
 * The AI step. The activity's own deadline (src/ai, AI_DEADLINE_MS) is below this start-to-close, so a model that
 * stalls ends in the labelled rules fallback instead of an activity timeout.
 */
export const judging: ActivityOptions = {
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 2 },
};

/** Deleting everything the run created, then verifying it is gone: namespace drains take a while. */
export const cleaning: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  // Cleanup heartbeats on every change its namespace watch sees and at least every 2 s: a dead worker's cleanup is
  // retried elsewhere within seconds.
  heartbeatTimeout: '20 seconds',
  retry: { ...retry, maximumAttempts: 10 },
  ...waitsForCancellation,
};
