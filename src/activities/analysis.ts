/** Activities that only compute: statistics, grading, regression tests and the AI verdict. */
import { Context } from '@temporalio/activity';
import { buildEvidence, judge, parseAiEnv, type AiEnv, type JudgeResult } from '../ai';
import { AI_DEADLINE_MS } from '../ai/judge';
import { summarize } from '../baseline';
import { MIN_HISTORY_RUNS, analyzeSamples } from '../baseline/analysis';
import type { MetricSamples } from '../baseline/types';
import type { ClusterFingerprint } from '../preflight/model';
import type { LedgerHistory } from './ledger';
import { podReadySamples } from '../k8s/measure';
import type { HealthReport, PodTimeline } from '../k8s/types';
import type { Targets } from '../scenarios/schema';
import type { CleanupResult } from '../k8s/cleanup';
import type { BaselineResult, MonitoringEvidence, RunFailure } from '../run/contracts';
import type { CheckResult } from '../run/checks';
import { AiMode } from '../run/vocabulary';
import { observeAiCall, type AiCallOutcome } from '../worker/metrics';
import { VerdictSource } from '../ai/verdict';

export interface AnalysisDeps {
  /** The environment AI settings are read from (the worker's; secrets never travel in workflow inputs). */
  env: NodeJS.ProcessEnv;
}

export function createAnalysisActivities(deps: AnalysisDeps) {
  // Parsed once, when the worker starts; a bad setting does not fail runs that do not need the AI.
  let aiEnv: AiEnv = parseAiEnv({});
  let aiConfigError: string | undefined;
  try {
    aiEnv = parseAiEnv(deps.env);
  } catch (error) {
    aiConfigError = (error as Error).message.replace(/\s*\n\s*/g, ' ');
  }
  return {
    /**
     * The AI verdict over a run's evidence. On a failed run it also gets the failed step and service, the health
     * snapshot taken before cleanup (absent when none could be taken), and what cleanup did.
     */
    async judgeRun(input: {
      mode: AiMode;
      scenario: string;
      cluster: string;
      health?: HealthReport;
      pods: PodTimeline[];
      targets: Targets;
      failedStep?: RunFailure;
      cleanup?: CleanupResult;
      checks?: CheckResult[];
      monitoring?: MonitoringEvidence;
    }): Promise<JudgeResult> {
      const evidence = buildEvidence({
        scenario: input.scenario,
        cluster: input.cluster,
        health: input.health ?? { checkedAt: new Date().toISOString(), healthy: false, services: [] },
        latency: input.pods.length > 0 ? [summarize(podReadySamples(input.pods))] : [],
        targets: input.targets,
        ...(input.failedStep
          ? {
              failedStep: {
                step: input.failedStep.step,
                service: input.failedStep.service,
                type: input.failedStep.type,
                reason: input.failedStep.message,
                pods: input.pods.filter((p) => p.service === input.failedStep?.service),
              },
            }
          : {}),
        ...(input.cleanup ? { cleanup: { deleted: input.cleanup.deleted.length, left: input.cleanup.left } } : {}),
        checks: input.checks,
        monitoring: input.monitoring,
      });
      const ctx = Context.current();
      const started = Date.now();
      const judged = () =>
        judge(evidence, {
          mode: input.mode,
          // Below the activity's start-to-close (src/workflows/activity-options.ts), so a stalled model ends in the
          // labelled rules fallback rather than an activity timeout.
          deadlineMs: AI_DEADLINE_MS,
          env: aiEnv,
          configError: aiConfigError,
          heartbeat: () => ctx.heartbeat(),
          signal: ctx.cancellationSignal,
        });
      // With --ai off no model is asked: nothing to observe.
      if (input.mode === AiMode.Off) return judged();
      try {
        const result = await judged();
        observeAiCall(aiCallOutcome(result), Date.now() - started);
        return result;
      } catch (error) {
        observeAiCall('failure', Date.now() - started);
        throw error;
      }
    },

    /** Pure computation, kept in an activity so a change to the maths never changes workflow branching. */
    analyzeBaseline(input: {
      samples: MetricSamples[];
      targets: Targets;
      history: LedgerHistory;
      /** The checks' per-run figures of this run, in ms. */
      checkMetrics?: Record<string, number>;
      fingerprint?: ClusterFingerprint;
    }): Promise<BaselineResult> {
      const { history } = input;
      const analysis = analyzeSamples(input.samples, input.targets, history.samples, {
        current: input.checkMetrics ?? {},
        history: history.checkMetrics,
      });
      return Promise.resolve({
        ...analysis,
        historyRuns: history.runs,
        comparison: {
          ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}),
          otherFingerprints: history.otherFingerprints,
          ...(history.fingerprintNote ? { fingerprintNote: history.fingerprintNote } : {}),
          minHistoryRuns: MIN_HISTORY_RUNS,
        },
      });
    },
  };
}

/** A real model's answer, the labelled rules fallback, or (thrown) a failure: the AI call metric's outcome label. */
function aiCallOutcome(result: JudgeResult): AiCallOutcome {
  return result.verdict.provenance.source === VerdictSource.Rules ? 'fallback' : 'model';
}
