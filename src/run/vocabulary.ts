/**
 * The words a run is described in, each defined once: steps, verdicts, AI modes. Const objects, so workflow code,
 * activities, the client and the CLI share the values without sharing anything else.
 */

/** The steps of one validation, in the order they run. */
export const StepName = {
  Preflight: 'preflight',
  Deploy: 'deploy',
  Health: 'health',
  Ai: 'ai',
  Baseline: 'baseline',
  Cleanup: 'cleanup',
} as const;
export type StepName = (typeof StepName)[keyof typeof StepName];
export const STEP_ORDER: readonly StepName[] = Object.values(StepName);

export const VerdictLevel = { Pass: 'pass', Warn: 'warn', Fail: 'fail' } as const;
export type VerdictLevel = (typeof VerdictLevel)[keyof typeof VerdictLevel];
/** The verdict of a run: pass, warn or fail. */
export type RunVerdict = VerdictLevel;

const verdictRank: Record<VerdictLevel, number> = { pass: 0, warn: 1, fail: 2 };

/** The worse of two verdicts: evidence can only ever lower a run's verdict, never raise it. */
export function worseVerdict(a: VerdictLevel, b: VerdictLevel): VerdictLevel {
  return verdictRank[b] > verdictRank[a] ? b : a;
}

/** off: rules only. auto: a model when one is configured and answers, else rules. required: a model or fail. */
export const AiMode = { Off: 'off', Auto: 'auto', Required: 'required' } as const;
export type AiMode = (typeof AiMode)[keyof typeof AiMode];
