/** Every id the CLI prints, it accepts: schedule ids and names, ledger ids and scenario names, run and workflow ids. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLedgerEntry, ledgerRefOf } from '../../../src/client/ledger';
import { scheduleId, scheduleIdCandidates } from '../../../src/client/schedules';
import { ledgerWorkflowId, type LedgerEntry, type LedgerState } from '../../../src/run/ledger';

describe('a schedule typed on the command line', () => {
  it('is tried first as the id `schedule list` printed, whatever the current cluster name', () => {
    const listed = scheduleId('local', 't1');
    assert.equal(listed, 'kubeproof-local-t1');
    assert.deepEqual(scheduleIdCandidates(listed, 'local-kwok'), [
      'kubeproof-local-t1',
      'kubeproof-local-kwok-kubeproof-local-t1',
    ]);
  });

  it('is the name given at creation on the current cluster when it is not an id', () => {
    assert.deepEqual(scheduleIdCandidates('t1', 'local-kwok'), ['kubeproof-local-kwok-t1']);
  });
});

describe('a ledger typed on the command line', () => {
  it('is a scenario on the current cluster', () => {
    assert.deepEqual(ledgerRefOf('web-app-stack', 'local'), { cluster: 'local', scenario: 'web-app-stack' });
  });

  it('is the ledger its id names, cluster included', () => {
    const id = ledgerWorkflowId('staging', 'web-app-stack');
    assert.deepEqual(ledgerRefOf(id, 'local'), { cluster: 'staging', scenario: 'web-app-stack' });
  });

  it('is taken as a scenario name when it only looks like an id', () => {
    assert.deepEqual(ledgerRefOf('kubeproof-ledger/a/b/c', 'local'), {
      cluster: 'local',
      scenario: 'kubeproof-ledger/a/b/c',
    });
    assert.deepEqual(ledgerRefOf('other/a/b', 'local'), { cluster: 'local', scenario: 'other/a/b' });
  });
});

describe('a run named to `baseline ack --run`', () => {
  const entry = (runId: string, workflowId: string, at: string): LedgerEntry => ({
    runId,
    workflowId,
    at,
    grade: 'Good',
    regressed: true,
    regressedMetrics: ['podReady'],
    summaries: [],
    samples: {},
  });
  const state: LedgerState = {
    cluster: 'local',
    scenario: 'web',
    capacity: 50,
    acks: [],
    entries: [
      entry('run-1', 'kubeproof/local/web/20261201T100000.000Z', '2026-12-01T10:00:00Z'),
      entry('run-2', 'kubeproof/local/web/20261201T110000.000Z', '2026-12-01T11:00:00Z'),
      // The same workflow id ran again (a reset): its newest run is meant.
      entry('run-3', 'kubeproof/local/web/20261201T110000.000Z', '2026-12-01T11:30:00Z'),
    ],
  };

  it('is found by its run id', () => {
    assert.equal(findLedgerEntry(state, 'run-2')?.runId, 'run-2');
  });

  it('is found by the workflow id `kubeproof run` printed, newest run first', () => {
    assert.equal(findLedgerEntry(state, 'kubeproof/local/web/20261201T100000.000Z')?.runId, 'run-1');
    assert.equal(findLedgerEntry(state, 'kubeproof/local/web/20261201T110000.000Z')?.runId, 'run-3');
  });

  it('is not found when neither id matches', () => {
    assert.equal(findLedgerEntry(state, 'kubeproof/local/web/other'), undefined);
  });
});
