/**
 * Health attribution on the real control plane: services `api` and `api-gateway` in one namespace, where every
 * name of the gateway's objects starts with `api-`. `api` must not be credited with the gateway's pods, events
 * or endpoints.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClients } from '../../src/k8s/client';
import { connect } from '../../src/k8s/client';
import { applyService } from '../../src/k8s/deploy';
import { checkHealth } from '../../src/k8s/health';
import { Label, namespaceName, renderNamespace, serviceSelector } from '../../src/k8s/render';
import { stack } from '../helpers/env';
import { serviceSpec } from '../helpers/service';

const run = { runId: `attr-${randomUUID().slice(0, 12)}`, scenario: 'attribution-test' };
const namespace = namespaceName(run);

const spec = (name: string, replicas: number) =>
  serviceSpec(name, { replicas, ports: [{ port: 80, protocol: 'TCP' }] });
const api = spec('api', 1);
const gateway = spec('api-gateway', 3);

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('health attribution with services api and api-gateway', () => {
  let clients: KubeClients;
  before(async () => {
    clients = connect({ kubeconfig: stack.kubeconfig });
    await clients.core.createNamespace({ body: renderNamespace(run) });
    for (const svc of [api, gateway]) await applyService(clients, run, svc);
    await eventually(async () => {
      const slices = await clients.discovery.listNamespacedEndpointSlice({ namespace });
      const ready = slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
      return ready.length >= 4 ? true : undefined;
    }, 'both services to have ready endpoints');
  });
  after(async () => {
    await clients?.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await eventually(
      () =>
        clients.core.readNamespace({ name: namespace }).then(
          () => undefined,
          () => true,
        ),
      `namespace ${namespace} to be gone`,
      120_000,
    );
  });

  it("does not credit api with the gateway's pods, events or endpoints", async () => {
    const gatewayPods = await clients.core.listNamespacedPod({
      namespace,
      labelSelector: serviceSelector(run.runId, gateway.name),
    });
    const gatewayPod = gatewayPods.items[0]!.metadata!.name!;
    const replicaSets = await clients.apps.listNamespacedReplicaSet({
      namespace,
      labelSelector: `${Label.Name}=${gateway.name}`,
    });
    const gatewayReplicaSet = replicaSets.items[0]!.metadata!.name!;
    assert.ok(gatewayPod.startsWith('api-') && gatewayReplicaSet.startsWith('api-'), 'the look-alike names exist');
    for (const [kind, name, reason] of [
      ['Pod', gatewayPod, 'GatewayPodWarning'],
      ['ReplicaSet', gatewayReplicaSet, 'GatewayReplicaSetWarning'],
    ] as const) {
      await clients.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${name}.${randomUUID().slice(0, 8)}`, namespace },
          involvedObject: { kind, name, namespace, apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1' },
          reason,
          message: `planted by the attribution test on ${kind}/${name}`,
          type: 'Warning',
          count: 1,
          firstTimestamp: new Date(),
          lastTimestamp: new Date(),
          source: { component: 'kubeproof-test' },
        },
      });
    }

    const report = await checkHealth(clients, run, [api, gateway], { probeLoopbackOnly: true });
    const [apiHealth, gatewayHealth] = report.services;
    assert.equal(apiHealth?.service, 'api');
    assert.deepEqual(apiHealth?.endpoints, { ready: 1, notReady: 0 });
    assert.equal(apiHealth?.desiredReplicas, 1);
    assert.deepEqual(
      apiHealth?.warningEvents.filter((e) => e.reason.startsWith('Gateway')),
      [],
      'api got none of the gateway events',
    );
    assert.deepEqual(gatewayHealth?.endpoints, { ready: 3, notReady: 0 });
    assert.deepEqual(gatewayHealth?.warningEvents.map((e) => e.reason).sort(), [
      'GatewayPodWarning',
      'GatewayReplicaSetWarning',
    ]);
  });

  it("reports kube-apiserver's ClusterIP repair race on a Service as not counted, and the run stays clean", async () => {
    const service = await clients.core.readNamespacedService({ name: api.name, namespace });
    const ip = service.spec?.clusterIP;
    assert.ok(ip, 'the Service has a ClusterIP');
    // The text the repair loop writes (repairip.go), on the object it writes it about.
    const message = `Cluster IP [IPv4]: ${ip} is not allocated; repairing`;
    await clients.core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `${api.name}.${randomUUID().slice(0, 8)}`, namespace },
        involvedObject: { kind: 'Service', name: api.name, namespace, apiVersion: 'v1' },
        reason: 'ClusterIPNotAllocated',
        message,
        type: 'Warning',
        count: 1,
        firstTimestamp: new Date(),
        lastTimestamp: new Date(),
        source: { component: 'kube-apiserver' },
      },
    });
    const report = await checkHealth(clients, run, [api], { probeLoopbackOnly: true });
    const apiHealth = report.services[0];
    assert.deepEqual(apiHealth?.warningEvents, [], 'not a warning about api');
    assert.deepEqual(
      apiHealth?.controlPlaneNotices?.map((n) => [n.object, n.reason, n.message]),
      [[`Service/${api.name}`, 'ClusterIPNotAllocated', message]],
    );
  });
});
