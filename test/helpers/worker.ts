/** Runs kubeproof workers against the local stack for tests, sharing the bundle made by prebundle.ts. */
import { Client, Connection } from '@temporalio/client';
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import { codecDataConverter, type KeyRing } from '../../src/codec';
import type { TemporalConnectOptions } from '../../src/config/temporal';
import type { ClusterRef } from '../../src/k8s/client';
import type { ClusterRegistry } from '../../src/k8s/registry';
import { createWorker } from '../../src/worker/create-worker';
import { stack, workflowBundle } from './env';

let runtimeInstalled = false;
/** The SDK logs at WARN only, so test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch (error) {
    // Something else in this process installed a runtime first; its logger is good enough.
    if (!(error instanceof IllegalStateError)) throw error;
  }
  runtimeInstalled = true;
}

/**
 * Tests give runs many cluster names (one ledger each), all on the local stack: this registry serves any name
 * with the stack's kubeconfig. A worker's real registry (src/config) serves only the names it is configured with.
 */
export function anyClusterName(ref: ClusterRef): ClusterRegistry {
  return { names: () => ['*'], resolve: () => ref };
}

export function defaultDeps(overrides: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    clusters: anyClusterName({ kubeconfig: stack.kubeconfig }),
    probeLoopbackOnly: true,
    // No AI settings unless a test passes them: runs fall back to the labelled rules verdict.
    env: {},
    ...overrides,
  };
}

/** What a test may ask of its client and worker: payload encryption with these keys, another way to connect. */
export interface TemporalTestOptions {
  codecKeys?: KeyRing;
  /** Default: plaintext to the stack's dev server. */
  temporal?: TemporalConnectOptions;
}

export async function temporalClient(
  opts: TemporalTestOptions = {},
): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect(opts.temporal ?? { address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.temporalNamespace, ...codecDataConverter(opts.codecKeys) });
  return { client, close: () => connection.close() };
}

/** Runs `fn` while a worker polls `taskQueue`; the worker is shut down and drained afterwards. */
export async function withWorker<T>(
  taskQueue: string,
  fn: () => Promise<T>,
  deps: ActivityDeps = defaultDeps(),
  opts: TemporalTestOptions = {},
): Promise<T> {
  quietRuntime();
  const { worker, close } = await createWorker({
    temporal: opts.temporal ?? { address: stack.temporalAddress },
    namespace: stack.temporalNamespace,
    codecKeys: opts.codecKeys,
    taskQueue,
    deps,
    workflowBundle: workflowBundle(),
  });
  try {
    return await worker.runUntil(fn());
  } finally {
    await close();
  }
}
