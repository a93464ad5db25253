/**
 * Peer benchmark (issue 14): the same work, N independent Deployments × 1 replica deployed, all Ready, then
 * deleted with the namespace gone, through kubeproof, kube-burner, a kubectl script and the floor client, on
 * the running local stack. Alternating order, discarded warm-up, an external stopwatch around each whole
 * command (spawn to exit), leftovers checked after each run. Prints a markdown table. A standalone worker runs
 * with the container image's MALLOC_ARENA_MAX (bench/worker-env.ts; `MALLOC_ARENA_MAX=default` for glibc's own).
 *
 * `npm run bench:peers -- --n 10,100 --runs 5` (after `npm run stack:up`; see BENCHMARKS.md for every flag).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../../src/k8s/client';
import { describeArenas, workerEnv } from '../worker-env';
import { Label } from '../../src/k8s/render';
import { cpuSeconds, peakRss } from './proc';
import { median, spread } from './stats';
import { kubeBurnerConfig, kubectlManifest, kubeproofScenario, type Workload } from './workloads';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(process.env.KUBEPROOF_CACHE ?? path.join(os.homedir(), '.cache/kubeproof'), 'bin');
const TOOLS = ['kubeproof', 'kube-burner', 'kubectl', 'floor'] as const;
type Tool = (typeof TOOLS)[number];

const USAGE = `usage: bench/peers [--n 10,100] [--runs 5] [--warmup 1] [--delays 0,2s]
  [--tools kubeproof,kube-burner,kubectl,floor] [--worker embedded|standalone]
  [--kb-qps 1000] [--kb-burst 1000] [--cli compiled|tsx] [--worker-node-flags=--max-semi-space-size=2]
  [--out results.json]`;

function fail(message: string): never {
  console.error(`bench/peers: ${message}\n${USAGE}`);
  process.exit(2);
}

const wholeList = (flag: string, value: string, least: number): number[] =>
  value.split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < least) fail(`--${flag} takes whole numbers >= ${least}, got "${s}"`);
    return n;
  });

function options() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '10,100' },
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      delays: { type: 'string', default: '0,2s' },
      tools: { type: 'string', default: TOOLS.join(',') },
      worker: { type: 'string', default: 'embedded' },
      'kb-qps': { type: 'string', default: '1000' },
      'kb-burst': { type: 'string', default: '1000' },
      // compiled: dist/ from `npm run build` (what the package ships; its prebundled workflow code); tsx: src/.
      cli: { type: 'string', default: fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')) ? 'compiled' : 'tsx' },
      // Node/V8 flags for the standalone worker's process, space-separated; give them as --worker-node-flags=<flags>
      // (a value starting with a dash after a space is refused). The image's ENTRYPOINT sets none.
      'worker-node-flags': { type: 'string', default: '' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const tools = values.tools.split(',') as Tool[];
  for (const t of tools) if (!TOOLS.includes(t)) fail(`unknown tool "${t}" in --tools (known: ${TOOLS.join(', ')})`);
  if (values.worker !== 'embedded' && values.worker !== 'standalone') fail(`--worker is embedded or standalone`);
  if (values.cli !== 'compiled' && values.cli !== 'tsx') fail(`--cli is compiled or tsx`);
  const delays = values.delays.split(',').map((d) => (d === '0' || d === '' ? undefined : d));
  for (const d of delays)
    if (d !== undefined && !/^\d+(ms|s|m)$/.test(d)) fail(`--delays takes 0 or Go durations like 2s, got "${d}"`);
  return {
    ns: wholeList('n', values.n, 1),
    runs: wholeList('runs', values.runs, 1)[0]!,
    warmup: wholeList('warmup', values.warmup, 0)[0]!,
    delays,
    tools,
    worker: values.worker,
    cli: values.cli,
    limits: {
      qps: wholeList('kb-qps', values['kb-qps'], 1)[0]!,
      burst: wholeList('kb-burst', values['kb-burst'], 1)[0]!,
    },
    workerNodeFlags: values['worker-node-flags'].split(' ').filter(Boolean),
    out: values.out,
  };
}
type Options = ReturnType<typeof options>;

interface Sample {
  tool: Tool;
  n: number;
  delay: string;
  run: number;
  warmup: boolean;
  /** Spawn to exit, measured outside the process. */
  wallMs: number;
  /** The floor's own in-process time (after node start-up); the kubeproof run's step durations. */
  innerMs?: number | undefined;
  steps?: Record<string, number> | undefined;
  leftovers: string[];
  /** kubeproof only: the command's peak RSS (VmHWM, MiB), sampled while it ran. */
  peakRssMiB?: number | undefined;
}

