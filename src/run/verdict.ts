/**
 * The verdict rule. Hard evidence sets a floor the verdict can never rise above; the AI and the baseline can only
 * make it worse. So text planted in cluster objects (an event message, an annotation) that talks a model into
 * "pass" cannot improve a run the evidence calls warn or fail.
 *
 * | evidence                                                          | verdict at least |
 * | ----------------------------------------------------------------- | ---------------- |
 * | a failed step (incl. cancelled, timed out), cleanup not confirmed | fail             |
 * | an unhealthy service, a failed check                              | fail             |
 * | restarts, warning events, a warned check, a p95 over its target   | warn             |
 * | baseline graded Poor; a regression (fail with failOnRegression)   | warn (fail)      |
 * | the AI's verdict                                                  | as given         |
 */
import type { HealthReport } from '../k8s/types';
import type { CheckResult } from './checks';
import type { BaselineResult, RunFailure } from './contracts';
import { VerdictLevel, worseVerdict } from './vocabulary';

export interface VerdictInput {
  failure?: RunFailure | undefined;
  cleanupProblem?: string | undefined;
  health?: HealthReport | undefined;
  checks?: readonly CheckResult[] | undefined;
  ai?: { verdict: VerdictLevel; source: string } | undefined;
  baseline?: BaselineResult | undefined;
  failOnRegression: boolean;
}

export interface VerdictOutcome {
  verdict: VerdictLevel;
  /** Every reason that set or lowered the verdict, worst first. */
  reasons: string[];
}

export function decideVerdict(input: VerdictInput): VerdictOutcome {
  const reasons: { level: VerdictLevel; text: string }[] = [];
  const add = (level: VerdictLevel, text: string) => reasons.push({ level, text });

  if (input.failure) add(VerdictLevel.Fail, `${input.failure.step} step failed: ${input.failure.message}`);
  if (input.cleanupProblem) add(VerdictLevel.Fail, input.cleanupProblem);
  for (const s of input.health?.services ?? []) {
    if (!s.healthy || s.readyReplicas < s.desiredReplicas) {
      add(VerdictLevel.Fail, `${s.service} unhealthy (${s.readyReplicas}/${s.desiredReplicas} ready)`);
      continue;
    }
    if (s.restarts > 0) add(VerdictLevel.Warn, `${s.service} restarted ${s.restarts} time(s)`);
    if (s.warningEvents.length > 0)
      add(VerdictLevel.Warn, `${s.service} has ${s.warningEvents.length} warning event(s)`);
  }
  for (const c of input.checks ?? []) {
    if (c.status === 'fail') add(VerdictLevel.Fail, `check ${c.id} failed: ${c.reason}`);
    else if (c.status === 'warn') add(VerdictLevel.Warn, `check ${c.id} warned: ${c.reason}`);
  }
  const baseline = input.baseline;
  if (baseline) {
    for (const g of baseline.grades) {
      if (g.target !== undefined && g.p95 > g.target) {
        add(VerdictLevel.Warn, `${g.metric} p95 ${Math.round(g.p95)} ms is over its target of ${g.target} ms`);
      }
    }
    if (baseline.overall === 'Poor') add(VerdictLevel.Warn, 'baseline graded Poor');
    if (baseline.regressed) {
      const metrics = regressedNames(baseline);
      add(input.failOnRegression ? VerdictLevel.Fail : VerdictLevel.Warn, `regression in ${metrics.join(', ')}`);
    }
  }
  if (input.ai && input.ai.verdict !== VerdictLevel.Pass)
    add(input.ai.verdict, `${input.ai.source} verdict ${input.ai.verdict}`);

  const verdict = reasons.reduce<VerdictLevel>((v, r) => worseVerdict(v, r.level), VerdictLevel.Pass);
  const rank = { fail: 0, warn: 1, pass: 2 } as const;
  const ordered = [...reasons].sort((a, b) => rank[a.level] - rank[b.level]).map((r) => r.text);
  return { verdict, reasons: ordered };
}

/** The sampled metrics and per-run check figures of a baseline that regressed, in report order. */
export function regressedNames(baseline: Pick<BaselineResult, 'regressions' | 'series'>): string[] {
  return [
    ...baseline.regressions.filter((r) => r.outcome === 'regressed').map((r) => r.metric),
    ...(baseline.series ?? []).filter((r) => r.outcome === 'regressed').map((r) => r.name),
  ];
}
