/**
 * The local control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK, all on
 * 127.0.0.1, plus the simulated nodes. Binaries come from scripts/build-cluster.sh (cached under ~/.cache).
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import type { StackConfig } from './config';
import { log } from './config';
import { kubeconfigFor } from './pki';
import { writeKwokConfig } from './kwok-stages';
import { runningPid, startProcess, waitFor } from './processes';

export const k8sComponents = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

function get(cfg: StackConfig, port: number, urlPath: string): Promise<{ status: number; body: string }> {
  const pki = (f: string) => fs.readFileSync(path.join(cfg.pki, f));
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        ca: pki('ca.crt'),
        cert: pki('admin.crt'),
        key: pki('admin.key'),
        rejectUnauthorized: port === cfg.ports.apiserver,
        timeout: 2000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const healthy = (cfg: StackConfig, port: number, urlPath: string) => async () =>
  (await get(cfg, port, urlPath)).status === 200;

async function etcdHealthy(cfg: StackConfig): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${cfg.ports.etcd}/health`, { signal: AbortSignal.timeout(2000) });
  return res.ok && ((await res.json()) as { health?: string }).health === 'true';
}

export async function startKubernetes(cfg: StackConfig): Promise<void> {
  const bin = (name: string) => path.join(cfg.bin, name);
  const pki = (f: string) => path.join(cfg.pki, f);
  kubeconfigFor(cfg, 'admin');

  if (!runningPid(cfg, 'etcd')) {
    startProcess(cfg, {
      name: 'etcd',
      command: bin('etcd'),
      args: [
        '--name=kubeproof',
        `--data-dir=${path.join(cfg.state, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${cfg.ports.etcd}`,
        `--advertise-client-urls=http://127.0.0.1:${cfg.ports.etcd}`,
        `--listen-peer-urls=http://127.0.0.1:${cfg.ports.etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${cfg.ports.etcdPeer}`,
        `--initial-cluster=kubeproof=http://127.0.0.1:${cfg.ports.etcdPeer}`,
        '--unsafe-no-fsync',
        '--quota-backend-bytes=4294967296',
        '--log-level=warn',
      ],
    });
  }
  await waitFor(cfg, 'etcd', () => etcdHealthy(cfg), 60_000);

  if (!runningPid(cfg, 'kube-apiserver')) {
    startProcess(cfg, {
      name: 'kube-apiserver',
      command: bin('kube-apiserver'),
      args: [
        `--etcd-servers=http://127.0.0.1:${cfg.ports.etcd}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${cfg.ports.apiserver}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--client-ca-file=${pki('ca.crt')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        // 127.0.0.1 is not a valid Endpoints address; nothing in the simulated cluster needs that Service.
        '--endpoint-reconciler-type=none',
        '--allow-privileged=true',
        '--v=1',
      ],
    });
  }
  await waitFor(cfg, 'kube-apiserver', healthy(cfg, cfg.ports.apiserver, '/readyz'), 120_000);

  if (!runningPid(cfg, 'kube-controller-manager')) {
    const kc = kubeconfigFor(cfg, 'kube-controller-manager');
    startProcess(cfg, {
      name: 'kube-controller-manager',
      command: bin('kube-controller-manager'),
      args: [
        `--kubeconfig=${kc}`,
        `--authentication-kubeconfig=${kc}`,
        `--authorization-kubeconfig=${kc}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${cfg.ports.controllerManager}`,
        `--service-account-private-key-file=${pki('sa.key')}`,
        `--root-ca-file=${pki('ca.crt')}`,
        '--use-service-account-credentials=true',
        '--leader-elect=false',
        '--controllers=*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle,-persistentvolume-binder',
        ...(cfg.controllerManagerQps
          ? [`--kube-api-qps=${cfg.controllerManagerQps}`, `--kube-api-burst=${cfg.controllerManagerQps * 2}`]
          : []),
        '--v=1',
      ],
    });
  }
  if (!runningPid(cfg, 'kube-scheduler')) {
    const kc = kubeconfigFor(cfg, 'kube-scheduler');
    startProcess(cfg, {
      name: 'kube-scheduler',
      command: bin('kube-scheduler'),
      args: [
        `--kubeconfig=${kc}`,
        `--authentication-kubeconfig=${kc}`,
        `--authorization-kubeconfig=${kc}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${cfg.ports.scheduler}`,
        '--leader-elect=false',
        '--v=1',
      ],
    });
  }
  if (!runningPid(cfg, 'kwok')) {
    const home = path.join(cfg.state, 'kwok');
    const stages = writeKwokConfig(cfg);
    startProcess(cfg, {
      name: 'kwok',
      command: bin('kwok'),
      // Its own HOME: kwok would otherwise also load ~/.kwok/kwok.yaml from the user's home.
      env: { ...process.env, HOME: home },
      args: [
        `--kubeconfig=${kubeconfigFor(cfg, 'kwok')}`,
        `--config=${stages}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--node-lease-duration-seconds=40',
        `--server-address=127.0.0.1:${cfg.ports.kwok}`,
        '--cidr=10.244.0.0/16',
        '--node-ip=10.0.0.1',
      ],
    });
  }
  await waitFor(cfg, 'kube-controller-manager', healthy(cfg, cfg.ports.controllerManager, '/healthz'), 60_000);
  await waitFor(cfg, 'kube-scheduler', healthy(cfg, cfg.ports.scheduler, '/healthz'), 60_000);
  await waitFor(cfg, 'kwok', async () => (await fetch(`http://127.0.0.1:${cfg.ports.kwok}/healthz`)).ok, 60_000);

  await ensureNodes(cfg);
}

interface SimulatedNode {
  name: string;
  capacity: Record<string, string>;
  instanceType: string;
  zone: string;
  labels?: Record<string, string>;
}

/**
 * Simulated nodes sized like common cloud instances: `cfg.nodes` general nodes of 8 vCPU, 32 GiB, 110 pods, and one
 * GPU node advertising 4 `nvidia.com/gpu` (so the gpu-inference built-in, with its baseline's extra pods, fits). No
 * taints. Created only when missing, so a re-run of stack:up against a running cluster adds what is new.
 */
