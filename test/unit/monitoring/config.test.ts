import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMonitoringConfig } from '../../../src/monitoring/config';
import { controlPlaneComponent, gradeLatency } from '../../../src/monitoring/grading';
import { rangeFor } from '../../../src/monitoring/evidence';

test('monitoring is unset, with the variable to set, when PROMETHEUS_URL is absent or blank', () => {
  for (const env of [{}, { PROMETHEUS_URL: '  ' }]) {
    const cfg = readMonitoringConfig(env);
    assert.equal(cfg.state, 'unset');
    assert.match((cfg as { reason: string }).reason, /PROMETHEUS_URL is not set/);
  }
});

test('a URL, bearer token, basic auth and CA file are parsed per endpoint', () => {
  const cfg = readMonitoringConfig({
    PROMETHEUS_URL: 'https://prom.example:9090/',
    PROMETHEUS_BEARER_TOKEN: 't0ken',
    PROMETHEUS_CA_FILE: '/etc/ca.pem',
    ALERTMANAGER_URL: 'http://am:9093',
    ALERTMANAGER_BASIC_AUTH: 'alice:pa:ss',
  });
  assert.deepEqual(cfg, {
    state: 'configured',
    prometheus: { url: 'https://prom.example:9090', bearerToken: 't0ken', caFile: '/etc/ca.pem' },
    alertmanager: { url: 'http://am:9093', basicAuth: { user: 'alice', password: 'pa:ss' } },
  });
});

test('a malformed URL, basic auth without a colon, or two kinds of auth are invalid and name the variable', () => {
  const bad = readMonitoringConfig({ PROMETHEUS_URL: 'not a url' });
  assert.equal(bad.state, 'invalid');
  assert.match((bad as { reason: string }).reason, /PROMETHEUS_URL/);
  const basic = readMonitoringConfig({ PROMETHEUS_URL: 'http://p', ALERTMANAGER_BASIC_AUTH: 'alice' });
  assert.match((basic as { reason: string }).reason, /ALERTMANAGER_BASIC_AUTH must be user:password/);
  const both = readMonitoringConfig({
    PROMETHEUS_URL: 'http://p',
    PROMETHEUS_BEARER_TOKEN: 'a',
    PROMETHEUS_BASIC_AUTH: 'u:p',
  });
  assert.match((both as { reason: string }).reason, /not both/);
});

test('latency within the target passes and beyond it warns', () => {
  assert.equal(gradeLatency(5000, 5000), 'pass');
  assert.equal(gradeLatency(5001, 5000), 'warn');
});

test('control-plane jobs are recognised by their usual job names and others are not', () => {
  assert.equal(controlPlaneComponent('kubernetes-apiservers'), 'apiserver');
  assert.equal(controlPlaneComponent('kube-scheduler'), 'scheduler');
  assert.equal(controlPlaneComponent('kube-controller-manager'), 'controller-manager');
  assert.equal(controlPlaneComponent('kube-etcd'), 'etcd');
  assert.equal(controlPlaneComponent('node-exporter'), undefined);
});

test('the evidence range covers the run window, and at least the minimum for a short run', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  assert.equal(rangeFor(start, new Date('2026-01-01T00:02:00.200Z')), '121s');
  assert.equal(rangeFor(start, new Date('2026-01-01T00:00:05Z')), '30s');
});
