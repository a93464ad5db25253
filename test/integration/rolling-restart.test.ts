/**
 * The rolling-restart baseline on the real control plane: each sample runs from the patch to the moment every
 * replica of the new template is ready, found by watching the Deployment rather than reading it every 100 ms.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { KubeClients } from '../../src/k8s/client';
import { connect } from '../../src/k8s/client';
import { applyService } from '../../src/k8s/deploy';
import { measureRollingRestart } from '../../src/k8s/measure';
import { namespaceName, renderNamespace, serviceSelector } from '../../src/k8s/render';
import { stack } from '../helpers/env';
import { serviceSpec } from '../helpers/service';

const run = { runId: `roll-${randomUUID().slice(0, 12)}`, scenario: 'rolling-restart-test' };
const namespace = namespaceName(run);
const web = serviceSpec('web', { replicas: 2 });

describe('the rolling-restart baseline', () => {
  let clients: KubeClients;
  before(async () => {
    clients = connect({ kubeconfig: stack.kubeconfig });
    await clients.core.createNamespace({ body: renderNamespace(run) });
    await applyService(clients, run, web);
  });
  after(async () => {
    await clients?.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('times every rollout to its last ready replica, reading the Deployment only when the watch is quiet', async () => {
    let reads = 0;
    const counting: KubeClients = {
      ...clients,
      apps: new Proxy(clients.apps, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (key === 'readNamespacedDeployment' || key === 'listNamespacedDeployment') reads++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    };
    const started = Date.now();
    const result = await measureRollingRestart(counting, run, web, { samples: 3, sampleTimeoutMs: 60_000 });
    const elapsed = Date.now() - started;

    assert.equal(result.failures, 0);
    assert.equal(result.samples.length, 3);
    for (const sample of result.samples) assert.ok(sample > 0 && sample <= elapsed, `sample ${sample} ms`);
    // The last rollout really finished: both pods of the newest template are ready, the old ones gone.
    const pods = await clients.core.listNamespacedPod({
      namespace,
      labelSelector: serviceSelector(run.runId, web.name),
    });
    const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
    const restartedAt = new Set(live.map((p) => p.metadata?.annotations?.['kubeproof.dev/restarted-at']));
    assert.equal(restartedAt.size, 1, 'one template among the live pods');
    assert.match([...restartedAt][0] ?? '', /-2$/, 'the third restart');
    // One read to open the watch, and one per quiet two seconds at most; a 100 ms poll reads ten times a second.
    assert.ok(reads <= 1 + Math.ceil(elapsed / 2000), `${reads} reads of the Deployment in ${elapsed} ms`);
  });
});
