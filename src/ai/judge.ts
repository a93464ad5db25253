import { ErrorType, KubeproofError } from '../errors';
import { AiMode } from '../run/vocabulary';
import type { AiEnv } from './ai-env';
import type { Evidence } from './evidence';
import { HOLMESGPT_DEFAULT_TIMEOUT_MS, HolmesGptProvider } from './holmesgpt-provider';
import type { OpenAiProviderConfig } from './openai-provider';
import { OpenAiProvider } from './openai-provider';
import type { Prompt } from './prompt';
import { renderPrompt } from './prompt';
import type { AiProvider, Deadline, ProviderAnswer } from './provider';
import { ProviderName, deadlineAfter, deadlineMessage, providerError } from './provider';
import { hardFailureFindings, rulesVerdict } from './rules';
import { cleanClusterText, scrubLiterals, truncate } from './sanitize';
import type { ModelVerdict, Provenance, Verdict } from './verdict';
import { Severity, VerdictLevel, VerdictSource } from './verdict';

// Defined once, with the rest of the run's vocabulary.
export { AiMode };

export const OPENAI_DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Default overall bound for one judge() call's provider work: every request (connect, headers, body), retry and
 * wait. Below the AI activity's start-to-close (3 minutes) with room for a retry of the activity, so a model that
 * stalls ends in the labelled rules fallback, not in an activity timeout.
 */
export const AI_DEADLINE_MS = 90_000;
export const NO_PROVIDER_REASON =
  'no AI provider configured (set OPENAI_BASE_URL or OPENAI_API_KEY for an OpenAI-compatible API, or HOLMESGPT_URL)';
export const MODEL_OVERRIDDEN = 'model verdict overridden by hard evidence';

/** Retry tuning for the OpenAI-compatible provider; the defaults suit production, tests shorten the waits. */
export type OpenAiTuning = Partial<
  Pick<OpenAiProviderConfig, 'maxRetries' | 'maxInvalidAnswers' | 'retryBaseMs' | 'maxRetryWaitMs'>
>;

export interface JudgeOptions {
  /** off: rules only. auto: a model when one is configured and answers, else rules. required: a model or throw. */
  mode: AiMode;
  /** From `parseAiEnv(process.env)` inside the worker; never from workflow input (it holds the API key). */
  env: AiEnv;
  /** Why the environment's AI settings are unusable, if they are: auto falls back to rules saying so, required fails. */
  configError?: string | undefined;
  /** Called every `heartbeatIntervalMs` while a provider is working (Temporal activity heartbeat). */
  heartbeat?: (() => void) | undefined;
  /** Cancels the provider request; a cancelled judge rejects instead of falling back to rules. */
  signal?: AbortSignal | undefined;
  /** Default 5000 ms; keep it well under the activity's heartbeatTimeout. */
  heartbeatIntervalMs?: number | undefined;
  /**
   * Overall bound for the provider, default AI_DEADLINE_MS; keep it below the activity's start-to-close. When it
   * passes, 'auto' falls back to the rules saying so and 'required' throws TransientApi.
   */
  deadlineMs?: number | undefined;
  openai?: OpenAiTuning | undefined;
}

export interface JudgeAudit {
  /** The instructions and evidence as sent (or, for rules, as they would have been sent). */
  prompt: Prompt;
  model?: string;
  rawAnswer?: string;
  provenance: Provenance;
}

export interface JudgeResult {
  verdict: Verdict;
  audit: JudgeAudit;
}

/**
 * The provider the environment asks for: HOLMESGPT_URL wins, then OPENAI_BASE_URL / OPENAI_API_KEY; undefined
 * when none is configured.
 */
export function selectProvider(env: AiEnv, tuning: OpenAiTuning = {}): AiProvider | undefined {
  if (env.HOLMESGPT_URL) {
    return new HolmesGptProvider({
      url: env.HOLMESGPT_URL,
      timeoutMs: env.KUBEPROOF_AI_TIMEOUT ?? HOLMESGPT_DEFAULT_TIMEOUT_MS,
    });
  }
  if (env.OPENAI_BASE_URL || env.OPENAI_API_KEY) {
    return new OpenAiProvider({
      baseURL: env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      apiKey: env.OPENAI_API_KEY,
      model: env.KUBEPROOF_AI_MODEL,
      timeoutMs: env.KUBEPROOF_AI_TIMEOUT ?? OPENAI_DEFAULT_TIMEOUT_MS,
      maxRetries: tuning.maxRetries ?? 2,
      maxInvalidAnswers: tuning.maxInvalidAnswers,
      retryBaseMs: tuning.retryBaseMs,
      maxRetryWaitMs: tuning.maxRetryWaitMs,
    });
  }
  return undefined;
}

/**
 * Produces the run's verdict. A model may judge soft signals, but it can never pass a run the evidence fails:
 * with unhealthy services or a failed step the verdict is 'fail' whatever the model said.
 *
 * Throws (mode 'required' only) KubeproofError AiUnavailable when no provider is configured or the provider
 * failed permanently, TransientApi when it failed transiently after its own retries. The API key is scrubbed
 * from the evidence before it is sent and from everything returned or thrown.
 */
