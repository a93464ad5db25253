import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHtml } from '../../../src/cli/report/html';
import type { MetricSummary } from '../../../src/baseline/types';
import type { LedgerEntry } from '../../../src/run/ledger';
import { failedRun, passedRun } from './fixtures';

const summary = (p95: number): MetricSummary => ({
  metric: 'podReady',
  unit: 'ms',
  n: 5,
  failures: 0,
  successRate: 1,
  mean: p95,
  median: p95,
  p50: p95,
  p90: p95,
  p95,
  p99: p95,
  stddev: 0,
  mad: 0,
  min: p95,
  max: p95,
});
const entry = (runId: string, p95: number): LedgerEntry => ({
  runId,
  workflowId: `wf-${runId}`,
  at: `2026-11-2${runId.length}T00:00:00Z`,
  grade: 'Good',
  regressed: false,
  regressedMetrics: [],
  summaries: [summary(p95)],
  samples: { podReady: [p95] },
});

/** The SVG circles of the trend plot, in order, as [class, cy]. */
function trendDots(html: string): { cls: string; cy: number }[] {
  const svg = html.slice(html.indexOf('data-plot="baseline-trend"'));
  return [...svg.matchAll(/<circle class="(\w+)" cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => ({
    cls: m[1]!,
    cy: Number(m[2]),
  }));
}

describe('renderHtml', () => {
  it('plots the pod-ready latency distribution with one bar per bin holding every pod', () => {
    const run = passedRun({
      pods: [0, 1, 2, 3].map((i) => ({
        pod: `p${i}`,
        service: 's',
        createdAt: 1000,
        readyAt: 1000 + 100 * (i + 1),
        restarts: 0,
        phase: 'Running',
      })),
    });
    const html = renderHtml(run);
    assert.ok(html.includes('data-plot="pod-ready-histogram"'));
    const counts = [...html.matchAll(/: (\d+) pods<\/title>/g)].map((m) => Number(m[1]));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      4,
      'every pod is in exactly one bin',
    );
  });

  it('draws the baseline trend oldest to newest with only the current run highlighted', () => {
    const run = passedRun();
    const ledger = [entry('a', 100), entry('bb', 300), entry(run.runId, 200)];
    const dots = trendDots(renderHtml(run, { ledger }));
    assert.deepEqual(
      dots.map((d) => d.cls),
      ['dot', 'dot', 'current'],
    );
    assert.ok(dots[1]!.cy < dots[2]!.cy && dots[2]!.cy < dots[0]!.cy, 'higher latency is drawn higher');
  });

  it('escapes cluster-provided text and carries no script or external asset', () => {
    const html = renderHtml(failedRun('<script>alert(1)</script> & "x"'));
    assert.ok(!html.includes('<script>alert'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;'));
    assert.ok(!/<script|src="http/.test(html));
  });
});
