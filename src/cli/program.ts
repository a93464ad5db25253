/**
 * The commander program: global options, one file per command under commands/.
 *
 * Start-up is part of the product (`kubeproof --help` in ≤ 150 ms, issue 14): a command's module, and with it
 * @temporalio/client, @kubernetes/client-node, openai or zod, is loaded only when argv names that command. The
 * other commands appear in the help as light entries (name, usage term, description) from `commandIndex`; a unit
 * test keeps that index equal to what the real modules register.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Help } from 'commander';
import type * as RunCommand from './commands/run';
import type * as StatusCommand from './commands/status';
import type * as WatchCommand from './commands/watch';
import type * as CancelCommand from './commands/cancel';
import type * as ListCommand from './commands/list';
import type * as ReportCommand from './commands/report';
import type * as ScenariosCommand from './commands/scenarios';
import type * as ChecksCommand from './commands/checks';
import type * as ScheduleCommand from './commands/schedule';
import type * as BaselineCommand from './commands/baseline';
import type * as JanitorCommand from './commands/janitor';
import type * as WorkerCommand from './commands/worker';
import type * as DevCommand from './commands/dev';
import type * as CodecServerCommand from './commands/codec-server';

/** The same relative path from src/cli and from dist/cli. */
function packageVersion(): string {
  const parsed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof parsed.version !== 'string') throw new Error('package.json has no version string');
  return parsed.version;
}

type Register = (program: Command) => void;

interface CommandEntry {
  /** As the help's command list shows it: `run [options] <scenario>`. */
  term: string;
  description: string;
  load: () => Register;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose: each command loads only when used */
/** Every command, in help order. `load` requires the command's module only when it runs. */
export const commandIndex: Readonly<Record<string, CommandEntry>> = {
  run: {
    term: 'run [options] <scenario>',
    description: 'validate a cluster with a scenario: deploy, health, AI verdict, baseline, cleanup',
    load: () => (require('./commands/run') as typeof RunCommand).registerRun,
  },
  status: {
    term: 'status [options] <workflowId>',
    description: 'show where a run stands: progress while it runs, the report once it is done',
    load: () => (require('./commands/status') as typeof StatusCommand).registerStatus,
  },
  watch: {
    term: 'watch [options] <workflowId>',
    description: 'follow a run until it ends, then print its report',
    load: () => (require('./commands/watch') as typeof WatchCommand).registerWatch,
  },
  cancel: {
    term: 'cancel [options] <workflowId>',
    description: 'cancel a run; it deletes what it created, then closes',
    load: () => (require('./commands/cancel') as typeof CancelCommand).registerCancel,
  },
  list: {
    term: 'list [options]',
    description: 'list recent runs, newest first',
    load: () => (require('./commands/list') as typeof ListCommand).registerList,
  },
  report: {
    term: 'report [options] <workflowId>',
    description: "render a finished run's report (a failed run's partial result included)",
    load: () => (require('./commands/report') as typeof ReportCommand).registerReport,
  },
  scenarios: {
    term: 'scenarios',
    description: 'list, show and validate scenarios',
    load: () => (require('./commands/scenarios') as typeof ScenariosCommand).registerScenarios,
  },
  checks: {
    term: 'checks',
    description: 'describe the cluster readiness checks',
    load: () => (require('./commands/checks') as typeof ChecksCommand).registerChecks,
  },
  schedule: {
    term: 'schedule',
    description: 'cron schedules of baseline runs (Temporal Schedules)',
    load: () => (require('./commands/schedule') as typeof ScheduleCommand).registerSchedule,
  },
  baseline: {
    term: 'baseline',
    description: "a cluster's baseline history for a scenario",
    load: () => (require('./commands/baseline') as typeof BaselineCommand).registerBaseline,
  },
  janitor: {
    term: 'janitor [options]',
    description: "delete kubeproof namespaces whose run is closed or unknown to Temporal (never anyone else's)",
    load: () => (require('./commands/janitor') as typeof JanitorCommand).registerJanitor,
  },
  worker: {
    term: 'worker [options]',
    description: 'run a worker: executes validation runs from the task queue until Ctrl-C',
    load: () => (require('./commands/worker') as typeof WorkerCommand).registerWorker,
  },
  dev: {
    term: 'dev [options]',
    description: 'start the local Temporal dev server and a worker for your own cluster (Ctrl-C stops the worker)',
    load: () => (require('./commands/dev') as typeof DevCommand).registerDev,
  },
  'codec-server': {
    term: 'codec-server [options]',
    description: "serve the Web UI's codec endpoint (POST /decode, /encode) with the configured payload keys",
    load: () => (require('./commands/codec-server') as typeof CodecServerCommand).registerCodecServer,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Global options that take a value: their value is not the command name. */
const valuedGlobals = new Set(['--temporal-address', '--temporal-namespace']);

/** The command argv names (`help <command>` included), or undefined for the program's own help or version. */
export function commandNamed(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (valuedGlobals.has(arg)) i++;
    else if (arg === '--') return undefined;
    else if (!arg.startsWith('-')) {
      if (arg !== 'help') return arg;
      const next = args[i + 1];
      return next !== undefined && !next.startsWith('-') ? next : undefined;
    }
  }
  return undefined;
}

/**
 * The program with the command argv names fully registered and the others as help entries. `eager` registers
 * every command for real (the unit test that keeps `commandIndex` honest).
 */
export function createProgram(argv: readonly string[] = process.argv, opts: { eager?: boolean } = {}): Command {
  const terms = new Map<Command, string>();
  const defaultHelp = new Help();
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
    .configureHelp({
      showGlobalOptions: true,
      subcommandTerm: (cmd) => terms.get(cmd) ?? defaultHelp.subcommandTerm(cmd),
    });
  const wanted = commandNamed(argv);
  for (const [name, entry] of Object.entries(commandIndex)) {
    if (opts.eager || name === wanted) entry.load()(program);
    else {
      const light = program.command(name).description(entry.description);
      // Never reached: argv named another command. Loud rather than a silent exit 0 if the parsers ever disagree.
      light.action(() => {
        throw new Error(`command ${name} was not loaded`);
      });
      terms.set(light, entry.term);
    }
  }
  return program;
}
