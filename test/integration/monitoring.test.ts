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
import { renderText } from '../../src/cli/report/text';
import { readLedger } from '../../src/client/ledger';
import { outcomeOf, startValidation } from '../../src/client/validation';
import type { CheckResult } from '../../src/run/checks';
import { parseScenarioData } from '../../src/scenarios';
import { leftovers } from '../helpers/cluster';
import { uniqueTaskQueue } from '../helpers/env';
import { defaultDeps, temporalClient, withWorker } from '../helpers/worker';
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

test('a full run passes the monitoring checks, reports the API server p99 by verb, and its metrics reach Prometheus', async () => {
  const cluster = `monitoring-run-${process.pid}`;
  const scenario = parseScenarioData(
    {
      apiVersion: 'kubeproof.dev/v1',
      kind: 'Scenario',
      metadata: { name: 'monitored' },
      spec: {
        samples: 2,
        timeouts: { total: '5m', ready: '40s' },
        services: [
          { name: 'db', image: 'postgres:16', replicas: 1, ports: [{ port: 5432 }] },
          { name: 'api', image: 'nginx:1.27', replicas: 1, ports: [{ port: 80 }], dependsOn: [{ service: 'db' }] },
        ],
      },
    },
    'monitored.yaml',
  );
  const { client, close } = await temporalClient();
  const taskQueue = uniqueTaskQueue('monitored');
  try {
    const result = await withWorker(
      taskQueue,
      async () => {
        const outcome = await outcomeOf(
          await startValidation(client, { scenario, clusterName: cluster, ai: 'off', taskQueue }),
        );
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        // Ledgers are served by workers: read it while this one runs.
        return { ...outcome.result, ledger: await readLedger(client, cluster, 'monitored') };
      },
      defaultDeps({ env, canary: setCanary }),
    );
    assert.deepEqual(await leftovers(result.workflowId), []);
    const monitoringChecks = result.checks.filter((c) => c.id.startsWith('prometheus') || c.id === 'alert-pipeline');
    assert.equal(monitoringChecks.length, 4, JSON.stringify(result.checks.map((c) => c.id)));
    for (const c of monitoringChecks) assert.equal(c.status, 'pass', `${c.id}: ${c.reason}`);
    const delivery = byId(result.checks, 'alert-pipeline')?.metrics?.find((m) => m.name === 'alertDeliveryMs');
    assert.ok(delivery && delivery.value > 0, 'the canary alert was seen in Alertmanager, with its delivery time');
    assert.ok(result.monitoring && 'window' in result.monitoring && result.monitoring.apiserverP99MsByVerb.available);
    assert.match(renderText(result), /API server p99 by verb: .*GET \d/);
    assert.equal(
      result.ledger.entries[0]?.checkMetrics?.alertDeliveryMs,
      delivery.value,
      'alert delivery is a ledger figure',
    );

    // The worker's own /metrics (served by this process, scraped by the stack's Prometheus) counted the run.
    const prom = new PrometheusClient({ url: env.PROMETHEUS_URL });
    let samples: { value: number }[] = [];
    for (let i = 0; i < 40 && samples.length === 0; i++) {
      samples = (await prom.query(`kubeproof_runs_total{cluster="${cluster}",scenario="monitored"}`)).samples;
      if (samples.length === 0) await sleep(500);
    }
    assert.equal(samples.length, 1, 'Prometheus has the run counter of this run');
    assert.equal(samples[0]?.value, 1);
    const steps = await prom.query(`kubeproof_step_duration_seconds_count{step="deploy"}`);
    assert.ok(steps.samples.length > 0, 'step durations are exported too');
  } finally {
    await client.workflow
      .getHandle(`kubeproof-ledger/${cluster}/monitored`)
      .terminate('test finished')
      .catch(() => undefined);
    await close();
  }
});
