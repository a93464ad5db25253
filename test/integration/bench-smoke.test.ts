/**
 * Keeps bench/peers from rotting: one tiny run (N=3, one run, no warm-up) of every tool on the local stack.
 * No timed assertions: only that each tool finished, nothing was left behind and the table was printed.
 * kube-burner is included only when scripts/build-kube-burner.sh has built it (a cold build takes minutes).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const BURNER = path.join(os.homedir(), '.cache/kubeproof/bin/kube-burner');

const bench = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/peers/index.ts', ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });

describe('bench/peers', () => {
  it('refuses a count that is not a whole number, naming the flag', () => {
    const r = bench(['--n', '3,abc']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--n takes whole numbers >= 1, got "abc"/);
  });

  it('refuses an unknown tool, listing the known ones', () => {
    const r = bench(['--tools', 'kubeproof,helm']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown tool "helm".*kube-burner/);
  });

  it('runs every tool once for three Deployments, leaves nothing behind and prints the ratios', () => {
    const tools = ['kubeproof', 'kubectl', 'floor', ...(fs.existsSync(BURNER) ? ['kube-burner'] : [])];
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-')), 'results.json');
    const r = bench([
      '--n',
      '3',
      '--runs',
      '1',
      '--warmup',
      '0',
      '--delays',
      '0',
      '--tools',
      tools.join(','),
      '--out',
      out,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const { samples } = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      samples: { tool: string; n: number; wallMs: number; leftovers: string[]; steps?: Record<string, number> }[];
    };
    assert.deepEqual(samples.map((s) => s.tool).sort(), [...tools].sort());
    for (const s of samples) {
      assert.equal(s.n, 3);
      assert.ok(s.wallMs > 0, `${s.tool} has a wall time`);
      assert.deepEqual(s.leftovers, [], `${s.tool} left nothing behind`);
    }
    assert.ok(
      samples.find((s) => s.tool === 'kubeproof')?.steps?.deploy !== undefined,
      'kubeproof step durations read',
    );
    assert.match(r.stdout, /\| 3 \| none \|.*\| [\d.]+× \|/);
  });
});

describe('bench/concurrency', () => {
  const concurrency = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/concurrency.ts', ...args], {
      cwd: ROOT,
      env: process.env,
      encoding: 'utf8',
      timeout: 10 * 60_000,
    });

  it('refuses an unbounded number of runs, naming the flag', () => {
    const r = concurrency(['--runs', '500']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--runs is 500: give 1 to 50/);
  });

  it('runs two validations at once on one worker, both passing with nothing left, and prints the figures', () => {
    const r = concurrency(['--runs', '2', '--skip-baseline']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /passed \(verdict pass or warn\): 2\/2; leftover namespaces: 0/);
    assert.match(r.stdout, /throughput: [\d.]+ runs\/min/);
    assert.match(r.stdout, /worker peak RSS: \d+ MiB/);
    // The worker runs with the container image's malloc arenas, read from the Dockerfile.
    assert.match(r.stdout, /one standalone worker \((?:compiled|tsx), MALLOC_ARENA_MAX=\d+\)/);
  });
});
