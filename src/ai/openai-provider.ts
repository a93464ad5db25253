import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AiProvider, ProviderAnswer, VerdictRequest } from './provider';
import {
  ProviderName,
  ResponseTooLarge,
  abortReason,
  boundRawAnswer,
  deadlineMessage,
  parseVerdictText,
  providerError,
  readCappedText,
  requestSignal,
  sleep,
} from './provider';
import { cleanClusterText } from './sanitize';
import { ModelVerdictSchema } from './verdict';

export interface OpenAiProviderConfig {
  /** e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), a vLLM or LiteLLM endpoint. */
  baseURL: string;
  /** Optional: local OpenAI-compatible servers often need none. */
  apiKey?: string | undefined;
  model: string;
  /**
   * Per request, connect to the last byte of the body. A model reading 24 KB of evidence answers in seconds; a
   * stuck server should not hold the run. The overall bound for all attempts is the caller's deadline.
   */
  timeoutMs: number;
  /** Retries after transient failures (5xx, 429, timeouts, connection errors); 2 means at most 3 requests. */
  maxRetries: number;
  /** Answers that do not match the schema are re-asked this many times before giving up. Default 2. */
  maxInvalidAnswers?: number | undefined;
  /** First backoff step; doubled per retry, with jitter. Default 500 ms. */
  retryBaseMs?: number | undefined;
  /**
   * Upper bound for any single wait, including a server's retry-after. Default 20 s. The openai client's own
   * retry honours retry-after without a bound (a server answering `retry-after: 3600` would hold the activity
   * for an hour), which is why this provider retries itself and sets the client's maxRetries to 0.
   */
  maxRetryWaitMs?: number | undefined;
}

/** Placeholder sent as the bearer token when no key is configured; the client refuses to start without one. */
const NO_KEY = 'kubeproof-no-api-key';

