/**
 * Failures inside the validation workflow. `Blamed` carries a run failure (step, service, type) from where it is
 * observed to where the record takes it; it never leaves the workflow function. Everything else is read by its
 * Temporal failure `type`, never by `instanceof` of our own classes.
 */
import { isCancellation } from '@temporalio/workflow';
import { ErrorType } from '../errors';
import type { RunFailure } from '../run/contracts';
import type { StepName } from '../run/vocabulary';

export class Blamed extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

/** The type and message of an activity failure (its ApplicationFailure cause) or of any other error. */
export function failureOf(error: unknown): { type: string; message: string } {
  if (isCancellation(error)) return { type: ErrorType.Cancelled, message: 'the run was cancelled' };
  const e = error as { type?: string; message?: string; cause?: { type?: string; message?: string } };
  return {
    type: e.cause?.type ?? e.type ?? ErrorType.Internal,
    message: e.cause?.message ?? e.message ?? String(error),
  };
}

/** The run failure an error means for `step`: its own blame if it carries one, else the step's. */
export function blame(step: StepName, error: unknown): RunFailure {
  if (error instanceof Blamed) return error.failure;
  return { step, ...failureOf(error) };
}
