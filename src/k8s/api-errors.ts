/**
 * Maps Kubernetes API failures to kubeproof's failure types: what retrying can fix (5xx, 429, timeouts,
 * connection resets) and what it cannot (invalid manifests, missing permissions).
 */
import { ErrorType, KubeproofError } from '../errors';

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;

function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body.slice(0, 500);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String(body.message);
  return error instanceof Error ? error.message : String(error);
}

/** Wraps any error from an API call into a KubeproofError whose type drives the retry policy. */
export function classify(error: unknown, doing: string): KubeproofError {
  if (error instanceof KubeproofError) return error;
  const status = statusOf(error);
  const message = `${doing}: ${apiMessage(error)}`;
  if (status === 400 || status === 422) return new KubeproofError(ErrorType.InvalidManifest, message, { status });
  if (status === 401 || status === 403) {
    return new KubeproofError(
      ErrorType.Forbidden,
      `${message} — the kubeconfig's user lacks permission; kubeproof needs to manage namespaces, deployments, services and configmaps, and read pods, replicasets, events and endpointslices (see deploy/ for the exact role)`,
      { status },
    );
  }
  if (status !== undefined && (status >= 500 || status === 429 || status === 409)) {
    return new KubeproofError(ErrorType.TransientApi, message, { status });
  }
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } })?.cause?.code ?? (error as { code?: unknown }).code;
  if (typeof code === 'string' && transientCodes.has(code)) {
    return new KubeproofError(ErrorType.TransientApi, `${message} (${code})`, { code });
  }
  // Unknown failures are treated as transient: retrying is safe because every write is an idempotent apply.
  return new KubeproofError(ErrorType.TransientApi, message);
}

/**
 * A watch the API server refused for good (401, 403: the client's `done` callback gets an error carrying
 * `statusCode`), as the error the same request would give as a call. Undefined for anything else: a watch that
 * closed, expired or lost its connection is re-opened by its owner.
 */
export function watchRefusal(error: unknown, doing: string): KubeproofError | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status !== 401 && status !== 403) return undefined;
  return classify(
    Object.assign(new Error(error instanceof Error ? error.message : 'Forbidden'), { code: status }),
    doing,
  );
}

export async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classify(error, doing);
  }
}
