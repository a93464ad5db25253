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
/**
 * Answers longer than this are invalid: a verdict (summary ≤ 2000 characters, a few findings) fits in a few KB,
 * so 64 KB leaves room for prose around it while keeping the JSON search and the schema check small.
 */
export const MAX_ANSWER_BYTES = 64 * 1024;
/**
 * HTTP response bodies are read up to this many bytes and abandoned beyond it. Larger than MAX_ANSWER_BYTES
 * because the answer travels JSON-escaped inside an envelope (`\n` and `\u00e9` take 2 and 6 bytes).
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

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

export interface VerdictRequest {
  evidence: Evidence;
  prompt: Prompt;
  /** The caller's cancellation (activity cancelled): the provider rejects with its reason. */
  signal?: AbortSignal | undefined;
  /**
   * The overall AI deadline (src/ai/judge.ts): covers connecting, headers and body of every request and the
   * waits between retries. When it fires the provider rejects with a TransientApi error saying so.
   */
  deadline?: Deadline | undefined;
}

export interface AiProvider {
  readonly name: ProviderName;
  verdictFor(input: VerdictRequest): Promise<ProviderAnswer>;
}

/** An AbortSignal that fires `ms` after it was created, with the bound kept for messages. */
export interface Deadline {
  signal: AbortSignal;
  ms: number;
}

export function deadlineAfter(ms: number): Deadline {
  return { signal: AbortSignal.timeout(ms), ms };
}

export function deadlineMessage(deadline: Deadline, attempts: number): string {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return `AI deadline of ${deadline.ms} ms exceeded (connect, headers and body)${tries}`;
}

/** The caller's signal and the deadline's, as one signal for fetch. */
export function requestSignal(input: Pick<VerdictRequest, 'signal' | 'deadline'>): AbortSignal | undefined {
  const signals = [input.signal, input.deadline?.signal].filter((s): s is AbortSignal => s !== undefined);
  if (signals.length <= 1) return signals[0];
  return AbortSignal.any(signals);
}

/** A response body that went past MAX_RESPONSE_BYTES; reading stopped there and the request was aborted. */
export class ResponseTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.name = 'ResponseTooLarge';
  }
}

/**
 * Reads a response body as text, at most `limit` bytes. Beyond that it cancels the stream (which closes the
 * connection) and throws ResponseTooLarge, so a server streaming without end costs neither memory nor time.
 * Aborting the request's signal aborts the read as well.
 */
export async function readCappedText(response: Response, limit = MAX_RESPONSE_BYTES): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
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
 * Reads a verdict from answer text: each balanced JSON object in it (the whole text, prose-wrapped answers,
 * code fences). The first object matching the schema wins. Answers over MAX_ANSWER_BYTES are invalid.
 */
export function parseVerdictText(text: string): ParsedAnswer {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'empty answer' };
  const bytes = Buffer.byteLength(trimmed, 'utf8');
  if (bytes > MAX_ANSWER_BYTES) {
    return { ok: false, problem: `answer is ${bytes} bytes, more than the ${MAX_ANSWER_BYTES} a verdict needs` };
  }
  let problem = 'no JSON object in the answer';
  for (const candidate of jsonObjectsIn(trimmed)) {
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

/** The signal's reason when it is an Error, else an AbortError. */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError');
}
