import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podState } from '../../../src/k8s/deploy';
import type { TrackedPod } from '../../../src/k8s/pod-tracker';

const pod = (name: string, over: Partial<TrackedPod> = {}): TrackedPod => ({
  uid: name,
  pod: name,
  service: 'api',
  createdAt: 1000,
  restarts: 0,
  phase: 'Pending',
  terminating: false,
  ...over,
});
const limits = { unschedulableAfter: 10_000, crashLoopRestarts: 3, now: 50_000 };
const api = { service: 'api', replicas: 2, hasPorts: true };

describe('podState', () => {
  it('is met for "ready" once as many live pods as replicas are Ready, not counting terminating ones', () => {
    const ready = { scheduledAt: 1100, readyAt: 1200 };
    const req = { ...api, condition: 'ready' as const };
    assert.equal(podState(req, [pod('a', ready), pod('b', { ...ready, terminating: true })], limits), undefined);
    assert.deepEqual(podState(req, [pod('a', ready), pod('b', ready)], limits), {
      service: 'api',
      condition: 'ready',
      state: 'met',
    });
  });

  it('leaves the endpoints to check for "healthy" on a service with ports, and fails fast on stuck pods', () => {
    const ready = { scheduledAt: 1100, readyAt: 1200 };
    assert.equal(podState({ ...api, condition: 'healthy' }, [pod('a', ready), pod('b', ready)], limits), 'endpoints');
    const stuck = pod('a', { unschedulableSince: 30_000, waitingReason: 'Unschedulable: 0/3 nodes' });
    const state = podState({ ...api, condition: 'scheduled' }, [stuck], limits);
    assert.equal(typeof state === 'object' ? state.state : state, 'unschedulable');
    const crashing = pod('a', { restarts: 3 });
    const crash = podState({ ...api, condition: 'ready' }, [crashing], limits);
    assert.equal(typeof crash === 'object' ? crash.state : crash, 'crash-loop');
  });
});
