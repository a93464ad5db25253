/**
 * `kubeproof dev`: for people who bring their own cluster. Starts the local Temporal dev server (Web UI on,
 * search attributes registered; no local Kubernetes) and runs a worker against the given kubeconfig.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode, usageError } from '../exit';
import { resolveConfig } from '../config';
import { commandConfig, err } from '../output';
import { configOf, serve } from './worker';

const DevFlags = z.object({ kubeconfig: z.string().min(1).optional(), context: z.string().min(1).optional() });
const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('start the local Temporal dev server and a worker for your own cluster (Ctrl-C stops the worker)')
    .option('--kubeconfig <path>', 'your cluster (env KUBECONFIG)')
    .option('--context <name>', 'kubeconfig context')
    .action(async (_o: unknown, command: Command) => {
      const { cfg } = commandConfig(command, DevFlags);
      if (!cfg.kubeconfig) throw usageError('kubeproof dev needs your cluster: pass --kubeconfig or set KUBECONFIG');
      const up = spawnSync('bash', [path.join(repoRoot, 'scripts', 'stack-up.sh')], {
        stdio: 'inherit',
        env: { ...process.env, KUBEPROOF_EXTERNAL_KUBECONFIG: cfg.kubeconfig },
      });
      if (up.status !== 0) return void (process.exitCode = ExitCode.Unreachable);
      const env = Object.fromEntries(
        [...readFileSync(path.join(repoRoot, '.stack', 'env'), 'utf8').matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [
          m[1]!,
          m[2]!,
        ]),
      );
      err(
        `Temporal Web UI: ${env.TEMPORAL_UI_URL ?? '(external server)'}; stop the dev server later with \`npm run stack:down\``,
      );
      // The stack's env file is an environment like the shell's (and wins over it); flags go on top, as everywhere.
      const settings = resolveConfig({ ...process.env, ...env }, { kubeconfig: cfg.kubeconfig, context: cfg.context });
      await serve(configOf(settings));
      process.exitCode = ExitCode.Ok;
    });
}