interface Exit {
  code: number | null;
  wallMs: number;
  stdout: string;
  stderr: string;
  /** The process's peak RSS in MiB (VmHWM, read every 250 ms while it ran; Linux only). */
  peakRssMiB?: number | undefined;
}

function timed(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; rss?: boolean } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peakRssMiB: number | undefined;
    const sampler = opts.rss ? setInterval(() => (peakRssMiB = peakRss(child.pid) ?? peakRssMiB), 250) : undefined;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => clearInterval(sampler));
    child.on('close', (code) => resolve({ code, wallMs: performance.now() - started, stdout, stderr, peakRssMiB }));
  });
}

const tail = (s: string): string => s.trim().split('\n').slice(-15).join('\n');

class Bench {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peers-'));
  private readonly tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  readonly taskQueue = `bench-peers-${this.tag}`;
  private worker: ChildProcess | undefined;
  private seq = 0;
  /** The kubeproof CLI's environment: the compiled build or the sources through tsx (--cli). */
  readonly cliEnv: NodeJS.ProcessEnv;

  constructor(private readonly opt: Options) {
    this.cliEnv = { ...process.env, KUBEPROOF_COMPILED: opt.cli === 'compiled' ? '1' : '0' };
  }

  /** The standalone worker's peak RSS so far (MiB), or undefined without one. */
  workerPeakRss(): number | undefined {
    return peakRss(this.worker?.pid);
  }

  /** The standalone worker's CPU time so far (user + system, seconds), or undefined without one. */
  workerCpuSeconds(): number | undefined {
    return cpuSeconds(this.worker?.pid);
  }

  async startWorker(): Promise<void> {
    if (this.opt.worker !== 'standalone' || !this.opt.tools.includes('kubeproof')) return;
    const log = fs.openSync(path.join(this.dir, 'worker.log'), 'w');
    const args = [...this.opt.workerNodeFlags, 'bin/kubeproof.js', 'worker', '--task-queue', this.taskQueue];
    this.worker = spawn(process.execPath, args, {
      cwd: ROOT,
      env: workerEnv(this.cliEnv),
      stdio: ['ignore', log, log],
    });
    // The worker logs once it polls; give it up to 60 s.
    for (let i = 0; i < 120; i++) {
      await new Promise((r) => setTimeout(r, 500));
      if (/RUNNING|polling|started|ready/i.test(fs.readFileSync(path.join(this.dir, 'worker.log'), 'utf8'))) return;
      if (this.worker.exitCode !== null)
        fail(`the standalone worker exited: ${fs.readFileSync(path.join(this.dir, 'worker.log'), 'utf8')}`);
    }
    fail('the standalone worker did not report that it started within 60 s');
  }

  stopWorker(): void {
    if (this.worker?.pid && this.worker.exitCode === null) this.worker.kill('SIGTERM');
  }

  /** One run of one tool; throws when the tool fails (the benchmark must not time a failure). */
  async once(tool: Tool, w: Workload): Promise<Omit<Sample, 'run' | 'warmup' | 'delay'>> {
    const id = `${this.tag}-${++this.seq}`;
    const file = (name: string, text: string) => {
      const p = path.join(this.dir, id, name);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return p;
    };
    let exit: Exit;
    let namespace: string | undefined;
    let scenario: string | undefined;
    let innerMs: number | undefined;
    let steps: Record<string, number> | undefined;
    if (tool === 'kubeproof') {
      scenario = `bench-peers-${id}`;
      const f = file('scenario.yaml', kubeproofScenario(w, scenario));
      const args = [
        'bin/kubeproof.js',
        'run',
        f,
        '--skip-baseline',
        '--ai',
        'off',
        '--json',
        '--task-queue',
        this.taskQueue,
      ];
      if (this.opt.worker === 'embedded') args.push('--embedded-worker');
      exit = await timed(process.execPath, args, { env: this.cliEnv, rss: true });
      try {
        const result = JSON.parse(exit.stdout) as {
          steps?: { name: string; durationMs: number }[];
          durationMs?: number;
        };
        steps = Object.fromEntries((result.steps ?? []).map((s) => [s.name, s.durationMs]));
        innerMs = result.durationMs;
      } catch {
        /* reported below through the exit code */
      }
    } else if (tool === 'kubectl') {
      namespace = `kubectl-${id}`;
      const f = file('all.yaml', kubectlManifest(w, namespace));
      const k = path.join(BIN, 'kubectl');
      const script = `set -e; ${k} apply -f ${f} >/dev/null; ${k} wait --for=condition=Available deployment --all -n ${namespace} --timeout=15m >/dev/null; ${k} delete ns ${namespace} --wait >/dev/null`;
      exit = await timed('bash', ['-c', script]);
    } else if (tool === 'kube-burner') {
      namespace = `burner-${id}`;
      const { config, template } = kubeBurnerConfig(w, namespace, this.opt.limits);
      const cfg = file('config.yml', config);
      file('deployment.yml', template);
      exit = await timed(path.join(BIN, 'kube-burner'), ['init', '-c', cfg, '--uuid', id], { cwd: path.dirname(cfg) });
    } else {
      namespace = `floor-${id}`;
      const args = ['--import', 'tsx', 'bench/floor/client.ts', '--n', String(w.n), '--namespace', namespace];
      if (w.readyDelay) args.push('--ready-delay', w.readyDelay);
      exit = await timed(process.execPath, args);
      if (exit.code === 0) innerMs = (JSON.parse(exit.stdout) as { ms: number }).ms;
    }
    if (exit.code !== 0)
      throw new Error(`${tool} failed (exit ${exit.code}) for N=${w.n}:\n${tail(exit.stderr || exit.stdout)}`);
    const leftovers = await this.leftovers(namespace, scenario);
    return { tool, n: w.n, wallMs: exit.wallMs, innerMs, steps, leftovers, peakRssMiB: exit.peakRssMiB };
  }

