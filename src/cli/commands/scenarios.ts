/** `kubeproof scenarios list|show|validate`: the built-in scenarios, and checking a scenario file before a run. */
import type { Command } from 'commander';
import type * as Yaml from 'yaml';
import { ErrorType, KubeproofError } from '../../errors';
import type * as Scenarios from '../../scenarios';
import { builtinCatalog } from '../../scenarios/catalog';
import type { Requirements } from '../../scenarios/schema';
import { ExitCode } from '../exit';
import { plural } from '../format';
import type * as Output from '../output';
import { out, printJson } from '../print';

// `scenarios list` starts in ≤ 150 ms from the compiled build (issue 14): it reads the build's catalog, so the
// scenario schema (zod), the YAML library and the zod-based flag parsing load only for `show` and `validate`.
/* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose, as in src/cli/program.ts */
const scenarios = (): typeof Scenarios => require('../../scenarios') as typeof Scenarios;
const output = (): typeof Output => require('../output') as typeof Output;
const yaml = (): typeof Yaml => require('yaml') as typeof Yaml;
/* eslint-enable @typescript-eslint/no-require-imports */

export function registerScenarios(program: Command): void {
  const scenarios = program.command('scenarios').description('list, show and validate scenarios');
  scenarios
    .command('list')
    .description('list the built-in scenarios')
    .option('--json', 'print them as JSON')
    .action((_options: unknown, command: Command) => {
      process.exitCode = listScenarios(command);
    });
  scenarios
    .command('show')
    .description('print a scenario as kubeproof parsed it (defaults filled in), with its deploy waves')
    .argument('<scenario>', 'built-in scenario name or path to a .yaml/.yml/.json file')
    .option('--json', 'print it as JSON')
    .action((ref: string, _options: unknown, command: Command) => {
      process.exitCode = showScenario(ref, command);
    });
  scenarios
    .command('validate')
    .description('check a scenario file without running it')
    .argument('<file>', 'path to a .yaml/.yml/.json scenario file (or a built-in name)')
    .option('--json', 'print the outcome as JSON')
    .addHelpText('after', '\nExit codes: 0 valid, 2 invalid (the message says where and why).')
    .action((file: string, _options: unknown, command: Command) => {
      process.exitCode = validateScenario(file, command);
    });
}

function listScenarios(command: Command): ExitCode {
  // Its one flag is a boolean commander has already checked; the global ones do not apply to a list of built-ins.
  const json = command.opts<{ json?: boolean }>().json === true;
  const all = builtinCatalog();
  if (json) {
    printJson(all);
    return ExitCode.Ok;
  }
  const width = Math.max(...all.map((s) => s.name.length));
  for (const s of all) {
    out(`${s.name.padEnd(width)}  ${s.description}`);
    out(`${''.padEnd(width)}  services: ${s.services.join(', ')} (${plural(s.waves.length, 'wave')})`);
    out(`${''.padEnd(width)}  requires: ${describeRequirements(s.requires ?? undefined)}`);
  }
  return ExitCode.Ok;
}

/** `≥ 3 nodes of ≥ 4 CPU / 8Gi, nvidia.com/gpu: 1 on a node, Kubernetes ≥ 1.30`, or `nothing beyond capacity`. */
export function describeRequirements(requires: Requirements | undefined): string {
  if (!requires) return 'nothing beyond room for its pods';
  const size = [requires.minNodeCpu && `${requires.minNodeCpu} CPU`, requires.minNodeMemory]
    .filter(Boolean)
    .join(' / ');
  const parts = [
    `≥ ${plural(requires.minNodes ?? 1, 'node')}${size ? ` of ≥ ${size}` : ''}`,
    ...Object.entries(requires.extendedResources).map(([name, count]) => `${name}: ${count} on a node`),
    ...(requires.minKubernetesVersion ? [`Kubernetes ≥ ${requires.minKubernetesVersion}`] : []),
  ];
  return parts.join(', ');
}

function showScenario(ref: string, command: Command): ExitCode {
  const { flags } = output().commandConfig(command, output().JsonFlag);
  const { loadScenario, planWaves } = scenarios();
  const scenario = loadScenario(ref);
  const waves = planWaves(scenario);
  if (flags.json) {
    printJson({ scenario, waves });
    return ExitCode.Ok;
  }
  out(
    [
      `# ${scenario.metadata.name}: ${plural(scenario.spec.services.length, 'service')} in ${plural(waves.length, 'wave')}`,
      ...waves.map((wave, i) => `#   wave ${i + 1}: ${wave.join(', ')}`),
      '# As parsed: defaults filled in, durations in milliseconds.',
      yaml().stringify(scenario),
    ].join('\n'),
  );
  return ExitCode.Ok;
}

function validateScenario(file: string, command: Command): ExitCode {
  const { flags } = output().commandConfig(command, output().JsonFlag);
  const { loadScenario, planWaves } = scenarios();
  try {
    const scenario = loadScenario(file);
    const waves = planWaves(scenario);
    const services = scenario.spec.services.length;
    if (flags.json) printJson({ valid: true, file, scenario: scenario.metadata.name, services, waves });
    else out(`valid: ${plural(services, 'service')} in ${plural(waves.length, 'wave')} (${file})`);
    return ExitCode.Ok;
  } catch (error) {
    // The message still goes to stderr (main prints it); --json adds the issues as data on stdout.
    if (flags.json && error instanceof KubeproofError && error.type === ErrorType.InvalidScenario) {
      printJson({ valid: false, file, message: error.message, issues: error.details.issues ?? [] });
    }
    throw error;
  }
}
