/** `kubeproof checks list`: the cluster readiness checks a run can select with `spec.checks`. */
import type { Command } from 'commander';
import { clusterChecks } from '../../checks';
import { ExitCode } from '../exit';
import { JsonFlag, commandConfig, out, printJson } from '../output';

export function registerChecks(program: Command): void {
  const checks = program.command('checks').description('describe the cluster readiness checks');
  checks
    .command('list')
    .description('list the cluster readiness checks (ids for spec.checks; default: all of them)')
    .option('--json', 'print them as JSON')
    .action((_options: unknown, command: Command) => {
      process.exitCode = listChecks(command);
    });
}

function listChecks(command: Command): ExitCode {
  const { flags } = commandConfig(command, JsonFlag);
  const all = clusterChecks.map((check) => ({
    id: check.id,
    title: check.title,
    description: check.description,
    timeoutMs: check.timeoutMs,
  }));
  if (flags.json) {
    printJson(all);
    return ExitCode.Ok;
  }
  const width = Math.max(...all.map((check) => check.id.length));
  for (const check of all) {
    out(`${check.id.padEnd(width)}  ${check.title} (at most ${Math.round(check.timeoutMs / 1000)} s)`);
    out(`${''.padEnd(width)}  ${check.description}`);
  }
  return ExitCode.Ok;
}
