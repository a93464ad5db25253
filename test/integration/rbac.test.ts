/**
 * The RBAC in deploy/kubernetes, proven on the local RBAC-enabled API server: a worker authenticating with the
 * ServiceAccount's token, bound to exactly the rendered ClusterRoles, completes a run and leaves nothing; with one
 * verb removed, the run fails with a non-retryable error naming the missing permission, and still cleans up.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, parse, stringify } from 'yaml';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { ErrorType, KubeproofError, nonRetryableErrorTypes } from '../../src/errors';
import type { KubeClients } from '../../src/k8s/client';
import { connect } from '../../src/k8s/client';
import { ObjectWatch } from '../../src/k8s/object-watch';
import { PodTracker } from '../../src/k8s/pod-tracker';
import { describePermission, missingPermissions, runPermissions } from '../../src/preflight';
import { loadScenario } from '../../src/scenarios';
import { leftovers } from '../helpers/cluster';
import { repoRoot, stack, uniqueTaskQueue } from '../helpers/env';
import { anyClusterName, defaultDeps, temporalClient, withWorker } from '../helpers/worker';

const kubectlBin = path.join(os.homedir(), '.cache', 'kubeproof', 'bin', 'kubectl');
const suffix = uniqueTaskQueue('rbac').slice('rbac-'.length);
const namespace = `kubeproof-rbac-${suffix}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-rbac-'));
const tokenKubeconfig = path.join(workDir, 'kubeconfig');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

const kubectl = (args: string[], input?: string): string =>
  execFileSync(kubectlBin, args, {
    env: { ...process.env, KUBECONFIG: stack.kubeconfig },
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });

/** The base rendered by kustomize (kubectl's), with names made unique to this test so runs never collide. */
function renderedRbac(): K8sObject[] {
  const docs = parseAllDocuments(kubectl(['kustomize', path.join(repoRoot, 'deploy', 'kubernetes')])).map(
    (d) => d.toJS() as K8sObject,
  );
  const wanted = ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'];
  return docs
    .filter((o) => wanted.includes(o.kind))
    .map((o) => {
      const copy = structuredClone(o);
      if (copy.kind === 'Namespace') copy.metadata.name = namespace;
      if (copy.metadata.namespace) copy.metadata.namespace = namespace;
      if (copy.kind.startsWith('ClusterRole')) copy.metadata.name = `${copy.metadata.name}-${suffix}`;
      if (copy.roleRef) copy.roleRef.name = `${copy.roleRef.name}-${suffix}`;
      for (const s of copy.subjects ?? []) s.namespace = namespace;
      return copy;
    });
}

const apply = (objects: K8sObject[]) => kubectl(['apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));

/** A kubeconfig that authenticates with the ServiceAccount's token against the local API server. */
function writeTokenKubeconfig(serviceAccount: string): void {
  const token = kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration', '1h']).trim();
  const admin = parse(fs.readFileSync(stack.kubeconfig, 'utf8')) as {
    'current-context': string;
    contexts: { name: string; context: { cluster: string } }[];
    clusters: { name: string; cluster: Record<string, string> }[];
  };
  const context = admin.contexts.find((c) => c.name === admin['current-context']);
  const cluster = admin.clusters.find((c) => c.name === context?.context.cluster);
  assert.ok(cluster, 'the admin kubeconfig has a current cluster');
  const { server, 'certificate-authority-data': caData, 'certificate-authority': caFile } = cluster.cluster;
  const ca = caData ?? (caFile ? fs.readFileSync(caFile).toString('base64') : undefined);
  assert.ok(server && ca, 'the admin kubeconfig names the server and its CA');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name: serviceAccount, user: { token } }],
    contexts: [{ name: 'sa', context: { cluster: 'local', user: serviceAccount } }],
    'current-context': 'sa',
  };
  fs.writeFileSync(tokenKubeconfig, stringify(config), { mode: 0o600 });
}

