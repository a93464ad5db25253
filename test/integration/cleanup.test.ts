/**
 * Cleanup on the real control plane: the run's namespaces, found by name and by label, are deleted and followed
 * with a watch until they are gone, rather than listing their whole content again every 250 ms; what cannot go
 * before the deadline is reported with its content.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import type { KubeClients } from '../../src/k8s/client';
import { connect } from '../../src/k8s/client';
import { deleteRun } from '../../src/k8s/cleanup';
import { applyService } from '../../src/k8s/deploy';
import { namespaceName, renderNamespace } from '../../src/k8s/render';
import { stack } from '../helpers/env';
import { serviceSpec } from '../helpers/service';

const HOLD = 'kubeproof.dev/test-hold';

const web = serviceSpec('web', { replicas: 2, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });

/** The clients, with every call to the named methods counted. */
function counting(clients: KubeClients, calls: Map<string, number>): KubeClients {
  const wrap = <T extends object>(api: T): T =>
    new Proxy(api, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return { ...clients, core: wrap(clients.core), apps: wrap(clients.apps) };
}

describe('cleanup of a run', () => {
  let clients: KubeClients;
  const held: { namespace: string; name: string }[] = [];
  before(() => {
    clients = connect({ kubeconfig: stack.kubeconfig });
  });
  const release = (namespace: string, name: string) =>
    clients.core.patchNamespacedConfigMap(
      { namespace, name, body: { metadata: { finalizers: null } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  after(async () => {
    for (const { namespace, name } of held) await release(namespace, name).catch(() => undefined);
  });

  it('deletes the named and the labelled namespaces, lists their content once, and waits until both are gone', async () => {
    const workflowId = `cleanup-${randomUUID().slice(0, 8)}`;
    const run = { runId: `clean-${randomUUID().slice(0, 12)}`, scenario: 'cleanup-test', workflowId };
    const named = namespaceName(run);
    // A second namespace of the same run under another name, found only by its label and workflow annotation.
    const extra = renderNamespace(run);
    extra.metadata!.name = `${named}-extra`;
    await clients.core.createNamespace({ body: renderNamespace(run) });
    await clients.core.createNamespace({ body: extra });
    await applyService(clients, run, web);

    const calls = new Map<string, number>();
    const started = Date.now();
    const result = await deleteRun(counting(clients, calls), { runKey: run.runId, namespace: named, workflowId });
    const elapsed = Date.now() - started;

    assert.deepEqual(result.left, []);
    for (const expected of [`Namespace/${named}`, `Namespace/${named}-extra`, `Deployment/${named}/web`]) {
      assert.ok(result.deleted.includes(expected), `${expected} in ${result.deleted.join(', ')}`);
    }
    for (const name of [named, `${named}-extra`]) {
      await assert.rejects(clients.core.readNamespace({ name }), (e: { code?: number }) => e.code === 404, name);
    }
    // The content was listed once per namespace, for the report, and the wait followed the namespaces with a
    // watch: three looks by label and by name (before, after deleting, when all are gone), and per namespace one
    // read to open its watch and one per quiet two seconds. A 250 ms poll reads each namespace four times a second.
    assert.equal(calls.get('listNamespacedPod'), 2, 'pods listed once per namespace');
    assert.equal(calls.get('listNamespacedDeployment'), 2, 'deployments listed once per namespace');
    const looks = (calls.get('readNamespace') ?? 0) + (calls.get('listNamespace') ?? 0);
    assert.ok(looks <= 3 * 2 + 2 * (1 + Math.ceil(elapsed / 2000)), `${looks} namespace reads in ${elapsed} ms`);
  });

  it('reports a namespace that cannot drain before the deadline, with what still holds it', async () => {
    const run = { runId: `held-${randomUUID().slice(0, 12)}`, scenario: 'cleanup-test' };
    const namespace = namespaceName(run);
    await clients.core.createNamespace({ body: renderNamespace(run) });
    // A finalizer nobody removes keeps the ConfigMap, and so its namespace, until the test lets it go.
    await clients.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'held', finalizers: [HOLD] }, data: { why: 'keeps the namespace Terminating' } },
    });
    held.push({ namespace, name: 'held' });

    const result = await deleteRun(clients, { runKey: run.runId, namespace }, { timeoutMs: 3_000 });

    assert.deepEqual(result.left, [`Namespace/${namespace}`, `ConfigMap/${namespace}/held`]);
    assert.ok(
      result.durationMs >= 3_000 && result.durationMs < 8_000,
      `waited until the deadline, not longer (${result.durationMs} ms)`,
    );
    const ns = await clients.core.readNamespace({ name: namespace });
    assert.ok(ns.metadata?.deletionTimestamp, 'the namespace is being deleted');

    // Once the finalizer goes, the same cleanup (compensation may run it again) finds the namespace gone.
    await release(namespace, 'held');
    const again = await deleteRun(clients, { runKey: run.runId, namespace }, { timeoutMs: 60_000 });
    assert.deepEqual(again.left, []);
    await assert.rejects(clients.core.readNamespace({ name: namespace }), (e: { code?: number }) => e.code === 404);
  });
});
