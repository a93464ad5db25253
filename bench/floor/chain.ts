/**
 * The critical-path floor: a 4-service dependency chain (svc-3 needs svc-2 Ready, …, svc-0 first) where every
 * pod becomes Ready exactly 2 s after it is scheduled (KWOK `kubeproof.dev/ready-delay: 2s`). The floor client
 * creates each Deployment the moment the previous pod is Ready, over one keep-alive connection with one watch,
 * so the chain can finish no sooner than Σ delays (8 s) + the measured propagation per edge.
 * The same chain then runs through kubeproof (`run --skip-baseline --ai off --embedded-worker --json`, the
 * compiled CLI when dist/ is built, no cluster readiness checks: `checks: []`), whose deploy step is compared with
 * it, and through the equivalent kubectl script (apply, `wait --for=condition=Available` per link, delete the
 * namespace with --wait), whose whole time is compared with kubeproof's whole command.
 *
 * `source .stack/env && node --import tsx bench/floor/chain.ts [--runs 3] [--skip-kubeproof]`
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { connect } from '../../src/k8s/client';
import { median } from '../peers/stats';
import { deployment, IMAGE, READY_DELAY_ANNOTATION, serviceName } from '../peers/workloads';

const LENGTH = 4;
const DELAY_MS = 2000;
const ROOT = path.resolve(__dirname, '../..');

const isReady = (pod: k8s.V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Wall time of the whole chain, from the first create to the last pod Ready, and each link's time. */
async function floorChain(namespace: string): Promise<{ totalMs: number; linksMs: number[] }> {
  const { core, apps, watch } = connect();
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const waiters = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  let ended: Error | undefined;
  const seen = new Set<string>();
  const controller = await watch.watch(
    `/api/v1/namespaces/${namespace}/pods`,
    {},
    (_type, pod: k8s.V1Pod) => {
      const app = pod.metadata?.labels?.app;
      if (app && isReady(pod) && !seen.has(app)) {
        seen.add(app);
        waiters.get(app)?.resolve();
      }
    },
    // The floor has one watch and no re-list: if it ends (refused, closed, reset), the chain cannot finish.
    (error: unknown) => {
      ended = new Error(`the floor client's pod watch ended: ${error instanceof Error ? error.message : 'closed'}`);
      for (const waiter of waiters.values()) waiter.reject(ended);
    },
  );
  const linksMs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < LENGTH; i++) {
    const name = serviceName(i);
    if (ended) throw ended;
    const ready = new Promise<void>((resolve, reject) => waiters.set(name, { resolve, reject }));
    const start = performance.now();
    await apps.createNamespacedDeployment({ namespace, body: deployment({ n: 1, readyDelay: '2s' }, namespace, name) });
    await ready;
    linksMs.push(performance.now() - start);
  }
  const totalMs = performance.now() - t0;
  controller.abort();
  await core.deleteNamespace({ name: namespace });
  return { totalMs, linksMs };
}

function kubeproofChain(dir: string, i: number): { deployMs: number; wallMs: number } {
  const name = `bench-chain-${process.pid}-${i}`;
  const services = Array.from({ length: LENGTH }, (_, k) => ({
    name: serviceName(k),
    image: IMAGE,
    replicas: 1,
    podAnnotations: { [READY_DELAY_ANNOTATION]: '2s' },
    ...(k > 0 ? { dependsOn: [{ service: serviceName(k - 1), condition: 'ready' }] } : {}),
  }));
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(
    file,
    stringify({
      apiVersion: 'kubeproof.dev/v1',
      kind: 'Scenario',
      metadata: { name },
      spec: { samples: 1, checks: [], services },
    }),
  );
  const args = ['bin/kubeproof.js', 'run', file, '--skip-baseline', '--ai', 'off', '--json', '--embedded-worker'];
  const started = performance.now();
  const r = spawnSync(process.execPath, [...args, '--task-queue', `bench-chain-${process.pid}`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KUBEPROOF_COMPILED: fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')) ? '1' : '0' },
  });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`kubeproof run failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const result = JSON.parse(r.stdout) as { steps: { name: string; durationMs: number }[] };
  const deploy = result.steps.find((s) => s.name === 'deploy');
  if (!deploy) throw new Error('kubeproof result has no deploy step');
  return { deployMs: deploy.durationMs, wallMs };
}

/** The chain as a kubectl script: each link applied once the previous one is Available, then the namespace deleted. */
function kubectlChain(dir: string, i: number): number {
  const namespace = `kubectl-chain-${process.pid}-${i}`;
  const kubectl = path.join(
    process.env.KUBEPROOF_CACHE ?? path.join(os.homedir(), '.cache/kubeproof'),
    'bin',
    'kubectl',
  );
  const steps = [`${kubectl} create namespace ${namespace} >/dev/null`];
  for (let k = 0; k < LENGTH; k++) {
    const file = path.join(dir, `${namespace}-${k}.yaml`);
    const w = { n: 1, readyDelay: '2s' };
    fs.writeFileSync(file, stringify(deployment(w, namespace, serviceName(k))));
    steps.push(
      `${kubectl} apply -f ${file} >/dev/null`,
      `${kubectl} wait --for=condition=Available deployment/${serviceName(k)} -n ${namespace} --timeout=5m >/dev/null`,
    );
  }
  steps.push(`${kubectl} delete ns ${namespace} --wait >/dev/null`);
  const started = performance.now();
  const r = spawnSync('bash', ['-c', `set -e; ${steps.join('; ')}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl chain failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive whole number');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-chain-'));
  const floor: number[] = [];
  const kp: number[] = [];
  const kpWall: number[] = [];
  const kubectlWall: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternating order: odd runs start with kubeproof and kubectl.
    const withPeers = () => {
      if (process.argv.includes('--skip-kubeproof')) return;
      const k = kubeproofChain(dir, i);
      kp.push(k.deployMs);
      kpWall.push(k.wallMs);
      kubectlWall.push(kubectlChain(dir, i));
    };
    if (i % 2 === 1) withPeers();
    floor.push((await floorChain(`floor-chain-${process.pid}-${i}`)).totalMs);
    if (i % 2 === 0) withPeers();
  }
  const floorMs = median(floor);
  const perEdge = (ms: number) => (ms - LENGTH * DELAY_MS) / LENGTH;
  console.log(`4-service chain, exact 2 s ready delays, ${runs} runs (medians):`);
  console.log(`  floor client: ${(floorMs / 1000).toFixed(2)} s = 8 s + ${perEdge(floorMs).toFixed(0)} ms per edge`);
  if (kp.length > 0) {
    const d = median(kp);
    console.log(
      `  kubeproof deploy step: ${(d / 1000).toFixed(2)} s = 8 s + ${perEdge(d).toFixed(0)} ms per edge ` +
        `(${(perEdge(d) - perEdge(floorMs)).toFixed(0)} ms per edge above the floor); whole command ${(median(kpWall) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  kubectl script (apply, wait Available per link, delete ns --wait): ${(median(kubectlWall) / 1000).toFixed(1)} s; ` +
        `kubeproof/kubectl whole ${(median(kpWall) / median(kubectlWall)).toFixed(2)}×`,
    );
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`bench/floor/chain failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
