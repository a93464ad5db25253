/** Activities that only compute: statistics, grading, regression tests and the AI verdict. */
import { Context } from '@temporalio/activity';
import { buildEvidence, judge, parseAiEnv, type AiEnv, type JudgeResult } from '../ai';
import { AI_DEADLINE_MS } from '../ai/judge';
import { summarize } from '../baseline';
import { analyzeSamples } from '../baseline/analysis';
import type { MetricSamples } from '../baseline/types';
import { podReadySamples } from '../k8s/measure';
import type { HealthReport, PodTimeline } from '../k8s/types';
import type { Targets } from '../scenarios/schema';
import type { CleanupResult } from '../k8s/cleanup';
import type { AiMode, BaselineResult, RunFailure } from '../run/contracts';

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
      });
      const ctx = Context.current();
      return judge(evidence, {
        mode: input.mode,
        // Below the activity's start-to-close (src/workflows/activity-options.ts), so a stalled model ends in the
        // labelled rules fallback rather than an activity timeout.
        deadlineMs: AI_DEADLINE_MS,
        env: aiEnv,
        configError: aiConfigError,
        heartbeat: () => ctx.heartbeat(),
        signal: ctx.cancellationSignal,
      });
    },

    /** Pure computation, kept in an activity so a change to the maths never changes workflow branching. */
    analyzeBaseline(input: {
      samples: MetricSamples[];
      targets: Targets;
      history: Record<string, number[][]>;
    }): Promise<BaselineResult> {
      return Promise.resolve(analyzeSamples(input.samples, input.targets, input.history));
    },
  };
}
