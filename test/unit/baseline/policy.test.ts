/** Baseline policy: which history a run is compared with, and which changes are too small to be a regression. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSamples, noiseFloorMs } from '../../../src/baseline/analysis';
import { comparisonHistory } from '../../../src/baseline/history';
import type { ClusterFingerprint } from '../../../src/preflight/model';
import type { LedgerEntry, LedgerState } from '../../../src/run/ledger';

const kwok3: ClusterFingerprint = {
  kubernetesVersion: 'v1.35.2',
  nodes: 3,
  allocatable: { cpuMillicores: 96_000, memoryBytes: 3 * 256 * 2 ** 30, extended: {} },
  simulated: true,
};
const upgraded: ClusterFingerprint = { ...kwok3, kubernetesVersion: 'v1.36.3' };

const entry = (runId: string, fingerprint: ClusterFingerprint | null = kwok3): LedgerEntry => ({
  runId,
  workflowId: `w-${runId}`,
  at: '2026-12-01T00:00:00Z',
  grade: 'Good',
  regressed: false,
  regressedMetrics: [],
  summaries: [],
  samples: {},
  ...(fingerprint ? { fingerprint } : {}),
});
const state = (entries: LedgerEntry[], ackRunId?: string): LedgerState => ({
  cluster: 'c',
  scenario: 's',
  capacity: 50,
  entries,
  acks: ackRunId ? [{ runId: ackRunId, at: '', by: 'me', reason: 'new normal' }] : [],
});

describe('comparisonHistory', () => {
  it('compares with at most the newest `window` entries', () => {
    const entries = Array.from({ length: 15 }, (_, i) => entry(`r${i}`));
    assert.deepEqual(
      comparisonHistory(state(entries), kwok3, 10).entries.map((e) => e.runId),
      entries.slice(5).map((e) => e.runId),
    );
  });

  it('starts from the acknowledged run: an acknowledged regression is the new normal', () => {
    const entries = ['a', 'b', 'c', 'd'].map((id) => entry(id));
    assert.deepEqual(
      comparisonHistory(state(entries, 'c'), kwok3).entries.map((e) => e.runId),
      ['c', 'd'],
    );
  });

  it('compares only with entries of the same cluster fingerprint and says what changed since the last run', () => {
    const history = comparisonHistory(state(['a', 'b', 'c'].map((id) => entry(id))), upgraded);
    assert.deepEqual(history.entries, []);
    assert.equal(history.otherFingerprints, 3);
    assert.match(
      history.fingerprintNote ?? '',
      /^Kubernetes v1\.35\.2 → v1\.36\.3 since the last run: compared with 0 runs/,
    );
    assert.match(history.fingerprintNote ?? '', /`kubeproof baseline ack` to start a new normal/);
  });

  it('counts runs of the new fingerprint once they exist, and older ones again when the cluster returns', () => {
    const entries = [entry('a'), entry('b'), entry('c', upgraded), entry('d', upgraded)];
    const now = comparisonHistory(state(entries), upgraded);
    assert.deepEqual(
      now.entries.map((e) => e.runId),
      ['c', 'd'],
    );
    assert.equal(now.fingerprintNote, undefined, 'the latest entry has this fingerprint: nothing changed');
    const back = comparisonHistory(state(entries), kwok3);
    assert.deepEqual(
      back.entries.map((e) => e.runId),
      ['a', 'b'],
    );
    assert.match(back.fingerprintNote ?? '', /v1\.36\.3 → v1\.35\.2 since the last run: compared with 2 runs/);
  });

  it('never compares entries without a fingerprint, nor a run whose fingerprint is unknown', () => {
    const old = state([entry('a', null), entry('b', null)]);
    const history = comparisonHistory(old, kwok3);
    assert.deepEqual(history.entries, []);
    assert.match(history.fingerprintNote ?? '', /earlier entries carry no cluster fingerprint/);
    const unknown = comparisonHistory(state([entry('a')]), undefined);
    assert.deepEqual(unknown.entries, []);
    assert.match(unknown.fingerprintNote ?? '', /could not be read/);
  });
});

describe('analyzeSamples', () => {
  const history = { apiRoundTrip: Array.from({ length: 5 }, () => [10, 11, 10, 12, 11, 10, 11]) };

  it('does not call a change below the noise floor a regression, however significant', () => {
    // +3 ms on every sample: statistically clear, but under the 5 ms floor for API round trips.
    const result = analyzeSamples(
      [{ metric: 'apiRoundTrip', samples: [13, 14, 13, 15, 14, 13, 14], failures: 0 }],
      {},
      history,
    );
    assert.equal(noiseFloorMs.apiRoundTrip, 5);
    assert.equal(result.regressed, false);
  });

  it('calls a change well above the floor a regression', () => {
    const result = analyzeSamples(
      [{ metric: 'apiRoundTrip', samples: [40, 42, 41, 43, 40, 41, 42], failures: 0 }],
      {},
      history,
    );
    assert.equal(result.regressed, true);
    assert.equal(result.regressions[0]?.metric, 'apiRoundTrip');
  });

  it("judges the checks' per-run figures against their history, and a regressed SLI marks the baseline regressed", () => {
    const steady = { current: { apiMutatingP99: 30 }, history: { apiMutatingP99: [20, 25, 22, 30, 24, 21] } };
    assert.equal(analyzeSamples([], {}, {}, steady).series?.[0]?.outcome, 'unchanged');
    const slow = { current: { apiMutatingP99: 900 }, history: steady.history };
    const result = analyzeSamples([], {}, {}, slow);
    assert.equal(result.series?.[0]?.outcome, 'regressed', result.series?.[0]?.reason);
    assert.equal(result.regressed, true);
  });
});
