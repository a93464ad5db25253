/** What Temporal knows of a workflow id, for the janitor: open, closed with its status, or unknown. */
import { type Client, WorkflowNotFoundError, isGrpcServiceError } from '@temporalio/client';
import type { RunStatus } from '../janitor/plan';

/** gRPC NOT_FOUND (from the gRPC spec; @grpc/grpc-js is not a direct dependency). */
const NOT_FOUND: number = 5;

export async function runStatus(client: Client, workflowId: string): Promise<RunStatus> {
  try {
    const described = await client.workflow.getHandle(workflowId).describe();
    return described.status.name === 'RUNNING' ? { state: 'open' } : { state: 'closed', status: described.status.name };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { state: 'unknown' };
    if (isGrpcServiceError(error) && Number(error.code) === NOT_FOUND) return { state: 'unknown' };
    throw error;
  }
}

export async function runStatuses(client: Client, workflowIds: readonly string[]): Promise<Record<string, RunStatus>> {
  const entries = await Promise.all(workflowIds.map(async (id) => [id, await runStatus(client, id)] as const));
  return Object.fromEntries(entries);
}
