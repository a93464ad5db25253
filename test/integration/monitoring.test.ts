/**
 * The monitoring checks against the local stack's real Prometheus and Alertmanager. The test process serves
 * kubeproof's /metrics on a free port and registers it with Prometheus through a target file in
 * .stack/prometheus/targets/ (removed afterwards), then raises the canary.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadStackConfig } from '../../scripts/stack/config';
import { monitoringDirs } from '../../scripts/stack/monitoring';
import {
  PrometheusClient,
  collectMetricsEvidence,
  readMonitoringConfig,
  runMonitoringChecks,
} from '../../src/monitoring';
import type { CheckResult } from '../../src/run/checks';
import {
  parseMetricsEnv,
  recordRun,
  sdkTelemetryOptions,
  setCanary,
  startMetricsServer,
  type MetricsServer,
} from '../../src/worker/metrics';

const cfg = loadStackConfig();
const env = {
  PROMETHEUS_URL: process.env.PROMETHEUS_URL ?? `http://127.0.0.1:${cfg.ports.prometheus}`,
  ALERTMANAGER_URL: process.env.ALERTMANAGER_URL ?? `http://127.0.0.1:${cfg.ports.alertmanager}`,
};
const targetFile = path.join(monitoringDirs(cfg).targets, `test-${process.pid}.json`);
let server: MetricsServer;
const runId = `monitoring-test-${process.pid}-${Date.now()}`;
const byId = (results: CheckResult[], id: string): CheckResult | undefined => results.find((r) => r.id === id);

before(async () => {
  server = await startMetricsServer({ port: 0 });
  fs.mkdirSync(path.dirname(targetFile), { recursive: true });
  fs.writeFileSync(targetFile, JSON.stringify([{ targets: [`127.0.0.1:${server.port}`], labels: { test: runId } }]));
});

after(async () => {
  fs.rmSync(targetFile, { force: true });
  await server.close();
});

test('the monitoring checks pass on the local stack with measured latencies and the canary alert delivered', async () => {
  const results = await runMonitoringChecks({
    config: readMonitoringConfig(env),
    runId,
    setCanary,
    alertWaitMs: 60_000,
  });
  for (const r of results) assert.equal(r.status, 'pass', `${r.id}: ${r.reason}`);
  const targets = byId(results, 'prometheus-targets');
  assert.deepEqual((targets?.evidence.notScraped as string[]) ?? ['?'], []);
  const alert = byId(results, 'alert-pipeline');
  const delivery = alert?.metrics?.find((m) => m.name === 'alertDeliveryMs');
  assert.ok(delivery && delivery.value > 0 && delivery.value < 30_000, JSON.stringify(alert));
  assert.ok(byId(results, 'prometheus-health')?.metrics?.[0]?.value !== undefined);
});

test('an unreachable Prometheus makes every monitoring check fail with the error, without throwing', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const config = readMonitoringConfig({
    PROMETHEUS_URL: `http://127.0.0.1:${closed}`,
    ALERTMANAGER_URL: `http://127.0.0.1:${closed}`,
  });
  const results = await runMonitoringChecks({ config, runId, setCanary });
  assert.equal(results.length, 4);
  for (const r of results) {
    assert.equal(r.status, 'fail', r.id);
    assert.match(r.reason, /ECONNREFUSED/);
  }
});

test('an alert that never arrives fails with the time waited and lowers the canary', async () => {
  const results = await runMonitoringChecks({
    config: readMonitoringConfig(env),
    runId: `${runId}-never`,
    setCanary,
    canaryAlertName: 'KubeproofCanaryNoRuleRaisesThis',
    alertWaitMs: 3_000,
  });
  const alert = byId(results, 'alert-pipeline');
  assert.equal(alert?.status, 'fail');
  assert.match(alert?.reason ?? '', /did not reach Alertmanager within 3\.\d s/);
  assert.ok((alert?.evidence.waitedMs as number) >= 3_000);
  assert.doesNotMatch(await (await fetch(server.url)).text(), /-never/);
});

test('monitoring unset makes every check skipped with the reason', async () => {
  const results = await runMonitoringChecks({ config: readMonitoringConfig({}), runId, setCanary });
  assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['skipped']));
  assert.match(results[0]?.reason ?? '', /PROMETHEUS_URL is not set/);
});

test('a kubeproof series is queryable from Prometheus once it has scraped the metrics server, and evidence is honest', async () => {
  const start = new Date();
  recordRun({ scenario: 'monitoring-it', cluster: runId, verdict: 'pass' });
  const prom = new PrometheusClient({ url: env.PROMETHEUS_URL });
  let found = 0;
  for (let i = 0; i < 40 && !found; i++) {
    found = (await prom.query(`kubeproof_runs_total{cluster="${runId}"}`)).samples.length;
    if (!found) await sleep(500);
  }
  assert.equal(found, 1);
  const evidence = await collectMetricsEvidence(prom, {
    start: new Date(start.getTime() - 60_000),
    end: new Date(),
    namespace: 'default',
  });
  assert.equal(evidence.apiserverP99MsByVerb.available, true, JSON.stringify(evidence.apiserverP99MsByVerb));
  if (evidence.apiserverP99MsByVerb.available)
    assert.ok(Object.keys(evidence.apiserverP99MsByVerb.values).includes('GET'));
  // KWOK runs no containers and nothing scrapes a kubelet: CPU is reported unavailable, never invented.
  assert.equal(evidence.podCpuCores.available, false);
  assert.equal(evidence.firingAlerts.available, true);
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

test('a worker started after installing the runtime with sdkTelemetryOptions serves temporal_ metrics', async () => {
  const port = await freePort();
  const env = parseMetricsEnv({ KUBEPROOF_SDK_METRICS_PORT: String(port) });
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: sdkTelemetryOptions(env) });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:17233' });
  try {
    const worker = await Worker.create({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: `sdk-metrics-test-${process.pid}`,
      activities: { noop: () => Promise.resolve() },
    });
    let body = '';
    await worker.runUntil(async () => {
      for (let i = 0; i < 20 && !/temporal_/.test(body); i++) {
        await sleep(300);
        body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      }
    });
    assert.match(body, /^temporal_\w+/m);
  } finally {
    await connection.close();
  }
});
