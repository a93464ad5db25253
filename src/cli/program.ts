/** The commander program: global options, one file per command under commands/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { registerBaseline } from './commands/baseline';
import { registerCancel } from './commands/cancel';
import { registerCodecServer } from './commands/codec-server';
import { registerDev } from './commands/dev';
import { registerChecks } from './commands/checks';
import { registerJanitor } from './commands/janitor';
import { registerList } from './commands/list';
import { registerReport } from './commands/report';
import { registerRun } from './commands/run';
import { registerScenarios } from './commands/scenarios';
import { registerSchedule } from './commands/schedule';
import { registerStatus } from './commands/status';
import { registerWatch } from './commands/watch';
import { registerWorker } from './commands/worker';

/** The same relative path from src/cli and from dist/cli. */
function packageVersion(): string {
  const text = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}

export function createProgram(): Command {
  const program = new Command('kubeproof')
    .description('Prove a Kubernetes cluster is ready for production with durable Temporal validation runs.')
    .version(packageVersion(), '-V, --version', 'print the kubeproof version')
    .option(
      '--temporal-address <host:port>',
      'Temporal frontend (env TEMPORAL_ADDRESS or TEMPORAL_PROFILE; default 127.0.0.1:7233)',
    )
    .option(
      '--temporal-namespace <name>',
      'Temporal namespace (env TEMPORAL_NAMESPACE or TEMPORAL_PROFILE; default "default")',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 pass, 1 validation failed, 2 usage or input error, 3 Temporal or cluster unreachable.' +
        '\nEnvironment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE,' +
        '\nTEMPORAL_CONFIG_FILE, TEMPORAL_UI_URL, KUBEPROOF_TASK_QUEUE, KUBEPROOF_CLUSTER_NAME, KUBECONFIG,' +
        '\nKUBEPROOF_CODEC_KEYS or KUBEPROOF_CODEC_KEY_FILE (see the README).',
    )
    // Errors become exceptions that main maps to exit codes (commander would exit 1 for a usage error).
    // Set before the commands are added: subcommands inherit these settings.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true });
  registerRun(program);
  registerStatus(program);
  registerWatch(program);
  registerCancel(program);
  registerList(program);
  registerReport(program);
  registerScenarios(program);
  registerChecks(program);
  registerSchedule(program);
  registerBaseline(program);
  registerJanitor(program);
  registerWorker(program);
  registerDev(program);
  registerCodecServer(program);
  return program;
}
