/**
 * Connection reuse in src/k8s/client.ts: the same GET, N times, through client-node as shipped (a new TLS
 * connection per request) and through kubeproof's connect() (one keep-alive agent). Prints both and the ratio.
 * Run against the local stack: `source .stack/env && node --import tsx bench/api-keepalive.ts [N]`.
 */
import { performance } from 'node:perf_hooks';
import * as k8s from '@kubernetes/client-node';
import { connect } from '../src/k8s/client';

const n = Math.min(Number(process.argv[2] ?? 200), 2000);

async function time(label: string, core: k8s.CoreV1Api): Promise<number> {
  await core.readNamespace({ name: 'default' }); // warm-up: DNS, first handshake, JIT
  const started = performance.now();
  for (let i = 0; i < n; i++) await core.readNamespace({ name: 'default' });
  const perCall = (performance.now() - started) / n;
  console.log(`${label.padEnd(34)} ${perCall.toFixed(3)} ms per GET (${n} sequential)`);
  return perCall;
}

async function main(): Promise<void> {
  const kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) throw new Error('KUBECONFIG is not set: `source .stack/env` first');
  const plain = new k8s.KubeConfig();
  plain.loadFromFile(kubeconfig);
  const fresh = await time('client-node default (new TLS each)', plain.makeApiClient(k8s.CoreV1Api));
  const reused = await time('kubeproof connect() (keep-alive)', connect({ kubeconfig }).core);
  console.log(`ratio default/keep-alive: ${(fresh / reused).toFixed(2)}x`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
