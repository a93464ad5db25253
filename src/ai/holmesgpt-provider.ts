import { z } from 'zod';
import type { Evidence } from './evidence';
import type { Prompt } from './prompt';
import { renderContextInstructions } from './prompt';
import type { AiProvider, ProviderAnswer, VerdictRequest } from './provider';
import {
  MAX_ANSWER_BYTES,
  ProviderName,
  ResponseTooLarge,
  boundRawAnswer,
  deadlineMessage,
  parseVerdictText,
  providerError,
  readCappedText,
  requestSignal,
} from './provider';
import { cleanClusterText, cleanModelText } from './sanitize';
import type { ModelVerdict } from './verdict';
import { Severity, VerdictLevel } from './verdict';

export interface HolmesGptProviderConfig {
  /** Base URL of the HolmesGPT server, e.g. http://holmes.holmes.svc:5050 (without /api/investigate). */
  url: string;
  /**
   * For the whole investigation. HolmesGPT runs its own tool-calling loop against the cluster before it answers,
   * which routinely takes minutes. Default 5 minutes.
   */
  timeoutMs?: number | undefined;
}

export const HOLMESGPT_DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The parts of HolmesGPT's InvestigationResult kubeproof reads; other fields are ignored. */
const InvestigationResultSchema = z.object({
  analysis: z.string().nullish(),
  tool_calls: z.array(z.unknown()).nullish(),
  instructions: z.array(z.unknown()).nullish(),
});

/** Body of `POST /api/investigate` (HolmesGPT's InvestigateRequest). */
export interface InvestigateRequest {
  source: 'kubeproof';
  title: string;
  description: string;
  subject: { scenario: string; cluster: string };
  context: { evidence: Evidence };
  include_tool_calls: false;
  include_tool_call_results: false;
}

export function investigateRequest(evidence: Evidence): InvestigateRequest {
  return {
    source: 'kubeproof',
    title: `kubeproof production-readiness verdict: scenario ${evidence.scenario} on cluster ${evidence.cluster}`,
    description: renderContextInstructions(),
    subject: { scenario: evidence.scenario, cluster: evidence.cluster },
    context: { evidence },
    include_tool_calls: false,
    include_tool_call_results: false,
  };
}

/**
 * Asks a HolmesGPT server to investigate. HolmesGPT answers in markdown; a JSON verdict inside it is used as
 * is. Without one, kubeproof does not guess pass or fail from keywords: the answer becomes a low-confidence
 * 'warn' whose first finding says so.
 */
export class HolmesGptProvider implements AiProvider {
  readonly name = ProviderName.HolmesGpt;
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(config: HolmesGptProviderConfig) {
    this.endpoint = `${config.url.replace(/\/+$/, '')}/api/investigate`;
    this.timeoutMs = config.timeoutMs ?? HOLMESGPT_DEFAULT_TIMEOUT_MS;
  }

  async verdictFor(input: VerdictRequest): Promise<ProviderAnswer> {
    const started = performance.now();
    const request = investigateRequest(input.evidence);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([requestSignal(input), timeout].filter((s): s is AbortSignal => s !== undefined));
    const { description, ...rest } = request;
    const sent: Prompt = { system: description, user: JSON.stringify(rest) };

    let response: Response;
    let body: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(request),
        signal,
      });
      // Read here, under the same signal: the timeout and the deadline cover the body, not only the headers.
      body = await readCappedText(response);
    } catch (err) {
      if (input.signal?.aborted) throw input.signal.reason ?? err;
      if (input.deadline?.signal.aborted) {
        throw providerError(this.name, true, deadlineMessage(input.deadline, 1), { attempts: 1 });
      }
      if (err instanceof ResponseTooLarge) throw providerError(this.name, false, err.message, { attempts: 1 });
      if (timeout.aborted) {
        throw providerError(this.name, true, `no answer within ${this.timeoutMs} ms`, { attempts: 1 });
      }
      throw providerError(this.name, true, `connection failed${causeCode(err)}`, { attempts: 1 });
    }

    if (!response.ok) {
      const transient = response.status === 429 || response.status >= 500;
      throw providerError(this.name, transient, `HTTP ${response.status}: ${cleanClusterText(body, 300)}`, {
        attempts: 1,
        status: response.status,
      });
    }
    const parsed = InvestigationResultSchema.safeParse(safeJson(body));
    const analysis = parsed.success ? parsed.data.analysis : undefined;
    if (!analysis) {
      throw providerError(this.name, false, 'the answer has no analysis text', { attempts: 1 });
    }
    const bytes = Buffer.byteLength(analysis, 'utf8');
    if (bytes > MAX_ANSWER_BYTES) {
      // Not turned into a low-confidence warn like other prose: an answer this size is not an investigation.
      throw providerError(
        this.name,
        false,
        `the analysis is ${bytes} bytes, more than the ${MAX_ANSWER_BYTES} a verdict needs`,
        { attempts: 1 },
      );
    }
    return {
      verdict: verdictFromAnalysis(analysis),
      attempts: 1,
      rawAnswer: boundRawAnswer(analysis),
      latencyMs: Math.round(performance.now() - started),
      prompt: sent,
    };
  }
}

/** A JSON verdict inside the analysis when there is one; otherwise an explicit low-confidence 'warn'. */
export function verdictFromAnalysis(analysis: string): ModelVerdict {
  const parsed = parseVerdictText(analysis);
  if (parsed.ok) return parsed.verdict;
  return {
    verdict: VerdictLevel.Warn,
    confidence: 0.3,
    summary: cleanModelText(analysis, 2000),
    findings: [
      {
        severity: Severity.Warning,
        service: null,
        message:
          'HolmesGPT answered in free text without a JSON verdict; kubeproof did not infer pass or fail from its ' +
          'wording and reports warn with low confidence. Read the summary.',
        evidence: `analysis: ${parsed.problem}`,
      },
    ],
    recommendations: [],
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function causeCode(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  return code ? ` (${code})` : '';
}