const responseFormat = zodResponseFormat(ModelVerdictSchema, 'verdict');

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * fetch for the openai client that reads the whole body, at most MAX_RESPONSE_BYTES, before returning. The
 * client's own timeout stops once headers arrive; reading the body here, inside the client's fetch call, puts
 * the body under that timeout (and under the request's signal) too, and bounds its size.
 */
async function cappedFetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const text = await readCappedText(response);
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Asks an OpenAI-compatible chat completions endpoint for a verdict.
 *
 * Structured output first (`response_format` with the strict JSON schema). Servers that reject it (HTTP 400
 * naming response_format) get a plain request; answers wrapped in prose are searched for the first JSON
 * object matching the schema. Schema-invalid answers are re-asked with the validation error.
 */
export class OpenAiProvider implements AiProvider {
  readonly name = ProviderName.OpenAi;
  private readonly client: OpenAI;
  private readonly maxInvalidAnswers: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryWaitMs: number;

  constructor(private readonly config: OpenAiProviderConfig) {
    this.client = new OpenAI({
      baseURL: config.baseURL,
      apiKey: config.apiKey ?? NO_KEY,
      timeout: config.timeoutMs,
      maxRetries: 0,
      fetch: cappedFetch,
    });
    this.maxInvalidAnswers = config.maxInvalidAnswers ?? 2;
    this.retryBaseMs = config.retryBaseMs ?? 500;
    this.maxRetryWaitMs = config.maxRetryWaitMs ?? 20_000;
  }

  async verdictFor(input: VerdictRequest): Promise<ProviderAnswer> {
    const { prompt, deadline } = input;
    const signal = requestSignal(input);
    const started = performance.now();
    const conversation: ChatCompletionMessageParam[] = [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ];
    let messages = conversation;
    let structured = true;
    let attempts = 0;
    let retries = 0;
    let invalidAnswers = 0;
    /** The caller's cancellation wins; the deadline becomes a transient provider failure (auto falls back). */
    const stopped = (): Error | undefined => {
      if (input.signal?.aborted) return abortReason(input.signal);
      if (deadline?.signal.aborted) {
        return providerError(this.name, true, deadlineMessage(deadline, attempts), { attempts });
      }
      return undefined;
    };

    for (;;) {
      const before = stopped();
      if (before !== undefined) throw before;
      attempts++;
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await this.client.chat.completions.create(
          { model: this.config.model, messages, ...(structured ? { response_format: responseFormat } : {}) },
          { signal, maxRetries: 0 },
        );
      } catch (err) {
        const stop = stopped();
        if (stop !== undefined) throw stop;
        if (err instanceof APIUserAbortError) throw err;
        if (structured && rejectsResponseFormat(err)) {
          structured = false;
          continue;
        }
        const failure = describeFailure(err, this.config.timeoutMs);
        if (failure.transient && retries < this.config.maxRetries) {
          retries++;
          try {
            await sleep(this.waitBeforeRetry(retries, err), signal);
          } catch (aborted) {
            throw stopped() ?? aborted;
          }
          continue;
        }
        const suffix = failure.transient ? ` after ${attempts} attempts` : '';
        throw providerError(this.name, failure.transient, `${failure.what}${suffix}${failure.detail}`, {
          attempts,
          status: failure.status,
        });
      }

      const choice = (completion as Partial<typeof completion>).choices?.[0];
      const content = choice?.message.content ?? '';
      const parsed = choice?.message.refusal
        ? { ok: false as const, problem: `the model refused: ${choice.message.refusal}` }
        : parseVerdictText(content);
      if (parsed.ok) {
        return {
          verdict: parsed.verdict,
          model: typeof completion.model === 'string' && completion.model ? completion.model : this.config.model,
          attempts,
          rawAnswer: boundRawAnswer(content),
          latencyMs: Math.round(performance.now() - started),
          prompt,
        };
      }
      invalidAnswers++;
      if (invalidAnswers > this.maxInvalidAnswers) {
        throw providerError(
          this.name,
          false,
          `${invalidAnswers} answers did not match the verdict schema; last problem: ${parsed.problem}`,
          { attempts },
        );
      }
      messages = [
        ...conversation,
        {
          role: 'user',
          content: `Your previous answer was rejected: ${parsed.problem}. Answer again with only the JSON object described in the system message.`,
        },
      ];
    }
  }

  /** Exponential backoff with jitter, or the server's retry-after; never longer than maxRetryWaitMs. */
  private waitBeforeRetry(retry: number, err: unknown): number {
    const requested = err instanceof APIError ? retryAfterMs(err.headers as Headers | undefined) : undefined;
    const backoff = this.retryBaseMs * 2 ** (retry - 1) * (1 - Math.random() * 0.25);
    return Math.min(requested ?? backoff, this.maxRetryWaitMs);
  }
}

interface FailureDescription {
  transient: boolean;
  what: string;
  detail: string;
  status?: number | undefined;
}

function describeFailure(err: unknown, timeoutMs: number): FailureDescription {
  if (err instanceof APIConnectionTimeoutError) {
    return { transient: true, what: `no answer within ${timeoutMs} ms`, detail: '' };
  }
  if (err instanceof APIConnectionError && err.cause instanceof ResponseTooLarge) {
    return { transient: false, what: err.cause.message, detail: '' };
  }
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? (err.cause.cause ?? err.cause) : undefined;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return { transient: true, what: `connection failed${code ? ` (${code})` : ''}`, detail: '' };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const transient = status === 408 || status === 409 || status === 429 || status >= 500;
    return { transient, what: `HTTP ${status}`, detail: `: ${serverMessage(err)}`, status };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { transient: false, what: 'request failed', detail: `: ${cleanClusterText(message, 300)}` };
}

function serverMessage(err: { error: unknown; message: string }): string {
  const body = err.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : err.message;
  return cleanClusterText(text, 300);
}

/** Servers without structured-output support answer 400 and name the parameter they do not understand. */
function rejectsResponseFormat(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status !== 400) return false;
  const text = `${err.message} ${JSON.stringify(err.error ?? {})}`;
  return /response_format|json_schema|structured output/i.test(text);
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
