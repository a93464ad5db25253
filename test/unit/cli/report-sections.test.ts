/** Checks, monitoring evidence and the baseline's cluster fingerprint in the text, Markdown and HTML reports. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHtml } from '../../../src/cli/report/html';
import { renderMarkdown } from '../../../src/cli/report/markdown';
import { renderText } from '../../../src/cli/report/text';
import type { ValidationResult } from '../../../src/run/contracts';
import { passedRun } from './fixtures';

const fingerprint = {
  kubernetesVersion: 'v1.36.3',
  nodes: 3,
  allocatable: { cpuMillicores: 96_000, memoryBytes: 3 * 256 * 2 ** 30, extended: { 'nvidia.com/gpu': 2 } },
  simulated: true,
};

function richRun(): ValidationResult {
  const base = passedRun();
  return {
    ...base,
    checks: [
      {
        id: 'api-latency',
        title: 'API server latency SLIs',
        status: 'pass',
        reason: 'within the SIG-scalability SLOs',
        evidence: {},
        durationMs: 812,
        metrics: [{ name: 'apiMutatingP99', value: 21, unit: 'ms' }],
      },
      {
        id: 'storage-class',
        title: 'Default StorageClass',
        status: 'skipped',
        reason: 'absent: no default StorageClass',
        evidence: {},
        durationMs: 3,
      },
    ],
    monitoring: {
      window: { start: '2026-12-02T00:00:00.000Z', end: '2026-12-02T00:01:00.000Z', range: '60s' },
      apiserverP99MsByVerb: { available: true, values: { GET: 9.9, POST: 41.2 } },
      schedulingLatency: {
        available: true,
        metric: 'scheduler_pod_scheduling_sli_duration_seconds',
        p50Ms: 3,
        p99Ms: 12,
      },
      podCpuCores: { available: false, reason: 'KWOK runs no containers' },
      podMemoryBytes: { available: false, reason: 'KWOK runs no containers' },
      firingAlerts: { available: true, alerts: [] },
    },
    baseline: {
      ...base.baseline!,
      historyRuns: 0,
      series: [
        {
          name: 'apiMutatingP99',
          outcome: 'insufficient-history',
          current: 21,
          historyRuns: 2,
          reason: '2 earlier runs; at least 5 needed',
        },
      ],
      comparison: {
        fingerprint,
        otherFingerprints: 4,
        fingerprintNote:
          'Kubernetes v1.35.2 → v1.36.3 since the last run: compared with 0 runs of this cluster shape; `kubeproof baseline ack` to start a new normal',
        minHistoryRuns: { sampled: 1, perRun: 5 },
      },
    },
  };
}

describe('report sections', () => {
  for (const [format, render] of [
    ['text', renderText],
    ['markdown', renderMarkdown],
    ['html', renderHtml],
  ] as const) {
    it(`${format}: shows every check with its status and reason`, () => {
      const out = render(richRun());
      assert.match(out, /api-latency/);
      assert.match(out, /within the SIG-scalability SLOs/);
      assert.match(out, /storage-class/);
      assert.match(out, /absent: no default StorageClass/);
    });

    it(`${format}: shows the API server p99 by verb from Prometheus and what it could not see`, () => {
      const out = render(richRun());
      assert.match(out, /API server p99 by verb: GET 9\.9 ms, POST 41\.2 ms/);
      assert.match(out, /run(&#39;|'|’)s pods CPU: unavailable \(KWOK runs no containers\)/);
    });

    it(`${format}: labels a baseline measured on simulated nodes and says what the fingerprint change means`, () => {
      const out = render(richRun());
      assert.match(
        out,
        /measured on 3 nodes, Kubernetes v1\.36\.3, 96 CPU, 768 GiB, 2 nvidia\.com\/gpu, simulated nodes \(KWOK\)/,
      );
      assert.match(out, /simulated nodes: pod latencies are the simulator/);
      assert.match(out, /Kubernetes v1\.35\.2 → v1\.36\.3 since the last run: compared with 0 runs/);
      assert.match(
        out,
        /compared with 0 earlier runs of the same cluster shape \(4 on another cluster shape left out\)/,
      );
      assert.match(out, /apiMutatingP99/);
      assert.match(out, /insufficient-history/);
    });
  }

  it('leaves the sections out of a run that has none of them', () => {
    const plain = renderMarkdown(passedRun());
    assert.doesNotMatch(plain, /### Checks/);
    assert.doesNotMatch(plain, /Monitoring evidence/);
  });
});
