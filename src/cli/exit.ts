/**
 * Exit codes and the one error type commands throw. A CliError is a user-facing outcome, not a bug: main prints
 * its message as one line and exits with its code, never with a stack trace.
 */

export const ExitCode = {
  /** The run passed (or passed with warnings), or the command did what it was asked. */
  Ok: 0,
  /** The validation failed: verdict fail, or the run itself failed. */
  Failed: 1,
  /** Bad flags, an invalid scenario, an unknown run id. */
  Usage: 2,
  /** Temporal or the Kubernetes API cannot be reached. */
  Unreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(ExitCode.Usage, message);
export const unreachableError = (message: string): CliError => new CliError(ExitCode.Unreachable, message);

/** The message of any thrown value, without its stack. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
