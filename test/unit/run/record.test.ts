/** The run record without a server: blame, progress transitions, endings and cleanup trust. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blameHealth, blameSettled } from '../../../src/run/blame';
import { namespaceFor, runKeyOf } from '../../../src/run/identity';
import { RunRecord } from '../../../src/run/record';
import { service, unhealthy } from '../ai/sample-input';

const start = () =>
  new RunRecord({
    workflowId: 'kubeproof/local/s/20261201T000000.000Z',
    runId: 'run-1',
    runKey: runKeyOf('kubeproof/local/s/20261201T000000.000Z'),
    scenario: 's',
    cluster: 'local',
    namespace: 'kp-s-x',
    waves: [['db'], ['api']],
    startedAt: 1000,
  });

describe('blame', () => {
  it('blames the first service, in plan order, that did not reach its condition, in the deploy step', () => {
    const failure = blameSettled([
      { service: 'db', state: 'met' },
      { service: 'api', state: 'timeout', reason: '0/2 pods ready after 6s' },
      { service: 'web', state: 'unschedulable', reason: 'Insufficient cpu' },
    ]);
    assert.deepEqual(failure, {
      step: 'deploy',
      service: 'api',
      type: 'ServiceNotReady',
      message: 'service api: 0/2 pods ready after 6s',
    });
  });

  it('names an unschedulable service Unschedulable', () => {
    assert.equal(blameSettled([{ service: 'web', state: 'unschedulable' }])?.type, 'Unschedulable');
  });

  it('blames nothing when every service settled', () => {
    assert.equal(blameSettled([{ service: 'db', state: 'met' }]), undefined);
  });

  it('blames the first unhealthy service in the health step', () => {
    const failure = blameHealth({ checkedAt: '', healthy: false, services: [service('db'), unhealthy('api')] });
    assert.equal(failure?.step, 'health');
    assert.equal(failure?.service, 'api');
    assert.equal(failure?.type, 'HealthCheckFailed');
  });
});

describe('RunRecord', () => {
  it('keeps the first failure as the run failure and marks later steps failed too', () => {
    const r = start();
    r.begin('deploy', 1000);
    r.fail({ step: 'deploy', service: 'db', type: 'ServiceNotReady', message: 'db never ready' }, 1500);
    r.begin('cleanup', 1500);
    r.fail({ step: 'cleanup', type: 'LeftoverObjects', message: 'left' }, 1600);
    const result = r.result(2000, false);
    assert.equal(result.failure?.service, 'db');
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.status, s.durationMs]),
      [
        ['deploy', 'failed', 500],
        ['cleanup', 'failed', 100],
      ],
    );
    assert.equal(result.ending, 'step-failed');
  });

  it('reports a cancelled run as ending cancelled with verdict fail', () => {
    const r = start();
    r.begin('deploy', 1000);
    r.fail({ step: 'deploy', type: 'Cancelled', message: 'the run was cancelled' }, 1200);
    const result = r.result(1300, false);
    assert.equal(result.ending, 'cancelled');
    assert.equal(result.verdict, 'fail');
  });

  it('does not trust cleanup that never reported, once the namespace create was attempted', () => {
    const r = start();
    assert.equal(r.cleanupProblem(), undefined, 'nothing was created: nothing to clean');
    r.namespaceAttempted();
    assert.match(r.cleanupProblem() ?? '', /cleanup did not complete/);
    r.cleanup = { deleted: ['Namespace/kp-s-x'], left: ['Pod/kp-s-x/db-1'], durationMs: 5 };
    assert.match(r.cleanupProblem() ?? '', /objects left after cleanup: Pod\/kp-s-x\/db-1/);
    r.cleanup = { deleted: ['Namespace/kp-s-x'], left: [], durationMs: 5 };
    assert.equal(r.cleanupProblem(), undefined);
    r.compensated({ name: 'delete run namespace', ok: false, error: 'forbidden' });
    assert.match(r.cleanupProblem() ?? '', /undo steps failed: delete run namespace \(forbidden\)/);
  });

  it('moves progress through steps, hides the namespace until it is created, and lists finished steps', () => {
    const r = start();
    assert.deepEqual(r.progress(1000).services, { db: 'pending', api: 'pending' });
    assert.equal(r.progress(1000).namespace, '');
    r.begin('deploy', 1000);
    r.namespaceAttempted();
    r.setService('db', 'ready');
    const during = r.progress(1400);
    assert.equal(during.step, 'deploy');
    assert.equal(during.namespace, 'kp-s-x');
    assert.equal(during.elapsedMs, 400);
    assert.deepEqual(during.services, { db: 'ready', api: 'pending' });
    r.succeed('deploy', 1500);
    r.begin('health', 1500);
    assert.equal(r.progress(1600).step, 'health');
    assert.deepEqual(
      r.progress(1600).steps.map((s) => s.name),
      ['deploy'],
    );
    r.compensating();
    assert.equal(r.progress(1700).step, 'compensating');
    r.finish();
    assert.equal(r.progress(1800).step, 'done');
  });

  it('describes where it stands for the Web UI, and the verdict at the end', () => {
    const r = start();
    r.begin('deploy', 1000);
    r.setService('db', 'ready');
    assert.equal(r.details(3000), 'step **deploy**: 1/2 services ready (2s)');
    r.finish();
    assert.match(r.details(4000), /^\*\*PASS\*\* \(3s; cleanup verified, nothing left\)$/);
  });
});

describe('run identity', () => {
  it('derives a 16-hex key from the workflow id alone, the same every time', () => {
    const key = runKeyOf('kubeproof/local/web-app-stack/20261201T101010.123Z');
    assert.match(key, /^[0-9a-f]{16}$/);
    assert.equal(key, runKeyOf('kubeproof/local/web-app-stack/20261201T101010.123Z'));
    assert.notEqual(key, runKeyOf('kubeproof/local/web-app-stack/20261201T101010.124Z'));
  });

  it('names the namespace as a DNS label of at most 63 characters', () => {
    const name = namespaceFor('a'.repeat(80), runKeyOf('w'));
    assert.ok(name.length <= 63);
    assert.match(name, /^kp-a+-[0-9a-f]{12}$/);
  });
});
