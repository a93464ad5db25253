/**
 * Smoke tests of the local proving ground: the real control plane schedules and simulates pods as documented,
 * and the real Temporal dev server runs a workflow that is findable by a custom search attribute.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { Worker, NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { stack, uniqueTaskQueue } from '../helpers/env';

const kc = new k8s.KubeConfig();
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
const namespace = `smoke-${randomUUID().slice(0, 8)}`;

function deployment(
  name: string,
  replicas: number,
  extra: { labels?: Record<string, string>; annotations?: Record<string, string>; cpu?: string } = {},
): k8s.V1Deployment {
  return {
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...extra.labels }, annotations: extra.annotations ?? {} },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'nginx:1.27',
              resources: { requests: { cpu: extra.cpu ?? '100m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}

async function pods(app: string): Promise<k8s.V1Pod[]> {
  return (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the local control plane', () => {
  before(async () => {
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('brings a 3-replica Deployment to 3 ready replicas no sooner than the configured ready delay', async () => {
    const delayMs = 2000;
    const created = Date.now();
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment('delayed', 3, { annotations: { 'kubeproof.dev/ready-delay': `${delayMs}ms` } }),
    });
    const readyAt = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'delayed', namespace });
      return d.status?.readyReplicas === 3 ? Date.now() : undefined;
    }, '3 ready replicas');
    assert.ok(
      readyAt - created >= delayMs,
      `create→ready took ${readyAt - created} ms, less than the ${delayMs} ms delay`,
    );
    const nodes = new Set((await pods('delayed')).map((p) => p.spec?.nodeName));
    assert.ok(
      nodes.size >= 1 && [...nodes].every((n) => n?.startsWith('kwok-node-')),
      'pods run on the simulated nodes',
    );
  });

  it('leaves a Deployment that requests more CPU than any node Pending and Unschedulable', async () => {
    await apps.createNamespacedDeployment({ namespace, body: deployment('too-big', 1, { cpu: '64' }) });
    const reason = await eventually(async () => {
      const [pod] = await pods('too-big');
      const c = pod?.status?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.status === 'False' ? c.reason : undefined;
    }, 'a PodScheduled=False condition');
    assert.equal(reason, 'Unschedulable');
    await sleep(1500);
    const [pod] = await pods('too-big');
    assert.equal(pod?.status?.phase, 'Pending');
    assert.equal(pod?.spec?.nodeName, undefined);
  });

  it('keeps a never-ready pod Running but not Ready', async () => {
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment('never', 1, { labels: { 'kubeproof.dev/simulate': 'never-ready' } }),
    });
    await eventually(async () => ((await pods('never'))[0]?.status?.phase === 'Running' ? true : undefined), 'Running');
    await sleep(2000);
    const [pod] = await pods('never');
    assert.equal(pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  });

  it('makes a crash-loop pod restart again and again', async () => {
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment('crashy', 1, {
        labels: { 'kubeproof.dev/simulate': 'crash-loop' },
        annotations: { 'kubeproof.dev/crash-interval': '500ms' },
      }),
    });
    const restarts = async () => (await pods('crashy'))[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const first = await eventually(async () => ((await restarts()) >= 1 ? restarts() : undefined), 'a first restart');
    await eventually(async () => ((await restarts()) >= first + 2 ? true : undefined), 'rising restarts', 15_000);
    const [pod] = await pods('crashy');
    assert.equal(pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'CrashLoopBackOff');
  });

  it('removes every pod of a namespace when the namespace is deleted', async () => {
    const ns = `smoke-del-${randomUUID().slice(0, 8)}`;
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: { ...deployment('doomed', 2), metadata: { name: 'doomed', namespace: ns } },
    });
    await eventually(
      async () => ((await core.listNamespacedPod({ namespace: ns })).items.length === 2 ? true : undefined),
      '2 pods',
    );
    await core.deleteNamespace({ name: ns });
    await eventually(
      async () => {
        const left = (await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=${ns}` })).items.length;
        const nsGone = !(await core.listNamespace()).items.some((n) => n.metadata?.name === ns);
        return left === 0 && nsGone ? true : undefined;
      },
      'the namespace and its pods to disappear',
      60_000,
    );
  });
});

describe('the local Temporal dev server', () => {
  it('runs a workflow with one activity and finds it by a custom search attribute', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const marker = `smoke-${randomUUID().slice(0, 8)}`;
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../fixtures/workflows/smoke'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: stack.temporalNamespace,
      taskQueue,
      workflowBundle: { code },
      activities: { echo: ({ text }: { text: string }) => Promise.resolve({ text }) },
    });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection, namespace: stack.temporalNamespace });
    try {
      const result: unknown = await worker.runUntil(
        client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: marker, args: [{ marker }] }),
      );
      assert.deepEqual(result, { text: `hello ${marker}` });
      const found = await eventually(
        async () => {
          const ids: string[] = [];
          for await (const wf of client.workflow.list({ query: `KubeproofScenario = '${marker}'` }))
            ids.push(wf.workflowId);
          return ids.length > 0 ? ids : undefined;
        },
        'the run in visibility',
        20_000,
      );
      assert.deepEqual(found, [marker]);
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
