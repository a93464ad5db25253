/** Builds a worker for the kubeproof task queue; used by the worker process, the CLI's `dev`, and the tests. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export const workflowsPath = require.resolve('../workflows');

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Pre-bundled workflow code (tests bundle once and share it). */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** The worker plus what it opened; `close()` after `run()` returns. */
export interface KubeproofWorker {
  worker: Worker;
  connection: NativeConnection;
  close: () => Promise<void>;
}

export async function createWorker(opts: CreateWorkerOptions): Promise<KubeproofWorker> {
  const connection = await NativeConnection.connect({ address: opts.address });
  // Ledger activities talk to their ledger workflows through a client of the same server and namespace.
  const clientConnection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection: clientConnection, namespace: opts.namespace });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities({ temporal: { client, taskQueue: opts.taskQueue }, ...opts.deps }),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    // Waits are long and mostly idle; a 2-core machine runs many of them at once.
    maxConcurrentActivityTaskExecutions: 50,
    shutdownGraceTime: '10 seconds',
  });
  return {
    worker,
    connection,
    close: async () => {
      await clientConnection.close();
      await connection.close();
    },
  };
}
