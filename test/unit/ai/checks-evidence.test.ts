/** The health step's checks and the cluster's Prometheus metrics in the AI evidence, and in the rules verdict. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEvidence, rulesVerdict } from '../../../src/ai';
import type { MetricsEvidence } from '../../../src/monitoring/evidence';
import type { CheckResult } from '../../../src/run/checks';
import { input, service } from './sample-input';

const check = (id: string, status: CheckResult['status'], reason: string): CheckResult => ({
  id,
  title: id,
  status,
  reason,
  evidence: {},
  durationMs: 10,
});

const metrics: MetricsEvidence = {
  window: { start: '2026-12-02T00:00:00Z', end: '2026-12-02T00:01:00Z', range: '60s' },
  apiserverP99MsByVerb: { available: true, values: { GET: 12.345, POST: 40 } },
  schedulingLatency: { available: false, reason: 'no scheduler series' },
  podCpuCores: { available: false, reason: 'KWOK runs no containers' },
  podMemoryBytes: { available: false, reason: 'KWOK runs no containers' },
  firingAlerts: { available: true, alerts: [{ alertname: 'KubeAPIErrorBudgetBurn', labels: {} }] },
};

describe('checks and monitoring in the AI evidence', () => {
  it('lists failed and warning checks first, with their reasons, and the monitoring window as measured or unavailable', () => {
    const evidence = buildEvidence(
      input([service('web')], {
        checks: [
          check('nodes', 'pass', 'all 3 nodes Ready'),
          check('pdb', 'fail', 'eviction accepted'),
          check('psa', 'warn', 'privileged pod admitted'),
        ],
        monitoring: metrics,
      }),
    );
    assert.deepEqual(
      evidence.checks.map((c) => [c.id, c.status]),
      [
        ['pdb', 'fail'],
        ['psa', 'warn'],
        ['nodes', 'pass'],
      ],
    );
    assert.equal(evidence.checks[0]?.reason, 'eviction accepted');
    assert.deepEqual(evidence.monitoring, {
      apiserverP99MsByVerb: { GET: 12.3, POST: 40 },
      schedulingLatency: 'unavailable: no scheduler series',
      firingAlerts: ['KubeAPIErrorBudgetBurn'],
    });
  });

  it('says why there is no monitoring evidence rather than leaving it out', () => {
    const evidence = buildEvidence(
      input([service('web')], { monitoring: { available: false, reason: 'PROMETHEUS_URL is not set' } }),
    );
    assert.equal(evidence.monitoring, 'unavailable: PROMETHEUS_URL is not set');
    assert.equal(buildEvidence(input([service('web')])).monitoring, null);
  });

  it('cleans check reasons like any other cluster text', () => {
    const evidence = buildEvidence(
      input([service('web')], { checks: [check('dns', 'warn', 'absent\u001b[31m token=abc123secretvalue')] }),
    );
    assert.ok(!(evidence.checks[0]?.reason ?? '').includes(String.fromCharCode(27)), 'no terminal escape survives');
  });

  it('makes the rules verdict fail on a failed check and warn on a warning check or a firing alert', () => {
    const failed = rulesVerdict(
      buildEvidence(input([service('web')], { checks: [check('pdb', 'fail', 'eviction accepted')] })),
      'test',
    );
    assert.equal(failed.verdict, 'fail');
    assert.match(failed.findings[0]?.message ?? '', /Check pdb failed: eviction accepted/);
    const warned = rulesVerdict(
      buildEvidence(input([service('web')], { checks: [check('psa', 'warn', 'admitted')] })),
      'test',
    );
    assert.equal(warned.verdict, 'warn');
    const alerting = rulesVerdict(buildEvidence(input([service('web')], { monitoring: metrics })), 'test');
    assert.equal(alerting.verdict, 'warn');
    assert.match(alerting.findings.map((f) => f.message).join('\n'), /KubeAPIErrorBudgetBurn/);
    const clean = rulesVerdict(
      buildEvidence(input([service('web')], { checks: [check('nodes', 'pass', 'ok')] })),
      'test',
    );
    assert.equal(clean.verdict, 'pass');
  });
});
