/**
 * The floor: what the control plane itself allows for N Deployments × 1 replica. One keep-alive connection
 * (src/k8s/client.ts's shared agent), every object created concurrently, one watch on the namespace's pods,
 * then the namespace deleted and watched until it is gone. No rate limit, no retries, no bookkeeping.
 *
 * `source .stack/env && node --import tsx bench/floor/client.ts --n 100 [--ready-delay 2s]`
 * Prints one JSON line: {"n":100,"readyDelay":null,"ms":..., "applyMs":..., "readyMs":..., "deleteMs":...}.
 * `ms` is measured inside the process (after start-up), so it is the control plane's pace, not node's.
 */
import type * as k8s from '@kubernetes/client-node';
import { connect } from '../../src/k8s/client';
import { deployment, serviceName, type Workload } from '../peers/workloads';

const isReady = (pod: k8s.V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Resolves when `done()` says so for an event of a watch on `path`; rejects when the watch ends first. */
async function watchUntil<T>(
  watch: k8s.Watch,
  path: string,
  query: Record<string, string>,
  done: (type: string, obj: T) => boolean,
): Promise<{ promise: Promise<void>; abort: () => void }> {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let finished = false;
  const controller = await watch.watch(
    path,
    query,
    (type, obj: T) => {
      if (!finished && done(type, obj)) {
        finished = true;
        resolve();
      }
    },
    (err) => {
      if (!finished) reject(err ?? new Error(`watch on ${path} ended early`));
    },
  );
  return { promise, abort: () => controller.abort() };
}

export async function floorRun(w: Workload, namespace: string): Promise<Record<string, number>> {
  const { core, apps, watch } = connect();
  const t0 = performance.now();
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const ready = new Set<string>();
  const pods = await watchUntil<k8s.V1Pod>(watch, `/api/v1/namespaces/${namespace}/pods`, {}, (type, pod) => {
    const name = pod.metadata?.name ?? '';
    if (type !== 'DELETED' && isReady(pod)) ready.add(name);
    else ready.delete(name);
    return ready.size >= w.n;
  });
  await Promise.all(
    Array.from({ length: w.n }, (_, i) =>
      apps.createNamespacedDeployment({
        namespace,
        body: deployment(w, namespace, serviceName(i)),
      }),
    ),
  );
  const t1 = performance.now();
  await pods.promise;
  pods.abort();
  const t2 = performance.now();
  const gone = await watchUntil<k8s.V1Namespace>(
    watch,
    '/api/v1/namespaces',
    { fieldSelector: `metadata.name=${namespace}` },
    (type) => type === 'DELETED',
  );
  await core.deleteNamespace({ name: namespace });
  await gone.promise;
  gone.abort();
  const t3 = performance.now();
  return { ms: t3 - t0, applyMs: t1 - t0, readyMs: t2 - t1, deleteMs: t3 - t2 };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const n = Number(arg('n') ?? '10');
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive whole number, got ${arg('n')}`);
  const readyDelay = arg('ready-delay');
  const namespace = arg('namespace') ?? `floor-${process.pid}-${Date.now().toString(36)}`;
  const times = await floorRun({ n, readyDelay }, namespace);
  console.log(JSON.stringify({ n, readyDelay: readyDelay ?? null, namespace, ...times }));
  // The keep-alive agent holds idle sockets open; the measurement is done.
  process.exit(0);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`floor client failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
