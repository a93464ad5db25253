/**
 * Entry point of the `kubeproof` command (bin/kubeproof.js). Maps every outcome to an exit code: a user mistake
 * or an unreachable server is one line on stderr, never a stack trace.
 */
import { CommanderError } from 'commander';
import { ErrorType, KubeproofError } from '../errors';
import { CliError, ExitCode, reasonOf } from './exit';
import { createProgram } from './program';

/** As output.ts's `err`, without loading output.ts (and zod) for `--help`. */
const err = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

export function exitCodeOf(error: unknown): number {
  // Commander has already printed its message (or the help, or the version).
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  if (error instanceof CliError) {
    err(`error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof KubeproofError && error.type === ErrorType.InvalidScenario) {
    err(`error: ${error.message}`);
    return ExitCode.Usage;
  }
  if (process.env.KUBEPROOF_DEBUG) err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  err(`error: ${reasonOf(error)} (unexpected; run again with KUBEPROOF_DEBUG=1 to see where it came from)`);
  return ExitCode.Failed;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram(argv).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    return exitCodeOf(error);
  }
}

/** Exits once both streams are flushed: keep-alive sockets or a drained worker must not keep a done command alive. */
function exit(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// `kubeproof list | head`: a reader that goes away is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

void main(process.argv).then(exit);
