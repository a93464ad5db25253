/** `kubeproof run <scenario|file>`: validate the scenario, check the cluster, start a run, follow it, report. */
import { Option, type Command } from 'commander';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { startValidation, type Outcome } from '../../client/validation';
import { loadScenario, planWaves, type Scenario } from '../../scenarios';
import { MAX_SAMPLES } from '../../scenarios/limits';
import type * as CreateWorker from '../../worker/create-worker';
import type * as WorkerMetrics from '../../worker/metrics';
import type * as TemporalWorker from '@temporalio/worker';
import type { AiMode } from '../../run/contracts';
import { workerConnection, workerDeps } from '../../worker/config';
import { checkClusterReachable } from '../cluster-check';
import type { CliConfig } from '../config';
import { ExitCode, reasonOf, usageError } from '../exit';
import { followRun, onInterrupt } from '../follow';
import { webUiLink } from '../format';
import { commandConfig, err, out, printJson } from '../output';
import { outcomeExitCode, renderOutcome } from '../runs';
import { connectTemporal, temporalError, temporalUnreachable } from '../temporal';
import { configOf } from './worker';

const AiModes = ['off', 'auto', 'required'] as const satisfies readonly AiMode[];

const RunFlags = z.object({
  clusterName: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  ai: z.enum(AiModes).default('auto'),
  imageRegistry: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, {
      error: 'must be a registry host with an optional path, e.g. registry.local:5000/mirror',
    })
    .optional(),
  samples: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of samples, at least 1' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: 'must be at least 1' })
        .max(MAX_SAMPLES, { error: `must be at most ${MAX_SAMPLES}, as in a scenario's spec.samples` }),
    )
    .optional(),
  skipBaseline: z.boolean().default(false),
  taskQueue: z.string().min(1).optional(),
  wait: z.boolean().default(true),
  json: z.boolean().default(false),
  embeddedWorker: z.boolean().default(false),
});
type RunFlags = z.output<typeof RunFlags>;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('validate a cluster with a scenario: deploy, health, AI verdict, baseline, cleanup')
    .argument(
      '<scenario>',
      'built-in scenario name (see `kubeproof scenarios list`) or path to a .yaml/.yml/.json file',
    )
    .option('--cluster-name <name>', 'name recorded for the cluster (env KUBEPROOF_CLUSTER_NAME, default "local")')
    .option('--kubeconfig <path>', 'with --embedded-worker: the kubeconfig it uses (env KUBECONFIG)')
    .option('--context <name>', 'kubeconfig context (default: its current context)')
    .addOption(
      new Option('--ai <mode>', 'AI verdict: off, auto (fall back to rules), required')
        .choices(AiModes)
        .default('auto'),
    )
    .option(
      '--image-registry <prefix>',
      'pull every image the scenario does not override from this registry (air-gapped clusters)',
    )
    .option('--samples <n>', 'baseline samples per metric (overrides the scenario)')
    .option('--skip-baseline', 'skip the baseline measurements (quick smoke run)')
    .option('--task-queue <name>', 'task queue of the workers (env KUBEPROOF_TASK_QUEUE, default "kubeproof")')
    .option('--wait', 'follow the run until it ends and report (default)')
    .option('--no-wait', 'print the workflow id and return once the run has started')
    .option('--json', 'print the ValidationResult as JSON (with --no-wait: {"workflowId": ...})')
    .option('--embedded-worker', 'run a worker in this process for the duration of the run')
    .addHelpText(
      'after',
      '\nExit codes: 0 pass or warn, 1 fail, 2 usage or invalid scenario, 3 Temporal or cluster unreachable.',
    )
    .action(async (ref: string, _options: unknown, command: Command) => {
      process.exitCode = await run(ref, command);
    });
}

async function run(ref: string, command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, RunFlags);
  if (flags.embeddedWorker && !flags.wait) {
    throw usageError('--embedded-worker needs --wait: the worker stops when the command returns; drop --no-wait');
  }
  if ((flags.kubeconfig || flags.context) && !flags.embeddedWorker) {
    throw usageError(
      '--kubeconfig and --context apply only with --embedded-worker: a worker uses the clusters it is configured with (run it with KUBECONFIG or KUBEPROOF_CLUSTERS_FILE)',
    );
  }
  // Nothing is started for an invalid scenario: both throw InvalidScenario with a ready-to-print message.
  const scenario = loadScenario(ref);
  planWaves(scenario);
  // Only the embedded worker uses this process's kubeconfig; a standalone worker has its own clusters, so checking
  // KUBECONFIG here would test the wrong cluster and load @kubernetes/client-node for nothing (`--no-wait` ≤ 0.5 s).
  if (flags.embeddedWorker && cfg.kubeconfig) {
    await checkClusterReachable({ kubeconfig: flags.kubeconfig, context: cfg.context });
  }

  const session = await connectTemporal(cfg);
  try {
    if (!flags.wait) {
      const handle = await start(session.client, scenario, flags, cfg);
      if (flags.json) printJson({ workflowId: handle.workflowId });
      else {
        out(handle.workflowId);
        err(`started; follow it with \`kubeproof watch ${handle.workflowId}\``);
      }
      return ExitCode.Ok;
    }
    const go = () => startAndFollow(session.client, scenario, flags, cfg);
    return flags.embeddedWorker ? await withEmbeddedWorker(cfg, go) : await go();
  } catch (error) {
    throw temporalError(error, cfg);
  } finally {
    await session.close();
  }
}

