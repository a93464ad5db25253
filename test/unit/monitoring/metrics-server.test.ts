import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  observeAiCall,
  observeStep,
  parseMetricsEnv,
  recordCleanupLeftovers,
  recordRun,
  sdkTelemetryOptions,
  setCanary,
  startMetricsServer,
} from '../../../src/worker/metrics';

test('the metrics server serves runs, steps, leftovers, AI calls and the canary in Prometheus format', async () => {
  const server = await startMetricsServer({ port: 0 });
  try {
    recordRun({ scenario: 'web-app', cluster: 'unit', verdict: 'pass' });
    observeStep('deploy', 1500);
    recordCleanupLeftovers('unit', 2);
    observeAiCall('fallback', 300);
    setCanary('run-unit-1', 1);
    const body = await (await fetch(server.url)).text();
    assert.match(body, /kubeproof_runs_total\{scenario="web-app",cluster="unit",verdict="pass"\} 1/);
    assert.match(body, /kubeproof_step_duration_seconds_bucket\{le="2",step="deploy"\} 1/);
    assert.match(body, /kubeproof_cleanup_leftover_objects_total\{cluster="unit"\} 2/);
    assert.match(body, /kubeproof_ai_call_duration_seconds_count\{outcome="fallback"\} 1/);
    assert.match(body, /kubeproof_canary_alert\{run="run-unit-1"\} 1/);
    setCanary('run-unit-1', 0);
    assert.doesNotMatch(await (await fetch(server.url)).text(), /run-unit-1/);
    assert.equal((await fetch(server.url.replace('/metrics', '/other'))).status, 404);
  } finally {
    await server.close();
  }
});

test('a taken port is refused with the variable to change', async () => {
  const first = await startMetricsServer({ port: 0 });
  try {
    await assert.rejects(startMetricsServer({ port: first.port }), /KUBEPROOF_METRICS_PORT/);
  } finally {
    await first.close();
  }
});

test('the metrics environment has loopback defaults and rejects a bad port', () => {
  const env = parseMetricsEnv({});
  assert.deepEqual(env, {
    KUBEPROOF_METRICS_PORT: 9464,
    KUBEPROOF_METRICS_HOST: '127.0.0.1',
    KUBEPROOF_SDK_METRICS_PORT: 9465,
  });
  assert.deepEqual(sdkTelemetryOptions(env), { metrics: { prometheus: { bindAddress: '127.0.0.1:9465' } } });
  assert.throws(() => parseMetricsEnv({ KUBEPROOF_METRICS_PORT: 'ninety' }), /KUBEPROOF_METRICS_PORT/);
});
