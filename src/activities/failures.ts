/**
 * The one place domain errors become Temporal failures: the failure `type` is the domain ErrorType, and
 * non-retryable types are marked so, whatever retry policy a caller configured.
 */
import { ApplicationFailure } from '@temporalio/common';
import { CancelledFailure } from '@temporalio/activity';
import { KubeproofError, nonRetryableErrorTypes } from '../errors';

export function toFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure || error instanceof CancelledFailure) return error;
  if (error instanceof KubeproofError) {
    return ApplicationFailure.create({
      type: error.type,
      message: error.message,
      nonRetryable: nonRetryableErrorTypes.includes(error.type),
      details: [error.details],
    });
  }
  return error;
}

/** Wraps an activity implementation so every thrown domain error crosses into Temporal typed. */
export function typed<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw toFailure(error);
    }
  };
}
