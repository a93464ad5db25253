/** Reading and writing a baseline ledger (the `baselineLedger` entity workflow) through the Temporal client. */
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError, isGrpcServiceError } from '@temporalio/client';
import {
  LEDGER_TASK_QUEUE,
  LedgerMessage,
  type LedgerAck,
  type LedgerEntry,
  type LedgerState,
  ledgerWorkflowId,
} from '../run/ledger';
import type { baselineLedger } from '../workflows/baseline-ledger';

export interface LedgerRef {
  cluster: string;
  scenario: string;
}

/**
 * What `baseline` commands take: a scenario name (on `clusterName`), or a ledger's workflow id
 * (`kubeproof-ledger/<cluster>/<scenario>`, as the Web UI lists it), which names its own cluster.
 */
export function ledgerRefOf(typed: string, clusterName: string): LedgerRef {
  const [, cluster, scenario, ...rest] = typed.split('/');
  if (cluster && scenario && rest.length === 0 && ledgerWorkflowId(cluster, scenario) === typed) {
    return { cluster, scenario };
  }
  return { cluster: clusterName, scenario: typed };
}

/**
 * The ledger entry a run reference means: its Temporal run id (as `baseline export` prints it) or its workflow id
 * (as `kubeproof run` and `kubeproof list` print it; the newest entry when a workflow id ran more than once).
 */
export function findLedgerEntry(state: LedgerState, run: string): LedgerEntry | undefined {
  return state.entries.findLast((e) => e.runId === run) ?? state.entries.findLast((e) => e.workflowId === run);
}

/** Appends an entry, starting the ledger if this (cluster, scenario) has none yet. */
export async function recordToLedger(client: Client, ref: LedgerRef, entry: LedgerEntry): Promise<{ size: number }> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof baselineLedger>('baselineLedger', {
    workflowId: ledgerWorkflowId(ref.cluster, ref.scenario),
    taskQueue: LEDGER_TASK_QUEUE,
    args: [{ cluster: ref.cluster, scenario: ref.scenario }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  // By name (src/run/ledger.ts): the client shares the contract with the workflow, never the workflow's code.
  return client.workflow.executeUpdateWithStart<typeof baselineLedger, { size: number }, [LedgerEntry]>(
    LedgerMessage.RecordBaseline,
    { args: [entry], startWorkflowOperation },
  );
}

/** The ledger's state, or an empty one when no baseline was ever recorded for (cluster, scenario). */
export async function readLedger(
  client: Client,
  cluster: string,
  scenario: string,
  timeoutMs = 10_000,
): Promise<LedgerState> {
  const handle = client.workflow.getHandle(ledgerWorkflowId(cluster, scenario));
  try {
    // A query is answered by a worker; without a deadline it would wait for one indefinitely.
    return await client.withDeadline(Date.now() + timeoutMs, () => handle.query<LedgerState>(LedgerMessage.State));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { cluster, scenario, capacity: 50, entries: [], acks: [] };
    const grpc = isGrpcServiceError(error) ? error : (error as { cause?: unknown }).cause;
    // DEADLINE_EXCEEDED: no worker answered in time; FAILED_PRECONDITION: the server has seen no poller recently
    // and refuses the query at once ("worker may be down"). Both mean the same to the reader.
    if (isGrpcServiceError(grpc) && [4, 9].includes(Number(grpc.code))) {
      throw new LedgerUnavailableError(
        `the baseline ledger of ${scenario} on ${cluster} did not answer within ${timeoutMs / 1000}s: no kubeproof worker ` +
          `is polling task queue "${LEDGER_TASK_QUEUE}"; start one with \`kubeproof worker\``,
      );
    }
    throw error;
  }
}

/** No worker answered for the ledger: it exists, but cannot be read right now. */
export class LedgerUnavailableError extends Error {
  override name = 'LedgerUnavailableError';
}

export async function acknowledgeRegression(
  client: Client,
  cluster: string,
  scenario: string,
  ack: { runId?: string; by: string; reason: string },
): Promise<LedgerAck> {
  return client.workflow
    .getHandle(ledgerWorkflowId(cluster, scenario))
    .executeUpdate<LedgerAck, [{ runId?: string; by: string; reason: string }]>(LedgerMessage.Acknowledge, {
      args: [ack],
    });
}
