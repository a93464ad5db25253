/**
 * Preflight against the live local stack: refusals list what is missing and create nothing; a ServiceAccount
 * missing exactly one permission is told exactly that one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';

import { connect } from '../../src/k8s/client';
import { runPermissions, runPreflight } from '../../src/preflight';
import { loadScenario, parseScenarioData } from '../../src/scenarios';
import { stack } from '../helpers/env';

const prefix = 'h6-preflight';
const testLabel = { 'kubeproof-test.dev/suite': prefix };
const kubectl = path.join(os.homedir(), '.cache', 'kubeproof', 'bin', 'kubectl');

function scenarioRequiring(requires: Record<string, unknown>) {
  return parseScenarioData(
    {
      apiVersion: 'kubeproof.dev/v1',
      kind: 'Scenario',
      metadata: { name: 'needs-more' },
      spec: { requires, services: [{ name: 'web', image: 'nginx:1.27', replicas: 1 }] },
    },
    'test',
  );
}

async function namespaceExists(name: string): Promise<boolean> {
  return connect({ kubeconfig: stack.kubeconfig })
    .core.readNamespace({ name })
    .then(() => true)
    .catch(() => false);
}

describe('preflight on the local stack', () => {
  const admin = () => connect({ kubeconfig: stack.kubeconfig });
  const runNamespace = `kp-needs-more-${randomUUID().slice(0, 8)}`;

  it('passes the gpu-inference built-in on the stack, which has a GPU node', async () => {
    const scenario = loadScenario('gpu-inference');
    const result = await runPreflight(admin(), { scenario, namespace: runNamespace, baselineTarget: 'inference' });
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.match(result.serverVersion ?? '', /^v1\.\d+/);
    assert.equal(result.fingerprint?.simulated, true);
    assert.ok((result.fingerprint?.allocatable.extended['nvidia.com/gpu'] ?? 0) >= 1);
  });

  it('refuses a scenario that needs 64-CPU nodes, saying what it saw, and creates nothing', async () => {
    const result = await runPreflight(admin(), {
      scenario: scenarioRequiring({ minNodes: 3, minNodeCpu: '64' }),
      namespace: runNamespace,
    });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.problems.map((p) => p.what),
      ['requires: nodes'],
    );
    assert.match(
      result.problems[0]?.detail ?? '',
      /at least 64 CPU allocatable; the cluster has 0 \(schedulable: kwok-node-1 8 CPU/,
    );
    assert.equal(await namespaceExists(runNamespace), false);
  });

  it('refuses a GPU requirement the cluster cannot meet', async () => {
    const result = await runPreflight(admin(), {
      scenario: scenarioRequiring({ extendedResources: { 'nvidia.com/gpu': 64, 'example.com/gpu': 1 } }),
      namespace: runNamespace,
    });
    assert.deepEqual(
      result.problems.map((p) => p.what),
      ['requires: nvidia.com/gpu', 'requires: example.com/gpu'],
    );
    assert.match(result.problems[1]?.remedy ?? '', /add a node that advertises example\.com\/gpu/);
    assert.equal(await namespaceExists(runNamespace), false);
  });

  describe('with a ServiceAccount missing one permission', () => {
    const name = `${prefix}-${randomUUID().slice(0, 8)}`;
    let kubeconfig = '';
    const rbac = () => admin().config.makeApiClient(k8s.RbacAuthorizationV1Api);
    const missing = runPermissions.find((p) => p.verb === 'delete' && p.resource === 'namespaces');

    before(async () => {
      const { core } = admin();
      await core.createNamespace({ body: { metadata: { name, labels: testLabel } } });
      await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name, labels: testLabel } } });
      const rules = runPermissions
        .filter((p) => p !== missing)
        .map((p) => ({
          apiGroups: [p.group],
          resources: [p.subresource ? `${p.resource}/${p.subresource}` : p.resource],
          verbs: [p.verb],
        }));
      await rbac().createClusterRole({ body: { metadata: { name, labels: testLabel }, rules } });
      await rbac().createClusterRoleBinding({
        body: {
          metadata: { name, labels: testLabel },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
          subjects: [{ kind: 'ServiceAccount', name, namespace: name }],
        },
      });
      const token = execFileSync(kubectl, ['--kubeconfig', stack.kubeconfig, 'create', 'token', name, '-n', name], {
        encoding: 'utf8',
      }).trim();
      const cluster = admin().config.getCurrentCluster();
      assert.ok(cluster);
      const config = new k8s.KubeConfig();
      config.loadFromOptions({
        clusters: [{ ...cluster, name: 'local' }],
        users: [{ name, token }],
        contexts: [{ name, cluster: 'local', user: name }],
        currentContext: name,
      });
      kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)), 'kubeconfig');
      fs.writeFileSync(kubeconfig, config.exportConfig(), { mode: 0o600 });
    });

    after(async () => {
      await Promise.allSettled([
        rbac().deleteClusterRoleBinding({ name }),
        rbac().deleteClusterRole({ name }),
        admin().core.deleteNamespace({ name }),
      ]);
      if (kubeconfig) fs.rmSync(path.dirname(kubeconfig), { recursive: true, force: true });
    });

    it('lists exactly the missing permission with a remedy, and creates nothing', async () => {
      const result = await runPreflight(connect({ kubeconfig }), {
        scenario: loadScenario('web-app-stack'),
        namespace: runNamespace,
      });
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.problems.map((p) => p.what),
        ['permission: delete namespaces'],
      );
      assert.match(result.problems[0]?.detail ?? '', /may not delete namespaces \(cluster-wide\), needed for cleanup/);
      assert.match(result.problems[0]?.remedy ?? '', /Role or ClusterRole/);
      assert.equal(await namespaceExists(runNamespace), false);
    });
  });
});