function start(client: Client, scenario: Scenario, flags: RunFlags, cfg: CliConfig) {
  return startValidation(client, {
    scenario,
    clusterName: cfg.clusterName,
    ai: flags.ai,
    samples: flags.samples,
    skipBaseline: flags.skipBaseline,
    imageRegistry: flags.imageRegistry,
    taskQueue: cfg.taskQueue,
  });
}

async function startAndFollow(client: Client, scenario: Scenario, flags: RunFlags, cfg: CliConfig): Promise<ExitCode> {
  const handle = await start(client, scenario, flags, cfg);
  err(`started ${handle.workflowId} on task queue "${cfg.taskQueue}"`);
  const stopFollowing = onInterrupt(handle, flags.embeddedWorker);
  let outcome: Outcome;
  try {
    outcome = await followRun(handle, {
      title: `${scenario.metadata.name} on ${cfg.clusterName}`,
      skipped: flags.skipBaseline ? ['baseline'] : [],
    });
  } finally {
    stopFollowing();
  }
  const runId = outcome.result?.runId ?? (await handle.describe()).runId;
  const link = cfg.uiUrl ? webUiLink(cfg.uiUrl, cfg.namespace, handle.workflowId, runId) : undefined;
  out(renderOutcome(handle, outcome, { json: flags.json, link }));
  return outcomeExitCode(outcome);
}

/**
 * Runs `fn` while a worker polls the task queue in this process (for the demo and quick local runs). The worker
 * module is loaded only here: it is heavy (native bridge, webpack) and no other command needs it.
 */
async function withEmbeddedWorker(cfg: CliConfig, fn: () => Promise<ExitCode>): Promise<ExitCode> {
  const workerCfg = configOf(cfg);
  if (!workerCfg.clusters.names().includes(cfg.clusterName)) {
    throw usageError(
      `the embedded worker does not serve cluster "${cfg.clusterName}" (it serves ${workerCfg.clusters.names().join(', ')}); set --cluster-name or KUBEPROOF_CLUSTERS_FILE`,
    );
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy load; tsx's CommonJS hook cannot serve import() */
  const { DefaultLogger, Runtime, TransportError } = require('@temporalio/worker') as typeof TemporalWorker;
  const { createWorker } = require('../../worker/create-worker') as typeof CreateWorker;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Errors only, one line each: failed runs and retried activities already show in the progress and the report.
  // No signal handling by the SDK: Ctrl-C cancels the run and the worker stays to clean up.
  const logger = new DefaultLogger('ERROR', (entry) => {
    const cause: unknown = entry.meta?.error;
    err(`embedded worker: ${entry.message}${cause === undefined ? '' : `: ${reasonOf(cause)}`}`);
  });
  Runtime.install({ logger, shutdownSignals: [] });
  // /metrics (and so the alert-pipeline canary) when the port is free; a run without it only skips that check.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, as above
  const { startMetricsServer, setCanary, parseMetricsEnv } = require('../../worker/metrics') as typeof WorkerMetrics;
  const metricsEnv = parseMetricsEnv(process.env);
  const metrics = await startMetricsServer({
    host: metricsEnv.KUBEPROOF_METRICS_HOST,
    port: metricsEnv.KUBEPROOF_METRICS_PORT,
  }).catch(() => undefined);
  let created: Awaited<ReturnType<typeof createWorker>>;
  try {
    created = await createWorker({
      ...workerConnection(workerCfg),
      taskQueue: cfg.taskQueue,
      deps: {
        // The same configuration a `kubeproof worker` process reads, from this command's settings.
        ...workerDeps(workerCfg),
        ...(metrics ? { canary: setCanary } : {}),
      },
    });
  } catch (error) {
    await metrics?.close();
    // NativeConnection reports an unreachable server as a TransportError; anything else is not about reachability.
    if (!(error instanceof TransportError)) throw error;
    throw temporalUnreachable(cfg, error, ' for the embedded worker');
  }
  try {
    return await created.worker.runUntil(fn());
  } finally {
    await created.close();
    await metrics?.close();
  }
}
