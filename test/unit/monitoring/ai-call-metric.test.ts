/** The judgeRun activity counts every AI call on kubeproof's /metrics by outcome; `--ai off` asks no model. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAnalysisActivities } from '../../../src/activities/analysis';
import type { JudgeResult } from '../../../src/ai';
import { registry } from '../../../src/worker/metrics';

async function aiCalls(outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('kubeproof_ai_call_duration_seconds')?.get();
  const values = (metric?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[];
  return values.find((v) => v.metricName?.endsWith('_count') && v.labels.outcome === outcome)?.value ?? 0;
}

const input = (mode: 'auto' | 'off') => ({
  mode,
  scenario: 's',
  cluster: 'c',
  pods: [],
  targets: {},
});

test('an AI call that falls back to the rules is counted as a fallback; --ai off is not an AI call', async () => {
  const activities = createAnalysisActivities({ env: {} });
  const env = new MockActivityEnvironment();
  const before = await aiCalls('fallback');
  const judged: JudgeResult = await env.run(() => activities.judgeRun(input('auto')));
  assert.equal(judged.verdict.provenance.source, 'rules', 'no provider is configured');
  assert.equal(await aiCalls('fallback'), before + 1);
  await env.run(() => activities.judgeRun(input('off')));
  assert.equal(await aiCalls('fallback'), before + 1);
});
