/** Connecting to Temporal and turning its failures into the CLI's exit codes and one-sentence messages. */
import { Client, Connection, WorkflowNotFoundError, isGrpcServiceError, type WorkflowHandle } from '@temporalio/client';
import { ENCRYPTED_ENCODING, codecDataConverter } from '../codec';
import type { TemporalTarget } from '../config/temporal';
import type { CliConfig } from './config';
import { CliError, reasonOf, unreachableError, usageError } from './exit';

export interface TemporalSession {
  client: Client;
  close: () => Promise<void>;
}

const startStackHint = 'Start the local stack with `npm run stack:up` (or set TEMPORAL_ADDRESS)';

/** What to check when the connection fails: a plaintext client cannot talk to a TLS server, and vice versa. */
export function connectionHint(target: Pick<TemporalTarget, 'connect'>): string {
  if (target.connect.tls) {
    return 'Check the address and the TLS settings (TEMPORAL_TLS_CLIENT_CERT_PATH/_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_API_KEY or the TEMPORAL_PROFILE they come from)';
  }
  return `${startStackHint}; a server that requires TLS needs TEMPORAL_TLS_* or TEMPORAL_API_KEY`;
}

/** Temporal could not be reached: where, how the connection was secured, why, and what to check. */
export function temporalUnreachable(
  cfg: Pick<CliConfig, 'address' | 'temporal'>,
  error: unknown,
  purpose = '',
): CliError {
  return unreachableError(
    `cannot reach Temporal at ${cfg.address} (${cfg.temporal.security})${purpose}: ${reasonOf(error)}. ${connectionHint(cfg.temporal)}`,
  );
}

export async function connectTemporal(
  cfg: Pick<CliConfig, 'address' | 'namespace' | 'temporal' | 'codecKeys'>,
): Promise<TemporalSession> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...cfg.temporal.connect, connectTimeout: 5000 });
  } catch (error) {
    throw temporalUnreachable(cfg, error);
  }
  const client = new Client({ connection, namespace: cfg.namespace, ...codecDataConverter(cfg.codecKeys) });
  return { client, close: () => connection.close() };
}

/** Connects, runs `fn`, and closes the connection whatever happens. */
export async function withTemporal<T>(cfg: CliConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const session = await connectTemporal(cfg);
  try {
    return await fn(session.client);
  } catch (error) {
    throw temporalError(error, cfg);
  } finally {
    await session.close();
  }
}

export function notFoundError(workflowId: string, namespace: string): CliError {
  return usageError(`no run with id ${workflowId} in namespace ${namespace}; list runs with \`kubeproof list\``);
}

/** gRPC status codes (from the gRPC spec; @grpc/grpc-js is not a direct dependency). */
const GrpcCode = { DeadlineExceeded: 4, NotFound: 5, Unavailable: 14 } as const;
const unreachableCodes = new Set<number>([GrpcCode.Unavailable, GrpcCode.DeadlineExceeded]);

/** The error or one of its causes, as the payload codec or converter raised it. */
function payloadProblem(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'PayloadCodecError') return e.message;
    if (e.message.includes(`Unknown encoding: ${ENCRYPTED_ENCODING}`)) {
      return "the run's payloads are encrypted and no codec keys are configured; set KUBEPROOF_CODEC_KEYS (or KUBEPROOF_CODEC_KEY_FILE) to the keys its workers use";
    }
  }
  return undefined;
}

/** Maps what the Temporal client throws to a CliError where one applies; anything else passes through. */
export function temporalError(
  error: unknown,
  cfg: Pick<CliConfig, 'address' | 'namespace'>,
  workflowId?: string,
): unknown {
  if (error instanceof CliError) return error;
  const undecodable = payloadProblem(error);
  if (undecodable) return usageError(undecodable);
  if (error instanceof WorkflowNotFoundError)
    return notFoundError(error.workflowId ?? workflowId ?? '?', cfg.namespace);
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const grpc = isGrpcServiceError(error) ? error : isGrpcServiceError(cause) ? cause : undefined;
  if (grpc) {
    if (unreachableCodes.has(Number(grpc.code))) {
      return unreachableError(
        `lost the connection to Temporal at ${cfg.address}: ${grpc.details || grpc.message}. ${startStackHint}`,
      );
    }
    if (Number(grpc.code) === GrpcCode.NotFound && /namespace/i.test(grpc.details)) {
      return usageError(
        `namespace ${cfg.namespace} does not exist on Temporal at ${cfg.address}; pass --namespace or set TEMPORAL_NAMESPACE`,
      );
    }
  }
  return error;
}

/** A handle on the latest run of `workflowId`, checked to exist (describe), with its description. */
export async function existingRun(client: Client, workflowId: string, namespace: string) {
  const handle: WorkflowHandle = client.workflow.getHandle(workflowId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFoundError(workflowId, namespace);
    throw error;
  }
}
