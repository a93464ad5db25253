/** Baseline policy: which history a run is compared with, and which changes are too small to be a regression. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSamples, noiseFloorMs } from '../../../src/baseline/analysis';
import { comparisonHistory } from '../../../src/baseline/history';
import type { LedgerEntry, LedgerState } from '../../../src/run/ledger';

const entry = (runId: string): LedgerEntry => ({
  runId,
  workflowId: `w-${runId}`,
  at: '2026-12-01T00:00:00Z',
  grade: 'Good',
  regressed: false,
  regressedMetrics: [],
  summaries: [],
  samples: {},
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
      comparisonHistory(state(entries), 10).map((e) => e.runId),
      entries.slice(5).map((e) => e.runId),
    );
  });

  it('starts from the acknowledged run: an acknowledged regression is the new normal', () => {
    const entries = ['a', 'b', 'c', 'd'].map(entry);
    assert.deepEqual(
      comparisonHistory(state(entries, 'c')).map((e) => e.runId),
      ['c', 'd'],
    );
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
});
