/**
 * Cluster readiness checks against the live local stack, each in a test namespace of its own (label
 * kubeproof-test.dev/suite=h6-checks, deleted at the end).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';

import { runCheck } from '../../src/checks';
import type { ClusterCheckContext } from '../../src/checks';
import { apiLatencyCheck } from '../../src/checks/api-latency';
import { pdbCheck } from '../../src/checks/pdb';
import { podSecurityCheck } from '../../src/checks/pod-security';
import { connect } from '../../src/k8s/client';
import { runLabels } from '../../src/k8s/render';
import { stack } from '../helpers/env';

const suite = 'h6-checks';
const created: string[] = [];
const admin = () => connect({ kubeconfig: stack.kubeconfig });

async function testNamespace(labels: Record<string, string> = {}): Promise<ClusterCheckContext> {
  const name = `${suite}-${randomUUID().slice(0, 8)}`;
  const run = runLabels({ runId: name, scenario: suite });
  await admin().core.createNamespace({
    body: { metadata: { name, labels: { ...run, ...labels, 'kubeproof-test.dev/suite': suite } } },
  });
  created.push(name);
  return { clients: admin(), namespace: name, labels: run, pods: [] };
}

after(async () => {
  await Promise.allSettled(created.map((name) => admin().core.deleteNamespace({ name })));
});

/**
 * A loopback TCP proxy in front of the API server that holds every chunk, in both directions, for `delayMs`
 * before passing it on, in order. TLS passes through untouched.
 */
async function slowProxy(target: URL, delayMs: number): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const relay = (from: net.Socket, to: net.Socket) => {
      let chain = Promise.resolve();
      from.on('data', (chunk) => {
        chain = chain
          .then(() => new Promise((resolve) => setTimeout(resolve, delayMs)))
          .then(() => {
            if (!to.destroyed) to.write(chunk);
          });
      });
      from.on('end', () => void chain.then(() => to.end()));
      from.on('error', () => to.destroy());
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('cluster readiness checks on the local stack', () => {
  it('sees an eviction that would break a PodDisruptionBudget refused with 429, and an allowed one replaced', async () => {
    const ctx = await testNamespace();
    const result = await runCheck(pdbCheck, ctx);
    assert.equal(result.status, 'pass', result.reason);
    const evidence = result.evidence as { violatingEviction: { status: number }; allowedEviction: { status: number } };
    assert.equal(evidence.violatingEviction.status, 429);
    assert.equal(evidence.allowedEviction.status, 201);
    const left = await admin()
      .config.makeApiClient(k8s.PolicyV1Api)
      .listNamespacedPodDisruptionBudget({ namespace: ctx.namespace });
    assert.equal(left.items.length, 0, 'the check deletes its PDB');
  });

  it('sees a privileged pod refused in a namespace that enforces restricted', async () => {
    const ctx = await testNamespace({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const result = await runCheck(podSecurityCheck, ctx);
    assert.equal(result.status, 'pass', result.reason);
    assert.equal((result.evidence.refusal as { status: number }).status, 403);
    assert.equal((await admin().core.listNamespacedPod({ namespace: ctx.namespace })).items.length, 0);
  });

  it('warns when an unlabelled namespace admits a privileged pod', async () => {
    const ctx = await testNamespace();
    const result = await runCheck(podSecurityCheck, ctx);
    assert.equal(result.status, 'warn');
    assert.match(
      result.reason,
      /no pod-security\.kubernetes\.io\/enforce label and the cluster admitted a privileged pod/,
    );
    assert.equal((await admin().core.listNamespacedPod({ namespace: ctx.namespace })).items.length, 0, 'dry-run only');
  });

  it('passes the latency SLIs directly and fails them through a proxy that delays every chunk', async () => {
    const ctx = await testNamespace();
    const fast = await runCheck(apiLatencyCheck({ burst: 3 }), ctx);
    assert.equal(fast.status, 'pass', fast.reason);

    const server = new URL(admin().server);
    const proxy = await slowProxy(server, 600);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${suite}-`));
    try {
      const config = new k8s.KubeConfig();
      config.loadFromFile(stack.kubeconfig);
      const cluster = config.getCurrentCluster();
      assert.ok(cluster);
      const slowConfig = new k8s.KubeConfig();
      slowConfig.loadFromOptions({
        clusters: [{ ...cluster, server: `https://127.0.0.1:${proxy.port}` }],
        users: config.users,
        contexts: config.contexts,
        currentContext: config.currentContext,
      });
      const file = path.join(dir, 'kubeconfig');
      fs.writeFileSync(file, slowConfig.exportConfig(), { mode: 0o600 });
      const slow = await runCheck(apiLatencyCheck({ burst: 3 }), { ...ctx, clients: connect({ kubeconfig: file }) });
      assert.equal(slow.status, 'fail', slow.reason);
      assert.match(slow.reason, /mutating.* calls over the SLO/);
      const p99 = (slow.evidence.p99Ms as { mutating: number }).mutating;
      assert.ok(p99 > 1000, `mutating p99 ${p99} ms`);
    } finally {
      proxy.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
