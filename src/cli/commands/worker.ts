/** `kubeproof worker`: a worker process polling the task queue (flags override the environment). */
import type { Command } from 'commander';
import { z } from 'zod';
import { ErrorType, KubeproofError } from '../../errors';
import type * as CreateWorker from '../../worker/create-worker';
import type * as TemporalWorker from '@temporalio/worker';
import { workerConfig, workerConnection, workerDeps, type WorkerConfig } from '../../worker/config';
import type { CliConfig } from '../config';
import { ExitCode, usageError } from '../exit';
import { commandConfig, err } from '../output';
import { temporalUnreachable } from '../temporal';

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
    .option('--kubeconfig <path>', 'kubeconfig of the one cluster it serves (env KUBECONFIG; a:b lists merge)')
    .option('--context <name>', 'kubeconfig context (env KUBEPROOF_CONTEXT; default: its current context)')
    .addHelpText(
      'after',
      '\nThe worker serves one cluster, named by KUBEPROOF_CLUSTER_NAME (default "local"), or every cluster of the\n' +
        'file KUBEPROOF_CLUSTERS_FILE names: {clusters: [{name, kubeconfig?, context?, inCluster?: true}]}.',
    )
    .action(async (_options: unknown, command: Command) => {
      const { flags, cfg } = commandConfig(command, WorkerFlags);
      if (cfg.clustersFile && (flags.kubeconfig || flags.context)) {
        throw usageError(
          `--kubeconfig and --context describe a single cluster, but KUBEPROOF_CLUSTERS_FILE (${cfg.clustersFile}) lists the clusters this worker serves; put them in that file or unset it`,
        );
      }
      await serve(configOf(cfg));
      process.exitCode = ExitCode.Ok;
    });
}

/**
 * The worker configuration for the command's settings: the same function the embedded worker uses. A bad
 * clusters file is a usage error (exit 2).
 */
export function configOf(settings: CliConfig, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  try {
    return workerConfig(settings, env);
  } catch (error) {
    if (error instanceof KubeproofError && error.type === ErrorType.InvalidConfiguration)
      throw usageError(error.message);
    throw error;
  }
}

/** Runs a worker until SIGINT/SIGTERM (the SDK's handlers drain it). */
export async function serve(cfg: WorkerConfig): Promise<void> {
  // Loaded only here: the worker (native bridge, webpack, every activity) is heavy for the other commands.
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy load; tsx's CommonJS hook cannot serve import() */
  const { createWorker } = require('../../worker/create-worker') as typeof CreateWorker;
  const { TransportError } = require('@temporalio/worker') as typeof TemporalWorker;
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    const { worker, close } = await createWorker({
      ...workerConnection(cfg),
      taskQueue: cfg.taskQueue,
      deps: workerDeps(cfg),
    });
    err(
      `kubeproof worker polling task queue "${cfg.taskQueue}" on ${cfg.address} (${cfg.namespace}, ${cfg.temporal.security}), serving clusters: ${cfg.clusters.names().join(', ')}`,
    );
    try {
      await worker.run();
    } finally {
      await close();
    }
  } catch (error) {
    if (error instanceof TransportError) {
      throw temporalUnreachable(cfg, error);
    }
    throw error;
  }
}
