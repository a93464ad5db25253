import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandIndex, commandNamed, createProgram } from '../../../src/cli/program';

const argv = (...args: string[]) => ['node', 'kubeproof', ...args];

describe('the lazily loaded command program', () => {
  it('lists every command in its help exactly as the fully loaded program does', () => {
    assert.equal(createProgram(argv('--help')).helpInformation(), createProgram([], { eager: true }).helpInformation());
  });

  it('keeps the light index in the order and with the names the command modules register', () => {
    const real = createProgram([], { eager: true }).commands.map((c) => c.name());
    assert.deepEqual(Object.keys(commandIndex), real);
  });

  it('loads the command argv names, past the global options and their values', () => {
    assert.equal(commandNamed(argv('--temporal-address', 'run', 'status', 'x')), 'status');
    assert.equal(commandNamed(argv('--temporal-namespace=ns', 'scenarios', 'list')), 'scenarios');
    assert.equal(commandNamed(argv('help', 'run')), 'run');
    assert.equal(commandNamed(argv('--help')), undefined);
    assert.equal(commandNamed(argv('-V')), undefined);
    const program = createProgram(argv('scenarios', 'list'));
    const scenarios = program.commands.find((c) => c.name() === 'scenarios')!;
    assert.deepEqual(
      scenarios.commands.map((c) => c.name()),
      ['list', 'show', 'validate'],
    );
    const run = program.commands.find((c) => c.name() === 'run')!;
    assert.equal(run.options.length, 0, 'run stays a light entry when another command runs');
  });
});
