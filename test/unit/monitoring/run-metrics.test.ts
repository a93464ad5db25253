/** The activity that updates kubeproof's own metrics when a run finishes: it must accept a real run's summary. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMonitoringActivities } from '../../../src/activities/monitoring';
import { registry } from '../../../src/worker/metrics';

describe('recordRunMetrics', () => {
  it('counts the run by scenario, cluster and verdict and observes each step that ran', async () => {
    const activities = createMonitoringActivities({ env: {} });
    await activities.recordRunMetrics({
      scenario: 'metrics-probe',
      cluster: 'unit',
      verdict: 'warn',
      steps: [
        { name: 'deploy', status: 'ok', startedAt: 0, durationMs: 1200 },
        { name: 'baseline', status: 'skipped', startedAt: 0, durationMs: 0 },
      ],
      leftovers: 0,
    });
    const text = await registry.metrics();
    assert.match(text, /kubeproof_runs_total\{[^}]*scenario="metrics-probe"[^}]*verdict="warn"[^}]*\} 1/);
    assert.match(text, /kubeproof_step_duration_seconds_count\{step="deploy"\} 1/);
    assert.doesNotMatch(text, /step="baseline"/, 'a skipped step is not a duration');
  });
});
