/**
 * CLI start-up (issue 14, item 6): spawns `node bin/kubeproof.js <args>` N times, compiled (KUBEPROOF_COMPILED=1,
 * dist/ from `npm run build`) and through tsx, alternating, and prints the median, min and max wall time of each
 * (spawn to exit) and the largest max RSS the kernel reported for a child.
 *
 * `node --import tsx bench/startup.ts [--runs 10] [--modes compiled,tsx] -- --help`
 * `--before <dir>` adds the mode `before`: the compiled CLI of another checkout (e.g. `git archive` of an older
 * commit, built with `npx tsc -p tsconfig.build.json`), in the same alternating rounds.
 * `node --import tsx bench/startup.ts -- scenarios list`
 * `node --import tsx bench/startup.ts --modes compiled -- run web-app-stack --no-wait --skip-baseline --ai off`
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './peers/stats';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'kubeproof.js');

type Mode = 'compiled' | 'tsx' | 'before';

interface Sample {
  ms: number;
  code: number | null;
}

let beforeBin: string | undefined;

function once(mode: Mode, args: string[]): Promise<Sample> {
  const env = { ...process.env, KUBEPROOF_COMPILED: mode === 'tsx' ? '0' : '1' };
  const bin = mode === 'before' ? beforeBin! : BIN;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) process.stderr.write(`bench/startup: ${mode} exited ${code}: ${stderr.slice(0, 500)}\n`);
      resolve({ ms, code });
    });
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      modes: { type: 'string', default: 'compiled,tsx' },
      before: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number >= 1, got ${values.runs}`);
  const modes = values.modes.split(',');
  if (values.before) {
    beforeBin = path.resolve(values.before, 'bin', 'kubeproof.js');
    if (!modes.includes('before')) modes.push('before');
  }
  const bad = modes.find((m) => m !== 'compiled' && m !== 'tsx' && (m !== 'before' || !beforeBin));
  if (bad !== undefined) throw new Error(`--modes takes compiled,tsx (and before with --before <dir>); got ${bad}`);
  const args = positionals.length > 0 ? positionals : ['--help'];
  const samples = new Map<Mode, number[]>((modes as Mode[]).map((m) => [m, []]));
  // One discarded warm-up per mode (page cache), then alternating order.
  for (const m of modes as Mode[]) await once(m, args);
  for (let i = 0; i < runs; i++) {
    const order = (i % 2 === 0 ? modes : [...modes].reverse()) as Mode[];
    for (const m of order) samples.get(m)!.push((await once(m, args)).ms);
  }
  console.log(`kubeproof ${args.join(' ')}  (${runs} runs each, alternating, after one warm-up)`);
  for (const [m, ms] of samples) {
    const sorted = [...ms].sort((a, b) => a - b);
    console.log(
      `${m.padEnd(9)} median ${median(ms).toFixed(0)} ms  (min ${sorted[0]!.toFixed(0)}, max ${(sorted.at(-1) ?? 0).toFixed(0)})`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`bench/startup: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
