/** Per-run figures (SLI p99s, alert delivery) against the run-to-run spread of their history. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_SERIES_RUNS, compareSeries } from '../../../src/baseline/series';
import { describeFingerprint, fingerprintChanges, sameFingerprint } from '../../../src/baseline/fingerprint';
import type { ClusterFingerprint } from '../../../src/preflight/model';

describe('compareSeries', () => {
  const history = [100, 110, 95, 105, 102, 98];

  it(`reports insufficient history below ${MIN_SERIES_RUNS} earlier runs, and says the minimum`, () => {
    const result = compareSeries('apiReadP99', 500, [100, 110, 95, 105]);
    assert.equal(result.outcome, 'insufficient-history');
    assert.match(result.reason, /4 earlier runs with apiReadP99; at least 5 needed/);
  });

  it('calls a value within the spread unchanged', () => {
    assert.equal(compareSeries('apiReadP99', 112, history).outcome, 'unchanged');
  });

  it('calls a value far above the spread and above both floors a regression', () => {
    const result = compareSeries('apiReadP99', 400, history, { minAbsoluteMs: 50 });
    assert.equal(result.outcome, 'regressed', result.reason);
    assert.ok((result.z ?? 0) > 3);
    assert.equal(result.historyMedian, 101);
  });

  it('does not call a change under the absolute floor a regression, however far out', () => {
    assert.equal(compareSeries('apiReadP99', 140, history, { minAbsoluteMs: 50 }).outcome, 'unchanged');
  });

  it('relies on the floors when the history has no spread at all', () => {
    const flat = [100, 100, 100, 100, 100];
    assert.equal(compareSeries('x', 120, flat).outcome, 'unchanged', 'under the 25 % relative floor');
    assert.equal(compareSeries('x', 130, flat).outcome, 'regressed');
    assert.equal(compareSeries('x', 70, flat).outcome, 'improved');
    assert.equal(compareSeries('x', 130, flat).z, undefined);
  });

  it('refuses a value that is not a latency', () => {
    assert.throws(() => compareSeries('x', Number.NaN, history), RangeError);
  });
});

describe('cluster fingerprints', () => {
  const f: ClusterFingerprint = {
    kubernetesVersion: 'v1.35.2',
    nodes: 3,
    allocatable: { cpuMillicores: 12_000, memoryBytes: 48 * 2 ** 30, extended: { 'nvidia.com/gpu': 2 } },
    simulated: true,
  };

  it('are the same regardless of the order of extended resources, and differ when any figure does', () => {
    const reordered = { ...f, allocatable: { ...f.allocatable, extended: { 'nvidia.com/gpu': 2 } } };
    assert.ok(sameFingerprint(f, reordered));
    assert.ok(!sameFingerprint(f, { ...f, nodes: 4 }));
    assert.ok(!sameFingerprint(f, { ...f, simulated: false }));
    assert.ok(!sameFingerprint(f, undefined));
  });

  it("describe what changed in a person's words", () => {
    const after = {
      ...f,
      kubernetesVersion: 'v1.36.3',
      nodes: 4,
      allocatable: { ...f.allocatable, cpuMillicores: 16_000, extended: {} },
    };
    assert.deepEqual(fingerprintChanges(f, after), [
      'Kubernetes v1.35.2 → v1.36.3',
      'nodes 3 → 4',
      'allocatable CPU 12 → 16',
      'nvidia.com/gpu 2 → 0',
    ]);
    assert.deepEqual(fingerprintChanges(f, f), []);
  });

  it('label simulated nodes as such', () => {
    assert.equal(
      describeFingerprint(f),
      '3 nodes, Kubernetes v1.35.2, 12 CPU, 48 GiB, 2 nvidia.com/gpu, simulated nodes (KWOK)',
    );
  });
});
