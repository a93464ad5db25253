/** Reading and writing a baseline ledger (the `baselineLedger` entity workflow) through the Temporal client. */
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import {
  acknowledgeUpdate,
  baselineLedger,
  ledgerStateQuery,
  recordBaselineUpdate,
} from '../workflows/baseline-ledger';
import { type LedgerAck, type LedgerEntry, type LedgerState, ledgerWorkflowId } from '../workflows/ledger-types';

export interface LedgerRef {
  cluster: string;
  scenario: string;
  /** Task queue the ledger workflow runs on when it has to be started. */
  taskQueue: string;
}

/** Appends an entry, starting the ledger if this (cluster, scenario) has none yet. */
export async function recordToLedger(client: Client, ref: LedgerRef, entry: LedgerEntry): Promise<{ size: number }> {
  const startWorkflowOperation = new WithStartWorkflowOperation(baselineLedger, {
    workflowId: ledgerWorkflowId(ref.cluster, ref.scenario),
    taskQueue: ref.taskQueue,
    args: [{ cluster: ref.cluster, scenario: ref.scenario }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(recordBaselineUpdate, { args: [entry], startWorkflowOperation });
}

/** The ledger's state, or an empty one when no baseline was ever recorded for (cluster, scenario). */
export async function readLedger(client: Client, cluster: string, scenario: string): Promise<LedgerState> {
  try {
    return await client.workflow.getHandle(ledgerWorkflowId(cluster, scenario)).query(ledgerStateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { cluster, scenario, capacity: 50, entries: [], acks: [] };
    throw error;
  }
}

export async function acknowledgeRegression(
  client: Client,
  cluster: string,
  scenario: string,
  ack: { runId?: string; by: string; reason: string },
): Promise<LedgerAck> {
  return client.workflow
    .getHandle(ledgerWorkflowId(cluster, scenario))
    .executeUpdate(acknowledgeUpdate, { args: [ack] });
}
