import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { CanaryAlertName } from '../../../src/monitoring/checks';
import { registry } from '../../../src/worker/metrics';

test('the shipped rule raises the alert the check waits for, from the gauge the worker exports, without a pending period', async () => {
  const file = path.resolve(__dirname, '../../../deploy/monitoring/kubeproof-rules.yaml');
  const doc = parse(fs.readFileSync(file, 'utf8')) as {
    groups: { rules: { alert: string; expr: string; for: string }[] }[];
  };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === CanaryAlertName);
  assert.ok(rule, `no ${CanaryAlertName} rule in ${file}`);
  assert.equal(rule.expr, 'kubeproof_canary_alert == 1');
  assert.equal(rule.for, '0s');
  assert.ok(registry.getSingleMetric('kubeproof_canary_alert'));
  const dashboard = fs.readFileSync(
    path.resolve(__dirname, '../../../deploy/monitoring/grafana-dashboard.json'),
    'utf8',
  );
  for (const name of (await registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => !n.includes('process_'))) {
    assert.ok(dashboard.includes(name), `the dashboard shows no panel for ${name}`);
  }
});