  /** What is still there right after the command exited; then waits (bounded) for it to go, untimed. */
  private async leftovers(namespace: string | undefined, scenario: string | undefined): Promise<string[]> {
    const { core } = connect();
    const look = async (): Promise<string[]> => {
      if (scenario) {
        const list = await core.listNamespace({
          labelSelector: `${Label.ManagedBy}=kubeproof,${Label.Scenario}=${scenario}`,
        });
        return list.items.map((ns) => `${ns.metadata?.name} (${ns.status?.phase})`);
      }
      const list = await core.listNamespace({ fieldSelector: `metadata.name=${namespace}` });
      return list.items.map((ns) => `${ns.metadata?.name} (${ns.status?.phase})`);
    };
    const found = await look();
    for (let i = 0; found.length > 0 && i < 120 && (await look()).length > 0; i++)
      await new Promise((r) => setTimeout(r, 1000));
    return found;
  }
}

function loadLine(): string {
  const [a, b, c] = os.loadavg();
  return `load average ${a!.toFixed(2)}, ${b!.toFixed(2)}, ${c!.toFixed(2)} (${os.cpus().length} cores)`;
}

function table(samples: Sample[], opt: Options): string {
  const timed = samples.filter((s) => !s.warmup);
  const of = (tool: Tool, n: number, delay: string) =>
    timed.filter((s) => s.tool === tool && s.n === n && s.delay === delay);
  const wall = (s: Sample) => (s.tool === 'floor' ? (s.innerMs ?? s.wallMs) : s.wallMs);
  const lines: string[] = [];
  const cols = opt.tools.map((t) => (t === 'floor' ? 'floor (in-process)' : t));
  const ratios = (['kube-burner', 'kubectl', 'floor'] as const).filter(
    (t) => opt.tools.includes(t) && opt.tools.includes('kubeproof'),
  );
  lines.push(
    `| N | ready delay | ${cols.join(' | ')} | ${ratios.map((r) => `kubeproof/${r}`).join(' | ')} | leftovers |`,
  );
  lines.push(`| ---: | --- | ${cols.map(() => '---:').join(' | ')} | ${ratios.map(() => '---:').join(' | ')} | --- |`);
  for (const n of opt.ns) {
    for (const d of opt.delays) {
      const delay = d ?? 'none';
      const cells = opt.tools.map((t) => {
        const ms = of(t, n, delay).map(wall);
        return ms.length ? spread(ms) : 'n/a';
      });
      const kpRuns = of('kubeproof', n, delay).map(wall);
      const kp = kpRuns.length ? median(kpRuns) : NaN;
      const r = ratios.map((t) => `${(kp / median(of(t, n, delay).map(wall))).toFixed(2)}×`);
      const left = timed.filter((s) => s.n === n && s.delay === delay && s.leftovers.length > 0);
      const leftText = left.length === 0 ? 'none' : left.map((s) => `${s.tool}: ${s.leftovers.join(', ')}`).join('; ');
      lines.push(`| ${n} | ${delay} | ${cells.join(' | ')} | ${r.join(' | ')} | ${leftText} |`);
    }
  }
  const kpSteps = timed.filter((s) => s.tool === 'kubeproof' && s.steps);
  if (kpSteps.length > 0) {
    lines.push(
      '',
      '| kubeproof N | ready delay | whole command | workflow | ' + Object.keys(kpSteps[0]!.steps!).join(' | ') + ' |',
    );
    lines.push(
      '| ---: | --- | ---: | ---: | ' +
        Object.keys(kpSteps[0]!.steps!)
          .map(() => '---:')
          .join(' | ') +
        ' |',
    );
    for (const n of opt.ns) {
      for (const d of opt.delays) {
        const delay = d ?? 'none';
        const runs = kpSteps.filter((s) => s.n === n && s.delay === delay);
        if (runs.length === 0) continue;
        const names = Object.keys(kpSteps[0]!.steps!);
        const cell = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s`;
        lines.push(
          `| ${n} | ${delay} | ${cell(runs.map((s) => s.wallMs))} | ${cell(runs.map((s) => s.innerMs ?? 0))} | ` +
            names.map((k) => cell(runs.map((s) => s.steps![k] ?? 0))).join(' | ') +
            ' |',
        );
      }
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opt = options();
  if (!process.env.KUBECONFIG)
    fail('KUBECONFIG is not set: start the stack (npm run stack:up) and `source .stack/env`');
  for (const t of opt.tools) {
    const bin = t === 'kube-burner' ? 'kube-burner' : t === 'kubectl' ? 'kubectl' : undefined;
    if (bin && !fs.existsSync(path.join(BIN, bin)))
      fail(
        `${path.join(BIN, bin)} is missing: run ${bin === 'kube-burner' ? 'bash scripts/build-kube-burner.sh' : 'npm run stack:up'}`,
      );
  }
  const bench = new Bench(opt);
  const samples: Sample[] = [];
  const started = new Date();
  const loadBefore = loadLine();
  let workerPeak: number | undefined;
  let workerCpu: number | undefined;
  try {
    await bench.startWorker();
    for (const n of opt.ns) {
      for (const d of opt.delays) {
        for (let run = 0; run < opt.warmup + opt.runs; run++) {
          // Alternate the order: each run starts with the next tool.
          const order = opt.tools.map((_, i) => opt.tools[(i + run) % opt.tools.length]!);
          for (const tool of order) {
            const s = await bench.once(tool, { n, readyDelay: d });
            const sample: Sample = { ...s, delay: d ?? 'none', run, warmup: run < opt.warmup };
            samples.push(sample);
            console.error(
              `[bench/peers] N=${n} delay=${sample.delay} run ${run}${sample.warmup ? ' (warm-up)' : ''} ${tool}: ${(s.wallMs / 1000).toFixed(2)} s` +
                (s.innerMs !== undefined ? ` (inner ${(s.innerMs / 1000).toFixed(2)} s)` : '') +
                (s.peakRssMiB !== undefined ? ` peak RSS ${s.peakRssMiB.toFixed(0)} MiB` : '') +
                (tool === 'kubeproof' && bench.workerPeakRss() !== undefined
                  ? ` worker peak RSS ${bench.workerPeakRss()!.toFixed(0)} MiB`
                  : '') +
                (s.leftovers.length ? ` LEFTOVERS ${s.leftovers.join(', ')}` : ''),
            );
          }
        }
      }
    }
  } finally {
    workerPeak = bench.workerPeakRss();
    workerCpu = bench.workerCpuSeconds();
    bench.stopWorker();
  }
  const kpRss = samples.flatMap((s) => (s.peakRssMiB === undefined ? [] : [s.peakRssMiB]));
  const report = [
    `bench/peers ${started.toISOString()}; runs=${opt.runs} after ${opt.warmup} warm-up; kubeproof worker: ${opt.worker}; cli: ${opt.cli}; kube-burner qps ${opt.limits.qps} burst ${opt.limits.burst}`,
    `peak RSS: kubeproof command max ${kpRss.length ? `${Math.max(...kpRss).toFixed(0)} MiB` : 'n/a'}` +
      (workerPeak !== undefined
        ? `; standalone worker ${workerPeak.toFixed(0)} MiB` +
          ` (${[...(opt.workerNodeFlags.length ? [`node ${opt.workerNodeFlags.join(' ')}`] : []), describeArenas(workerEnv())].join(', ')})` +
          `, CPU ${workerCpu?.toFixed(1) ?? 'n/a'} s`
        : ''),
    `before: ${loadBefore}; after: ${loadLine()}`,
    '',
    table(samples, opt),
  ].join('\n');
  console.log(report);
  if (opt.out)
    fs.writeFileSync(
      opt.out,
      JSON.stringify(
        { started, options: opt, samples, workerPeakRssMiB: workerPeak, workerCpuSeconds: workerCpu },
        null,
        2,
      ),
    );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`bench/peers failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
