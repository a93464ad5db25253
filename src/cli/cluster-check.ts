/**
 * A quick look at the Kubernetes API from the CLI before a run starts, so an unreachable cluster is reported in
 * seconds with exit 3 instead of as a deploy step that retries for minutes on the worker.
 */
import { statusOf } from '../k8s/api-errors';
import type * as K8sClient from '../k8s/client';
import { reasonOf, unreachableError, usageError } from './exit';

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkClusterReachable(ref: K8sClient.ClusterRef, timeoutMs = 5000): Promise<void> {
  // Loaded only when needed: @kubernetes/client-node takes seconds to load, and most commands never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load; tsx's CommonJS hook cannot serve import()
  const { connect } = require('../k8s/client') as typeof K8sClient;
  let clients;
  try {
    clients = connect(ref);
  } catch (error) {
    // connect() explains what is wrong with the kubeconfig or context and what to pass instead.
    throw usageError(reasonOf(error));
  }
  try {
    await within(clients.core.listNamespace({ limit: 1 }), timeoutMs);
  } catch (error) {
    const status = statusOf(error);
    if (status === 401) {
      throw usageError(
        `the Kubernetes API at ${clients.server} rejected the kubeconfig's credentials (HTTP 401); refresh them or pass another --kubeconfig/--context`,
      );
    }
    // Any other answer (e.g. 403 for listing namespaces) means the API is there; the run reports permissions.
    if (status !== undefined) return;
    throw unreachableError(
      `cannot reach the Kubernetes API at ${clients.server}: ${reasonOf(error)}. ` +
        'Check --kubeconfig/--context (or KUBECONFIG), or start the local stack with `npm run stack:up`',
    );
  }
}
