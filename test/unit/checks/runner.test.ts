import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';

import { clusterCheckIds, clusterChecks, runChecks, selectChecks } from '../../../src/checks';
import type { CheckDefinition } from '../../../src/checks';
import { evaluateSlis, percentile } from '../../../src/checks/api-latency';
import { evaluateCertificate, evaluateNodes, parseHealthChecks } from '../../../src/checks/cluster-state';
import { evaluatePodStartup } from '../../../src/checks/pod-startup';

const check = (id: string, run: CheckDefinition<null>['run'], timeoutMs = 1000): CheckDefinition<null> => ({
  id,
  title: id,
  description: id,
  timeoutMs,
  run,
});

describe('check runner', () => {
  it('turns a thrown error into fail with the error as the reason and runs the next check', async () => {
    const results = await runChecks(
      [
        check('boom', () => Promise.reject(new Error('API said no'))),
        check('ok', () => Promise.resolve({ status: 'pass', reason: 'fine' })),
      ],
      null,
    );
    assert.deepEqual(
      results.map((r) => [r.id, r.status, r.reason]),
      [
        ['boom', 'fail', 'error: API said no'],
        ['ok', 'pass', 'fine'],
      ],
    );
  });

  it('fails a check that overruns its timeout and aborts its signal', async () => {
    let sawAbort = false;
    const [result] = await runChecks(
      [
        check(
          'slow',
          (_ctx, signal) =>
            new Promise((resolve) => {
              signal.addEventListener('abort', () => {
                sawAbort = true;
                resolve({ status: 'pass', reason: 'too late' });
              });
            }),
          50,
        ),
      ],
      null,
    );
    assert.equal(result?.status, 'fail');
    assert.match(result?.reason ?? '', /did not finish within/);
    assert.ok(sawAbort);
  });

  it('reports the checks left after a cancellation as skipped', async () => {
    const controller = new AbortController();
    const results = await runChecks(
      [
        check('first', () => {
          controller.abort();
          return Promise.resolve({ status: 'pass', reason: 'done' });
        }),
        check('second', () => Promise.resolve({ status: 'pass', reason: 'never' })),
      ],
      null,
      { signal: controller.signal },
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fail', 'skipped'],
    );
  });

  it('leaves no listener on the caller signal once the checks are done', async () => {
    const controller = new AbortController();
    const checks = Array.from({ length: 20 }, (_, i) =>
      check(`c${i}`, () => Promise.resolve({ status: 'pass', reason: 'fine' })),
    );
    const results = await runChecks(checks, null, { signal: controller.signal });
    assert.equal(results.length, 20);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('has exactly one registered check per id, and selects by spec.checks in registry order', () => {
    assert.deepEqual(clusterChecks.map((c) => c.id).sort(), [...clusterCheckIds].sort());
    assert.deepEqual(
      selectChecks(clusterChecks, ['pdb', 'nodes']).map((c) => c.id),
      ['nodes', 'pdb'],
    );
    assert.equal(selectChecks(clusterChecks, undefined).length, clusterChecks.length);
  });
});

describe('check evaluations', () => {
  it('takes the nearest-rank p99', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile([5], 99), 5);
    assert.equal(percentile([], 99), undefined);
  });

  it('fails the SLI when mutating p99 is over 1 s and names the kind', () => {
    const fast = Array.from({ length: 20 }, () => ({ kind: 'read' as const, ms: 10 }));
    const result = evaluateSlis([...fast, { kind: 'mutating', ms: 1500 }, { kind: 'list', ms: 4000 }]);
    assert.equal(result.status, 'fail');
    assert.match(result.reason, /^mutating calls over the SLO/);
    assert.equal(evaluateSlis([...fast, { kind: 'list', ms: 4000 }]).status, 'pass');
  });

  it('measures pod startup from creation to running, skipping when no pod started', () => {
    const pod = (startMs: number) => ({
      pod: 'p',
      service: 's',
      createdAt: 0,
      runningAt: startMs,
      restarts: 0,
      phase: 'Running',
    });
    assert.equal(evaluatePodStartup([pod(1000), pod(2000)]).status, 'pass');
    assert.equal(evaluatePodStartup([pod(1000), pod(6000)]).status, 'fail');
    assert.equal(
      evaluatePodStartup([{ pod: 'p', service: 's', createdAt: 0, restarts: 0, phase: 'Pending' }]).status,
      'skipped',
    );
  });

  it('warns under 30 days to certificate expiry and fails once expired', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    assert.equal(evaluateCertificate(new Date('2027-06-01T00:00:00Z'), now, 'x').status, 'pass');
    assert.equal(evaluateCertificate(new Date('2026-12-20T00:00:00Z'), now, 'x').status, 'warn');
    assert.equal(evaluateCertificate(new Date('2026-11-30T00:00:00Z'), now, 'x').status, 'fail');
  });

  it('fails on a node under pressure and warns on a cordoned one', () => {
    const node = (name: string, conditions: Record<string, string>, unschedulable = false) => ({
      metadata: { name },
      spec: { unschedulable },
      status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) },
    });
    assert.equal(evaluateNodes([node('a', { Ready: 'True' })]).status, 'pass');
    const pressured = evaluateNodes([node('a', { Ready: 'True', DiskPressure: 'True' })]);
    assert.equal(pressured.status, 'fail');
    assert.match(pressured.reason, /a: DiskPressure/);
    assert.equal(evaluateNodes([node('a', { Ready: 'True' }, true)]).status, 'warn');
  });

  it('parses the named checks of /readyz?verbose', () => {
    assert.deepEqual(parseHealthChecks('[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n'), [
      { name: 'ping', ok: true },
      { name: 'etcd', ok: false },
    ]);
  });
});
