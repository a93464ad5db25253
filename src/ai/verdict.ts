import { z } from 'zod';
import { cleanModelText } from './sanitize';

import { VerdictLevel } from '../run/vocabulary';

// Defined once, with the rest of the run's vocabulary.
export { VerdictLevel };

export const Severity = { Info: 'info', Warning: 'warning', Critical: 'critical' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const VerdictSource = { Llm: 'llm', HolmesGpt: 'holmesgpt', Rules: 'rules' } as const;
export type VerdictSource = (typeof VerdictSource)[keyof typeof VerdictSource];

/**
 * A string the model writes, bounded and stripped of terminal escapes on parse. `.overwrite()` rather than
 * `.max()`: a model that writes 2,001 characters has still answered, and OpenAI strict mode does not accept
 * `maxLength` anyway, so the bound must not appear in the JSON schema sent to the model.
 */
const modelText = (max: number) => z.string().overwrite((s) => cleanModelText(s, max));

/** At most `max` items; extra items are dropped rather than failing the answer (see `modelText`). */
const boundedArray = <T extends z.ZodType>(item: T, max: number) => z.array(item).overwrite((a) => a.slice(0, max));

export const FindingSchema = z.object({
  severity: z.enum(Severity),
  /** `null` when the finding is about the cluster or the run rather than one service (strict mode: no optionals). */
  service: modelText(253).nullable().describe('Service name the finding is about, or null for cluster-wide'),
  message: modelText(1000).describe('What is wrong or notable, one or two sentences'),
  evidence: modelText(2000).describe('The evidence fields and values this finding is based on'),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * What the model returns. Every property is required, as OpenAI strict structured outputs demand; optional-ish
 * fields are `.nullable()`. Provenance is deliberately absent: the model must not be able to claim where a
 * verdict came from.
 */
export const ModelVerdictSchema = z.object({
  verdict: z.enum(VerdictLevel).describe('fail: not production-ready; warn: ready with concerns; pass: ready'),
  confidence: z.number().min(0).max(1).describe('0..1, how well the evidence supports the verdict'),
  summary: modelText(2000).describe('At most 2000 characters'),
  findings: boundedArray(FindingSchema, 50),
  recommendations: boundedArray(modelText(500), 20),
});
export type ModelVerdict = z.infer<typeof ModelVerdictSchema>;

/** Added by kubeproof after the verdict exists; never produced by a model. */
export const ProvenanceSchema = z.object({
  source: z.enum(VerdictSource),
  /** Model name as reported by the provider. */
  model: z.string().optional(),
  /** Wall-clock time spent producing the verdict, including retries. */
  latencyMs: z.number().nonnegative(),
  /** Why the rules produced this verdict instead of a model; always set when `source` is 'rules'. */
  fallbackReason: z.string().optional(),
  /** HTTP requests made to the provider (0 when none was asked). */
  attempts: z.number().int().nonnegative(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const VerdictSchema = ModelVerdictSchema.extend({ provenance: ProvenanceSchema });
export type Verdict = z.infer<typeof VerdictSchema>;

const rank: Record<VerdictLevel, number> = { pass: 0, warn: 1, fail: 2 };

/** The more severe of two verdict levels. */
export function worseVerdict(a: VerdictLevel, b: VerdictLevel): VerdictLevel {
  return rank[a] >= rank[b] ? a : b;
}
