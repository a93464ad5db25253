/**
 * Replays the recorded corpus (test/replay, made by scripts/record-replays.ts) against today's workflow code: a
 * change that would break runs already in flight fails here with a DeterminismViolationError.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { repoRoot, workflowBundle } from '../helpers/env';
import { quietRuntime } from './helpers';

const replayDir = path.join(repoRoot, 'test', 'replay');

function load(name: string): History {
  return historyFromJSON(JSON.parse(fs.readFileSync(path.join(replayDir, `${name}.json`), 'utf8')));
}

/** The activity types a history scheduled, in order. */
const scheduled = (history: History): string[] =>
  (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);

/** Replays under the workflow id the recording used (histories do not carry it). */
const replay = (name: string, history: History) =>
  Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, `kubeproof-replay-${name}`);

describe('replaying recorded validation runs', () => {
  quietRuntime();

  it('replays a passing run without a determinism violation', async () => {
    const history = load('passing-run');
    assert.ok(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes, 'the recording is of a completed run');
    assert.deepEqual(scheduled(history).slice(-3), ['recordBaseline', 'cleanupRun', 'recordRunMetrics']);
    await replay('passing-run', history);
  });

  it('replays a run compensated after a failed health check without a determinism violation', async () => {
    const history = load('compensated-run');
    assert.ok(
      history.events?.at(-1)?.workflowExecutionCompletedEventAttributes,
      'a failed step still completes the run',
    );
    assert.deepEqual(
      scheduled(history).slice(-3),
      ['cleanupRun', 'judgeRun', 'recordRunMetrics'],
      'the AI explains after cleanup',
    );
    await replay('compensated-run', history);
  });

  it('replays a run whose waves said when they were applied without a determinism violation', async () => {
    const history = load('pipelined-run');
    assert.ok(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes, 'the recording is of a completed run');
    const signals = (history.events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
    assert.deepEqual(signals, ['waveApplied', 'waveApplied'], 'waves c and b said so; a, the last, was not asked');
    await replay('pipelined-run', history);
  });

  it('reports a determinism violation when the code no longer matches a history', async () => {
    // The control case: the same history with one activity renamed must not replay, or the tests above prove nothing.
    const history = load('passing-run');
    const event = history.events?.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'judgeRun',
    );
    assert.ok(event?.activityTaskScheduledEventAttributes?.activityType);
    event.activityTaskScheduledEventAttributes.activityType.name = 'judgeRunRenamed';
    await assert.rejects(replay('passing-run', history), DeterminismViolationError);
  });
});