export function simulatedNodes(count: number): SimulatedNode[] {
  const general = Array.from({ length: count }, (_, index) => ({
    name: `kwok-node-${index + 1}`,
    capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    instanceType: 'kwok.8cpu-32gi',
    zone: `local-${String.fromCharCode(97 + index)}`,
  }));
  const gpu = {
    name: 'kwok-node-gpu-1',
    capacity: { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi', 'nvidia.com/gpu': '4' },
    instanceType: 'kwok.16cpu-64gi-4gpu',
    zone: 'local-a',
    labels: { 'nvidia.com/gpu.present': 'true' },
  };
  return [...general, gpu];
}

async function ensureNodes(cfg: StackConfig): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cfg.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const wanted = simulatedNodes(cfg.nodes);
  for (const spec of wanted) {
    const node: k8s.V1Node = {
      metadata: {
        name: spec.name,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/hostname': spec.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': spec.instanceType,
          'topology.kubernetes.io/zone': spec.zone,
          type: 'kwok',
          ...spec.labels,
        },
      },
      status: { capacity: spec.capacity, allocatable: spec.capacity },
    };
    try {
      await core.createNode({ body: node });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
    }
  }
  await waitUntil(async () => {
    const nodes = await core.listNode();
    const ready = nodes.items.filter((n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    return ready >= wanted.length;
  }, 'the simulated nodes to become Ready');
  await waitUntil(async () => {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
      return true;
    } catch {
      return false;
    }
  }, 'the default ServiceAccount');
  log(`cluster ready: ${wanted.length} nodes Ready, default ServiceAccount present`);
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(300);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}
