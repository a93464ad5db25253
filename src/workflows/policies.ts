/**
 * Retry and timeout profiles for activities. Transient API failures (5xx, 429, timeouts, resets) retry with
 * exponential backoff; the failure types in `nonRetryableErrorTypes` fail at once, because retrying an invalid
 * manifest or a 403 only repeats the same answer.
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../errors';

export const nonRetryable = nonRetryableErrorTypes;

export const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '20 seconds',
  maximumAttempts: 6,
  nonRetryableErrorTypes: [...nonRetryableErrorTypes],
};

/** Calls that should answer in seconds: applies, reads, analysis. */
export const quick: ActivityOptions = { startToCloseTimeout: '1 minute', retry };
