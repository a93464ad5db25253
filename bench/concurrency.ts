/**
 * Many validations at once on one standalone worker (issue 14, item 5): N runs of a built-in scenario started
 * together, each for its own cluster name (all served by the worker from one clusters file, all the local stack),
 * then every run awaited and its leftovers listed. Prints passes, leftovers, wall time from the first start to
 * the last close and from the last start to the last close, throughput, per-run durations, each step's median
 * across the runs, the worker's peak RSS (VmHWM, sampled every 250 ms) and the CPU time each process of the stack
 * and the worker spent while the runs were open (utime + stime from /proc): where a shared bound sits. Also the
 * API server's requests in that window (apiserver_request_total from its /metrics, read with the stack's kubectl),
 * in total and the ten largest by verb and resource. The worker runs with the container image's MALLOC_ARENA_MAX
 * (bench/worker-env.ts); `MALLOC_ARENA_MAX=default` in the environment measures glibc's own arenas.
 *
 * `npm run stack:up && source .stack/env && node --import tsx bench/concurrency.ts [--runs 20] [--scenario
 *  web-app-stack] [--skip-baseline] [--cli compiled|tsx]`
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import * as k8s from '@kubernetes/client-node';
import { outcomeOf, startValidation } from '../src/client/validation';
import { runSelector } from '../src/k8s/render';
import { runKeyOf } from '../src/run/identity';
import { loadScenario } from '../src/scenarios';
import { cpuSeconds, peakRss } from './peers/proc';
import { max, median, min } from './peers/stats';
import { describeArenas, workerEnv } from './worker-env';

const ROOT = path.resolve(__dirname, '..');

/** The local stack's processes by name, from `.stack/pids/<name>.pid` ("pid starttime"). */
function stackPids(): Map<string, number> {
  const dir = path.join(ROOT, '.stack', 'pids');
  const pids = new Map<string, number>();
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const pid = Number(fs.readFileSync(path.join(dir, file), 'utf8').split(' ')[0]);
    if (Number.isInteger(pid) && pid > 0) pids.set(file.replace(/\.pid$/, ''), pid);
  }
  return pids;
}

/** apiserver_request_total summed by `VERB resource`, from kube-apiserver's /metrics. */
function apiRequests(): Map<string, number> {
  const kubectl = path.join(os.homedir(), '.cache', 'kubeproof', 'bin', 'kubectl');
  const text = execFileSync(kubectl, ['get', '--raw', '/metrics'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1] ?? '?';
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '?';
    const key = `${verb} ${resource}`;
    totals.set(key, (totals.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return totals;
}

function fail(message: string): never {
  console.error(`bench/concurrency: ${message}`);
  process.exit(2);
}

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      scenario: { type: 'string', default: 'web-app-stack' },
      'skip-baseline': { type: 'boolean', default: false },
      cli: { type: 'string', default: fs.existsSync(path.join(ROOT, 'dist')) ? 'compiled' : 'tsx' },
    },
  });
  const runs = Number(values.runs);
  // Bounded: every run holds a namespace and pods on the simulated nodes.
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) fail(`--runs is ${values.runs}: give 1 to 50`);
  if (values.cli !== 'compiled' && values.cli !== 'tsx') fail('--cli is compiled or tsx');
  for (const name of ['KUBECONFIG', 'TEMPORAL_ADDRESS']) {
    if (!process.env[name]) fail(`${name} is not set: \`source .stack/env\` first`);
  }
  return { runs, scenario: values.scenario, skipBaseline: values['skip-baseline'], cli: values.cli };
}

async function startWorker(taskQueue: string, clustersFile: string, cli: string, log: string): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ['bin/kubeproof.js', 'worker', '--task-queue', taskQueue], {
    cwd: ROOT,
    env: {
      ...workerEnv(),
      KUBEPROOF_COMPILED: cli === 'compiled' ? '1' : '0',
      KUBEPROOF_CLUSTERS_FILE: clustersFile,
      // Any free port: a worker of the stack or of a test may hold the default one.
      KUBEPROOF_METRICS_PORT: '0',
    },
    stdio: ['ignore', fs.openSync(log, 'w'), fs.openSync(log, 'a')],
  });
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (/RUNNING|polling|started|ready/i.test(fs.readFileSync(log, 'utf8'))) return worker;
    if (worker.exitCode !== null) fail(`the worker exited: ${fs.readFileSync(log, 'utf8')}`);
  }
  fail('the worker did not report that it started within 60 s');
}

async function leftovers(core: k8s.CoreV1Api, workflowId: string): Promise<number> {
  const { items } = await core.listNamespace({ labelSelector: runSelector(runKeyOf(workflowId)) });
  return items.length;
}