export async function judge(evidence: Evidence, options: JudgeOptions): Promise<JudgeResult> {
  const started = performance.now();
  const secrets = options.env.OPENAI_API_KEY ? [options.env.OPENAI_API_KEY] : [];
  const safeEvidence = scrubLiterals(evidence, secrets);
  const prompt = renderPrompt(safeEvidence);
  const elapsed = () => Math.round(performance.now() - started);

  const fallback = (reason: string, attempts: number): JudgeResult => {
    const verdict = rulesVerdict(safeEvidence, reason);
    verdict.provenance = { ...verdict.provenance, latencyMs: elapsed(), attempts };
    return scrubLiterals({ verdict, audit: { prompt, provenance: verdict.provenance } }, secrets);
  };

  if (options.mode === AiMode.Off) return fallback('ai off', 0);
  if (options.configError) {
    if (options.mode === AiMode.Required) throw new KubeproofError(ErrorType.AiUnavailable, options.configError);
    return fallback(options.configError, 0);
  }
  const provider = selectProvider(options.env, options.openai);
  if (!provider) {
    if (options.mode === AiMode.Required) {
      throw new KubeproofError(
        ErrorType.AiUnavailable,
        "AI mode is 'required' but no AI provider is configured. Set OPENAI_BASE_URL (plus OPENAI_API_KEY if the " +
          'endpoint needs one) for an OpenAI-compatible API, or HOLMESGPT_URL for HolmesGPT; or run with AI off/auto.',
      );
    }
    return fallback(NO_PROVIDER_REASON, 0);
  }

  let answer: ProviderAnswer;
  const stopHeartbeat = startHeartbeat(options.heartbeat, options.heartbeatIntervalMs ?? 5000);
  const deadline = deadlineAfter(options.deadlineMs ?? AI_DEADLINE_MS);
  try {
    answer = await withinDeadline(
      provider,
      provider.verdictFor({ evidence: safeEvidence, prompt, signal: options.signal, deadline }),
      deadline,
    );
  } catch (err) {
    if (options.signal?.aborted) throw err;
    const failure = asProviderFailure(provider, err);
    if (options.mode === AiMode.Required) throw scrubError(failure, secrets);
    return fallback(failure.message, attemptsOf(failure));
  } finally {
    stopHeartbeat();
  }

  const provenance: Provenance = {
    source: provider.name === ProviderName.HolmesGpt ? VerdictSource.HolmesGpt : VerdictSource.Llm,
    ...(answer.model === undefined ? {} : { model: answer.model }),
    latencyMs: elapsed(),
    attempts: answer.attempts,
  };
  const verdict: Verdict = { ...enforceHardEvidence(answer.verdict, safeEvidence), provenance };
  const audit: JudgeAudit = {
    prompt: answer.prompt,
    ...(answer.model === undefined ? {} : { model: answer.model }),
    rawAnswer: answer.rawAnswer,
    provenance,
  };
  return scrubLiterals({ verdict, audit }, secrets);
}

/**
 * The model's verdict, raised to 'fail' when the evidence has hard failures. The model's findings are kept
 * after the critical ones, so a reader sees both what failed and what the model thought.
 */
export function enforceHardEvidence(model: ModelVerdict, evidence: Evidence): ModelVerdict {
  const hard = hardFailureFindings(evidence);
  if (hard.length === 0 || model.verdict === VerdictLevel.Fail) return model;
  const causes = hard.map((f) => f.message).join('; ');
  return {
    verdict: VerdictLevel.Fail,
    confidence: 1,
    summary: truncate(
      `Failed on hard evidence: ${causes}. The model answered "${model.verdict}": ${model.summary}`,
      2000,
    ),
    findings: [
      {
        severity: Severity.Critical,
        service: null,
        message: MODEL_OVERRIDDEN,
        evidence: truncate(
          `model verdict "${model.verdict}" (confidence ${model.confidence}) contradicts: ${causes}`,
          2000,
        ),
      },
      ...hard,
      ...model.findings,
    ],
    recommendations: model.recommendations,
  };
}

/** How long a provider may take, after the deadline fired, to report it itself (with its attempt count). */
const DEADLINE_GRACE_MS = 1000;

/**
 * The provider's answer, or a TransientApi failure once the deadline has fired: the provider's own (it sees the
 * deadline on every request and says how many attempts it made), or, from a provider that ignores the deadline,
 * a generic one DEADLINE_GRACE_MS later (its late answer is then dropped).
 */
function withinDeadline(
  provider: AiProvider,
  work: Promise<ProviderAnswer>,
  deadline: Deadline,
): Promise<ProviderAnswer> {
  return new Promise<ProviderAnswer>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onDeadline = () => {
      grace = setTimeout(
        () => reject(providerError(provider.name, true, deadlineMessage(deadline, 0), { attempts: 0 })),
        DEADLINE_GRACE_MS,
      );
    };
    if (deadline.signal.aborted) onDeadline();
    else deadline.signal.addEventListener('abort', onDeadline, { once: true });
    void work.then(resolve, reject).finally(() => {
      deadline.signal.removeEventListener('abort', onDeadline);
      clearTimeout(grace);
    });
  });
}

function startHeartbeat(heartbeat: (() => void) | undefined, intervalMs: number): () => void {
  if (!heartbeat) return () => undefined;
  const beat = () => {
    try {
      heartbeat();
    } catch {
      // A failing heartbeat callback must not become an uncaught exception in a timer; the activity's own
      // heartbeat timeout reports a worker that really stopped.
    }
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  return () => clearInterval(timer);
}

function asProviderFailure(provider: AiProvider, err: unknown): KubeproofError {
  if (err instanceof KubeproofError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new KubeproofError(ErrorType.AiUnavailable, `${provider.name}: ${cleanClusterText(message, 500)}`, {
    provider: provider.name,
  });
}

function attemptsOf(err: KubeproofError): number {
  const attempts = err.details['attempts'];
  return typeof attempts === 'number' ? attempts : 0;
}

function scrubError(err: KubeproofError, secrets: string[]): KubeproofError {
  return new KubeproofError(err.type, scrubLiterals(err.message, secrets), scrubLiterals(err.details, secrets));
}