/** A whole run (baseline included, on a ledger of its own unless skipped) as the ServiceAccount. */
async function runAsServiceAccount(opts: { skipBaseline: boolean }) {
  const { client, close } = await temporalClient();
  const taskQueue = uniqueTaskQueue('rbac');
  try {
    return await withWorker(
      taskQueue,
      async () => {
        const handle = await startValidation(client, {
          scenario: loadScenario('web-app-stack'),
          clusterName: `rbac-${suffix}`,
          ai: 'off',
          taskQueue,
          skipBaseline: opts.skipBaseline,
        });
        return { outcome: await outcomeOf(handle), workflowId: handle.workflowId };
      },
      defaultDeps({ clusters: anyClusterName({ kubeconfig: tokenKubeconfig }) }),
    );
  } finally {
    await close();
  }
}

describe('least-privilege RBAC from deploy/kubernetes', { timeout: 600_000 }, () => {
  let objects: K8sObject[] = [];
  const serviceAccount = 'kubeproof-worker';

  before(() => {
    objects = renderedRbac();
    apply(objects);
    writeTokenKubeconfig(serviceAccount);
  });

  after(() => {
    for (const o of objects.filter((x) => x.kind.startsWith('ClusterRole'))) {
      kubectl(['delete', o.kind.toLowerCase(), o.metadata.name, '--ignore-not-found']);
    }
    kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('renders a namespace, a ServiceAccount and a non-root worker Deployment that runs as it', () => {
    const all = parseAllDocuments(kubectl(['kustomize', path.join(repoRoot, 'deploy', 'kubernetes')])).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: Record<string, unknown> },
    );
    assert.deepEqual(all.map((o) => o.kind).sort(), [
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      'Deployment',
      'Namespace',
      'ServiceAccount',
    ]);
    const pod = (all.find((o) => o.kind === 'Deployment')?.spec as { template: { spec: Record<string, unknown> } })
      .template.spec as {
      serviceAccountName: string;
      securityContext: { runAsNonRoot: boolean };
      containers: { image: string }[];
    };
    assert.equal(pod.serviceAccountName, 'kubeproof-worker');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.containers[0]?.image, 'kubeproof-worker:0.1.0');
  });

  it("grants the ServiceAccount every permission preflight's access reviews ask for", async () => {
    const missing = await missingPermissions(connect({ kubeconfig: tokenKubeconfig }), 'kubeproof-any');
    assert.deepEqual(
      missing.map((p) => p.what),
      [],
    );
    // A negative control: the token really is restricted (it may not read secrets).
    const secrets = await missingPermissions(connect({ kubeconfig: tokenKubeconfig }), 'default', [
      { verb: 'list', group: '', resource: 'secrets', why: 'control' },
    ]);
    assert.equal(secrets.length, 1);
    assert.ok(runPermissions.length > 10);
  });

  it('lets a worker with only those roles complete web-app-stack, baseline included, and leave nothing behind', async () => {
    const { outcome, workflowId } = await runAsServiceAccount({ skipBaseline: false });
    assert.ok(outcome.ok, `the run did not end normally: ${outcome.ok ? '' : outcome.message}`);
    assert.equal(outcome.result.failure, undefined, JSON.stringify(outcome.result.failure));
    const events = (outcome.result.health?.services ?? []).flatMap((s) =>
      s.warningEvents.map((e) => `${s.service}: ${e.object} ${e.reason} ×${e.count}: ${e.message}`),
    );
    assert.equal(outcome.result.verdict, 'pass', [...outcome.result.verdictReasons, ...events].join('; '));
    // Every step ran under these roles, the baseline's watches and cleanup's included.
    assert.deepEqual(
      outcome.result.steps.map((s) => [s.name, s.status]),
      ['preflight', 'deploy', 'health', 'ai', 'baseline', 'cleanup'].map((name) => [name, 'ok']),
    );
    const restart = outcome.result.baseline?.summaries.find((s) => s.metric === 'rollingRestart');
    assert.ok(restart && restart.n > 0 && restart.failures === 0, JSON.stringify(restart));
    assert.deepEqual(outcome.result.cleanup?.left, []);
    assert.deepEqual(await leftovers(workflowId), []);
  });

  it('fails with a non-retryable error naming the missing verb, and cleans up, when services may not be created', async () => {
    const workloads = objects.find(
      (o) => o.kind === 'ClusterRole' && o.metadata.name.startsWith('kubeproof-workloads'),
    );
    assert.ok(workloads?.rules);
    const reduced = structuredClone(workloads);
    const rule = reduced.rules?.find((r) => r.apiGroups.includes('') && r.resources.includes('services'));
    assert.ok(rule && rule.verbs.includes('create'));
    rule.verbs = rule.verbs.filter((v) => v !== 'create');
    apply([reduced]);
    try {
      assert.ok(
        (await missingPermissions(connect({ kubeconfig: tokenKubeconfig }), 'kubeproof-any')).some(
          (p) =>
            p.what ===
            `permission: ${describePermission({ verb: 'create', group: '', resource: 'services', why: '' })}`,
        ),
        'the role change took effect',
      );
      const { outcome, workflowId } = await runAsServiceAccount({ skipBaseline: true });
      const result = outcome.result;
      assert.ok(result, `no run record: ${outcome.ok ? '' : outcome.message}`);
      assert.equal(result.verdict, 'fail');
      assert.ok(result.failure, 'the record names the failure');
      assert.ok(
        (nonRetryableErrorTypes as string[]).includes(result.failure.type),
        `${result.failure.type} is not a non-retryable failure type`,
      );
      // Preflight's access reviews find it before anything is created, and name it.
      assert.equal(result.failure.step, 'preflight');
      assert.match(result.failure.message, /permission: create services/);
      assert.equal(result.namespace, '', 'nothing was created');
      assert.deepEqual(await leftovers(workflowId), []);
    } finally {
      apply([workloads]);
    }
  });

  // Each follower of the API (the baseline's Deployment watch, the deploy step's pod tracker): the list stays
  // allowed, only the watch is taken away.
  const followers = [
    {
      group: 'apps',
      resource: 'deployments',
      follow: async (clients: KubeClients) => {
        const watch = await ObjectWatch.deployment(clients, namespace, 'not-there');
        return { until: () => watch.until(() => false, { timeoutMs: 5_000 }), stop: () => watch.stop() };
      },
      named: `watching Deployment ${namespace}/not-there`,
    },
    {
      group: '',
      resource: 'pods',
      follow: async (clients: KubeClients) => {
        const tracker = await PodTracker.start(clients, namespace, 'app=not-there');
        return { until: () => tracker.until(() => undefined, { timeoutMs: 5_000 }), stop: () => tracker.stop() };
      },
      named: `watching pods in ${namespace}`,
    },
  ];
  for (const { group, resource, follow, named } of followers) {
    it(`fails naming the watch, rather than polling in its place, when watching ${resource} is not granted`, async () => {
      const workloads = objects.find(
        (o) => o.kind === 'ClusterRole' && o.metadata.name.startsWith('kubeproof-workloads'),
      );
      assert.ok(workloads?.rules);
      const reduced = structuredClone(workloads);
      const rule = reduced.rules?.find((r) => r.apiGroups.includes(group) && r.resources.includes(resource));
      assert.ok(rule && rule.verbs.includes('watch'));
      rule.verbs = rule.verbs.filter((v) => v !== 'watch');
      apply([reduced]);
      try {
        const clients = connect({ kubeconfig: tokenKubeconfig });
        const refused = (p: { what: string }) =>
          p.what === `permission: ${describePermission({ verb: 'watch', group, resource, why: '' })}`;
        assert.ok((await missingPermissions(clients, namespace)).some(refused), 'the role change took effect');
        const follower = await follow(clients);
        try {
          await assert.rejects(
            follower.until(),
            (error: unknown) =>
              error instanceof KubeproofError && error.type === ErrorType.Forbidden && error.message.startsWith(named),
          );
        } finally {
          follower.stop();
        }
      } finally {
        apply([workloads]);
      }
    });
  }
});