async function main(): Promise<void> {
  const opt = options();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-concurrency-'));
  const tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const taskQueue = `bench-concurrency-${tag}`;
  const names = Array.from({ length: opt.runs }, (_, i) => `bench-c${String(i).padStart(2, '0')}-${tag}`);
  const clustersFile = path.join(dir, 'clusters.yaml');
  fs.writeFileSync(
    clustersFile,
    `clusters:\n${names.map((n) => `  - name: ${n}\n    kubeconfig: ${process.env.KUBECONFIG}\n`).join('')}`,
  );
  const worker = await startWorker(taskQueue, clustersFile, opt.cli, path.join(dir, 'worker.log'));
  let workerPeak = 0;
  const sampler = setInterval(() => (workerPeak = Math.max(workerPeak, peakRss(worker.pid) ?? 0)), 250);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const scenario = loadScenario(opt.scenario);
  try {
    const processes = new Map([...stackPids(), ['kubeproof worker', worker.pid ?? 0]]);
    const cpuBefore = new Map([...processes].map(([name, pid]) => [name, cpuSeconds(pid)]));
    const requestsBefore = apiRequests();
    const t0 = performance.now();
    const handles = await Promise.all(
      names.map((clusterName) =>
        startValidation(client, {
          scenario,
          clusterName,
          ai: 'off',
          taskQueue,
          ...(opt.skipBaseline ? { skipBaseline: true } : {}),
        }),
      ),
    );
    const lastStart = performance.now();
    const results = await Promise.all(
      handles.map(async (handle) => {
        const outcome = await outcomeOf(handle);
        const closedAt = performance.now();
        return {
          ok: outcome.ok && outcome.result.verdict !== 'fail',
          verdict: outcome.ok
            ? [outcome.result.verdict, ...(outcome.result.verdictReasons ?? [])].join(': ')
            : outcome.message,
          durationMs: outcome.result?.durationMs ?? 0,
          steps: outcome.result?.steps ?? [],
          closedAt,
          left: await leftovers(core, handle.workflowId),
        };
      }),
    );
    const lastClose = Math.max(...results.map((r) => r.closedAt));
    const requests = [...apiRequests()]
      .map(([key, n]) => ({ key, n: n - (requestsBefore.get(key) ?? 0) }))
      .filter((r) => r.n > 0)
      .sort((a, b) => b.n - a.n);
    const cpu = [...processes].map(([name, pid]) => {
      const [before, after] = [cpuBefore.get(name), cpuSeconds(pid)];
      return { name, seconds: before !== undefined && after !== undefined ? after - before : undefined };
    });
    const durations = results.map((r) => r.durationMs / 1000);
    const passed = results.filter((r) => r.ok).length;
    const left = results.reduce((sum, r) => sum + r.left, 0);
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `${opt.runs} × ${opt.scenario}${opt.skipBaseline ? ' (baseline skipped)' : ''}, --ai off, one standalone ` +
        `worker (${opt.cli}, ${describeArenas(workerEnv())}), ${new Date().toISOString()}, load average ${load}`,
    );
    console.log(`  passed (verdict pass or warn): ${passed}/${opt.runs}; leftover namespaces: ${left}`);
    console.log(`  starting all runs: ${((lastStart - t0) / 1000).toFixed(1)} s`);
    console.log(`  first start → last close: ${((lastClose - t0) / 1000).toFixed(1)} s`);
    console.log(`  last start → last close: ${((lastClose - lastStart) / 1000).toFixed(1)} s`);
    console.log(`  throughput: ${((opt.runs / (lastClose - t0)) * 60_000).toFixed(1)} runs/min`);
    console.log(
      `  single runs (workflow time): min ${min(durations).toFixed(1)} s, median ${median(durations).toFixed(1)} s, ` +
        `max ${max(durations).toFixed(1)} s`,
    );
    const stepNames = [...new Set(results.flatMap((r) => r.steps.map((step) => step.name)))];
    console.log(
      `  steps (median across runs): ${stepNames
        .map((name) => {
          const times = results.flatMap((r) => r.steps.filter((st) => st.name === name).map((st) => st.durationMs));
          return `${name} ${(median(times) / 1000).toFixed(1)} s`;
        })
        .join(', ')}`,
    );
    console.log(`  worker peak RSS: ${workerPeak.toFixed(0)} MiB`);
    const windowS = (lastClose - t0) / 1000;
    console.log(
      `  CPU while the runs were open (${windowS.toFixed(0)} s × ${os.cpus().length} cores = ` +
        `${(windowS * os.cpus().length).toFixed(0)} core-seconds): ${cpu
          .map(({ name, seconds }) => `${name} ${seconds === undefined ? '?' : `${seconds.toFixed(1)} s`}`)
          .join(', ')}`,
    );
    console.log(
      `  API-server requests while the runs were open: ${requests.reduce((sum, r) => sum + r.n, 0)}; largest: ${requests
        .slice(0, 10)
        .map((r) => `${r.key} ${r.n}`)
        .join(', ')}`,
    );
    const failed = results.filter((r) => !r.ok);
    for (const r of failed) console.log(`  not passed: ${r.verdict}`);
    process.exitCode = failed.length > 0 || left > 0 ? 1 : 0;
  } finally {
    clearInterval(sampler);
    await connection.close();
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
