import { ErrorType, KubeproofError } from '../errors';
import type { Evidence } from './evidence';
import { jsonObjectsIn } from './json-extract';
import type { Prompt } from './prompt';
import { truncateBytes } from './sanitize';
import type { ModelVerdict } from './verdict';
import { ModelVerdictSchema } from './verdict';
import { z } from 'zod';

export const ProviderName = { OpenAi: 'openai', HolmesGpt: 'holmesgpt' } as const;
export type ProviderName = (typeof ProviderName)[keyof typeof ProviderName];

/** Raw answers kept for the audit record are cut to this many bytes. */
export const RAW_ANSWER_MAX_BYTES = 8 * 1024;
/** Model text longer than this is not searched for JSON (bounds the extraction work). */
const MAX_SCANNED_ANSWER = 256 * 1024;

export interface ProviderAnswer {
  verdict: ModelVerdict;
  /** Model name as reported by the provider, or the configured one; unknown for agents like HolmesGPT. */
  model?: string;
  /** HTTP requests made, including retries. */
  attempts: number;
  /** The last answer text as received, bounded to RAW_ANSWER_MAX_BYTES. */
  rawAnswer: string;
  latencyMs: number;
  /** What was actually sent, for the audit record. */
  prompt: Prompt;
}

export interface AiProvider {
  readonly name: ProviderName;
  verdictFor(input: { evidence: Evidence; prompt: Prompt; signal?: AbortSignal | undefined }): Promise<ProviderAnswer>;
}

/**
 * A provider gave up. `TransientApi` when retrying later may help (5xx, 429, timeouts, connection errors, after
 * the provider's own retries); `AiUnavailable` when it cannot (4xx, answers that never match the schema).
 * Messages start with the provider name and are safe to show: `openai: HTTP 500 after 3 attempts: ...`.
 */
export function providerError(
  provider: ProviderName,
  transient: boolean,
  message: string,
  details: { attempts: number; status?: number | undefined },
): KubeproofError {
  return new KubeproofError(transient ? ErrorType.TransientApi : ErrorType.AiUnavailable, `${provider}: ${message}`, {
    provider,
    ...details,
  });
}

export type ParsedAnswer = { ok: true; verdict: ModelVerdict } | { ok: false; problem: string };

/**
 * Reads a verdict from answer text: the whole text as JSON first, then each balanced JSON object inside it
 * (prose-wrapped answers, code fences). The first object matching the schema wins.
 */
export function parseVerdictText(text: string): ParsedAnswer {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'empty answer' };
  let problem = 'no JSON object in the answer';
  for (const candidate of jsonObjectsIn(trimmed.slice(0, MAX_SCANNED_ANSWER))) {
    const result = ModelVerdictSchema.safeParse(candidate);
    if (result.success) return { ok: true, verdict: result.data };
    problem = `answer does not match the verdict schema: ${truncateBytes(z.prettifyError(result.error), 1000)}`;
  }
  return { ok: false, problem };
}

export function boundRawAnswer(text: string): string {
  return truncateBytes(text, RAW_ANSWER_MAX_BYTES);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError');
}
