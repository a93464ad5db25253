/**
 * Builds kubeproof's workers: one on the validation task queue (workflows and activities) and one on the
 * shared ledger task queue (the baseline ledgers' workflows), sharing one connection and one workflow bundle.
 * Used by the worker process, the CLI's embedded worker, and the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { codecDataConverter, type KeyRing } from '../codec';
import type { TemporalConnectOptions } from '../config/temporal';
import { LEDGER_TASK_QUEUE } from '../run/ledger';
import { checkSearchAttributes } from './check-search-attributes';

export const workflowsPath = require.resolve('../workflows');

/** Written by `npm run build` (scripts/bundle-workflows.ts) next to the compiled worker. */
export const prebuiltBundlePath = path.join(__dirname, '..', 'workflow-bundle.js');

/** The build's prebundled workflow code, so a packaged worker starts without webpack; absent in a checkout. */
function prebuiltWorkflowBundle(): WorkerOptions['workflowBundle'] | undefined {
  return fs.existsSync(prebuiltBundlePath) ? { codePath: prebuiltBundlePath } : undefined;
}

export interface CreateWorkerOptions {
  /** From src/config/temporal.ts: the same options serve the worker's and the ledger client's connection. */
  temporal: TemporalConnectOptions;
  namespace: string;
  /** Payload encryption keys; the worker and every client of its runs must share them. */
  codecKeys?: KeyRing | undefined;
  taskQueue: string;
  deps: ActivityDeps;
  /** Pre-bundled workflow code (tests bundle once and share it). */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** Both workers behind the two calls callers need. */
export interface KubeproofWorker {
  worker: {
    /** Runs until SIGINT/SIGTERM (the SDK's handlers shut both down). */
    run(): Promise<void>;
    /** Runs until `promise` settles, then shuts both down and drains them. */
    runUntil<T>(promise: Promise<T>): Promise<T>;
  };
  /** Closes the connections; call after run()/runUntil() returned. */
  close: () => Promise<void>;
}

export async function createWorker(opts: CreateWorkerOptions): Promise<KubeproofWorker> {
  const connection = await NativeConnection.connect(opts.temporal);
  // Ledger activities talk to their ledger workflows through a client of the same server and namespace.
  let clientConnection: Connection;
  try {
    clientConnection = await Connection.connect({ ...opts.temporal, connectTimeout: 10_000 });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const codec = codecDataConverter(opts.codecKeys);
  const client = new Client({ connection: clientConnection, namespace: opts.namespace, ...codec });
  try {
    await checkSearchAttributes(client, opts.namespace);
  } catch (error) {
    await clientConnection.close();
    await connection.close();
    throw error;
  }
  const workflowBundle =
    opts.workflowBundle ??
    prebuiltWorkflowBundle() ??
    (await bundleWorkflowCode({
      workflowsPath,
      // webpack's per-module report is noise for a CLI user; warnings and errors still show.
      logger: new DefaultLogger('WARN'),
    }));
  const validations = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities({ temporal: { client }, ...opts.deps }),
    workflowBundle,
    ...codec,
    // Waits are long and mostly idle; a 2-core machine runs many of them at once.
    maxConcurrentActivityTaskExecutions: 50,
    shutdownGraceTime: '10 seconds',
  });
  const ledgers = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: LEDGER_TASK_QUEUE,
    workflowBundle,
    ...codec,
  });
  return {
    worker: {
      run: async () => {
        // If one worker fails, stop the other too rather than leave half a worker polling.
        const stopping = (other: Worker) => (error: unknown) => {
          if (other.getState() === 'RUNNING') other.shutdown();
          throw error;
        };
        await Promise.all([validations.run().catch(stopping(ledgers)), ledgers.run().catch(stopping(validations))]);
      },
      runUntil: (promise) => validations.runUntil(ledgers.runUntil(promise)),
    },
    close: async () => {
      await clientConnection.close();
      await connection.close();
    },
  };
}
