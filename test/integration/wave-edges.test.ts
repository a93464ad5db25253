/**
 * A wave that awaits its own dependency edges (src/k8s/deploy.ts `deployWave` with `dependencies`), on the real
 * control plane: nothing of the wave is applied before its dependency is Ready, and a dependency that never gets
 * there ends the wave with the edge it gave up on and nothing of the wave in the cluster.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { KubeClients } from '../../src/k8s/client';
import { connect } from '../../src/k8s/client';
import { deleteRun } from '../../src/k8s/cleanup';
import { applyNamespace, deployWave, type DependencyEdge } from '../../src/k8s/deploy';
import { namespaceName, type RunIdentity } from '../../src/k8s/render';
import type { ServiceSpec } from '../../src/scenarios/schema';
import { stack } from '../helpers/env';
import { serviceSpec } from '../helpers/service';

const edge = (dependency: ServiceSpec, neededBy: string, timeoutMs: number): DependencyEdge => ({
  service: dependency.name,
  neededBy,
  condition: 'ready',
  replicas: dependency.replicas,
  hasPorts: false,
  timeoutMs,
});

describe('a wave awaiting its own dependency edges', () => {
  let clients: KubeClients;
  const runs: RunIdentity[] = [];
  before(() => {
    clients = connect({ kubeconfig: stack.kubeconfig });
  });
  after(async () => {
    const results = await Promise.all(
      runs.map((run) => deleteRun(clients, { runKey: run.runId, namespace: namespaceName(run) })),
    );
    assert.deepEqual(
      results.flatMap((r) => r.left),
      [],
    );
  });

  async function newRun(): Promise<RunIdentity> {
    const run = { runId: randomUUID().slice(0, 12), scenario: 'wave-edges' };
    runs.push(run);
    await applyNamespace(clients, run);
    return run;
  }

  /**
   * Starts the wave of `dependency` and, at once, a wave of `backend` that needs it Ready within `timeoutMs`; resolves
   * when the second wave has ended, with when it was applied (undefined when it never was).
   */
  async function twoWaves(run: RunIdentity, dependency: ServiceSpec, timeoutMs: number) {
    const first = deployWave(clients, {
      run,
      services: [dependency],
      timeoutsMs: { [dependency.name]: timeoutMs },
      notBefore: 0,
    });
    let appliedAt: number | undefined;
    const second = await deployWave(
      clients,
      {
        run,
        services: [serviceSpec('backend')],
        timeoutsMs: { backend: 30_000 },
        notBefore: Date.now(),
        dependencies: [edge(dependency, 'backend', timeoutMs)],
      },
      { onApplied: () => (appliedAt = Date.now()) },
    );
    return { first, second, appliedAt };
  }

  it('applies the wave only once its dependency is Ready, started while the dependency was still on its way', async () => {
    const run = await newRun();
    const database = serviceSpec('database', { podAnnotations: { 'kubeproof.dev/ready-delay': '2s' } });
    const startedAt = Date.now();
    const { first, second, appliedAt } = await twoWaves(run, database, 30_000);
    const dependency = (await first).services[0]!;

    assert.equal(second.blocked, undefined);
    assert.equal(second.services[0]?.state, 'met');
    assert.equal(dependency.state, 'met');
    const databaseReady = dependency.pods[0]!.readyAt!;
    assert.ok(startedAt < databaseReady - 1000, 'the second wave was waiting while the dependency was on its way');
    const backendCreated = second.services[0].pods[0]!.createdAt;
    assert.ok(appliedAt! >= databaseReady, `backend applied ${appliedAt! - databaseReady} ms after database was Ready`);
    assert.ok(backendCreated >= databaseReady, 'the dependent pod was created after its dependency was Ready');
  });

  it('gives up on a dependency that never gets Ready, naming the edge, with nothing of the wave applied', async () => {
    const run = await newRun();
    const database = serviceSpec('database', { podLabels: { 'kubeproof.dev/simulate': 'never-ready' } });
    const started = Date.now();
    const { first, second, appliedAt } = await twoWaves(run, database, 3000);
    await first;

    assert.deepEqual(
      { ...second.blocked, reason: undefined },
      { service: 'database', neededBy: 'backend', condition: 'ready', state: 'timeout', reason: undefined },
    );
    assert.match(second.blocked?.reason ?? '', /^0\/1 replicas ready after 3s waiting for "ready"/);
    assert.ok(Date.now() - started < 6000, 'it gives up at the edge timeout, not the wave timeout');
    assert.deepEqual(second.services, []);
    assert.equal(appliedAt, undefined);
    const backends = await clients.apps.listNamespacedDeployment({
      namespace: namespaceName(run),
      labelSelector: 'app.kubernetes.io/name=backend',
    });
    assert.deepEqual(
      backends.items.map((d) => d.metadata?.name),
      [],
      'no Deployment of the wave that gave up',
    );
  });
});
