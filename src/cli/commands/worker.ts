/** `kubeproof worker`: a worker process polling the task queue (flags override the environment). */
import type { Command } from 'commander';
import { z } from 'zod';
import type * as WorkerMain from '../../worker/main';
import { ExitCode, reasonOf, unreachableError, usageError } from '../exit';
import { commandConfig } from '../output';

const WorkerFlags = z.object({
  taskQueue: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
});

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run a worker: executes validation runs from the task queue until Ctrl-C')
    .option('--task-queue <name>', 'task queue to poll (env KUBEPROOF_TASK_QUEUE, default "kubeproof")')
    .option('--kubeconfig <path>', 'kubeconfig for runs that do not name one (env KUBECONFIG)')
    .option('--context <name>', 'kubeconfig context for runs that do not name one (env KUBEPROOF_CONTEXT)')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await worker(command);
    });
}

async function worker(command: Command): Promise<ExitCode> {
  const { cfg } = commandConfig(command, WorkerFlags);
  // Loaded only here: the worker (native bridge, webpack, every activity) is heavy for the other commands.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load; tsx's CommonJS hook cannot serve import()
  const { runWorker } = require('../../worker/main') as typeof WorkerMain;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: cfg.address,
    TEMPORAL_NAMESPACE: cfg.namespace,
    KUBEPROOF_TASK_QUEUE: cfg.taskQueue,
    ...(cfg.kubeconfig ? { KUBECONFIG: cfg.kubeconfig } : {}),
    ...(cfg.context ? { KUBEPROOF_CONTEXT: cfg.context } : {}),
  };
  try {
    await runWorker(env);
  } catch (error) {
    if ((error as Error | undefined)?.name === 'TransportError') {
      throw unreachableError(
        `cannot reach Temporal at ${cfg.address}: ${reasonOf(error)}. Start the local stack with \`npm run stack:up\` (or set TEMPORAL_ADDRESS)`,
      );
    }
    if (reasonOf(error).startsWith('invalid worker environment')) throw usageError(reasonOf(error).replace(/\n/g, ' '));
    throw error;
  }
  return ExitCode.Ok;
}
