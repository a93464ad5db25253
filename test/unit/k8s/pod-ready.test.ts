import type * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertValidSamples } from '../../../src/baseline/samples';
import type { KubeClients } from '../../../src/k8s/client';
import { durationSample, podReadySamples } from '../../../src/k8s/measure';
import { PodTracker, earliestFor } from '../../../src/k8s/pod-tracker';
import type { PodTimeline } from '../../../src/k8s/types';

type WatchHandler = (phase: string, obj: k8s.V1Pod) => void;

/**
 * A stand-in for the API server's pod list and watch: each list answers the pods given to `setList`, each watch
 * hands its callbacks to the test, which can deliver events and break the connection.
 */
function fakeCluster() {
  let items: k8s.V1Pod[] = [];
  const watches: { handler: WatchHandler; done: (err: unknown) => void }[] = [];
  let lists = 0;
  const clients = {
    core: {
      listNamespacedPod: () => {
        lists++;
        return Promise.resolve({ items, metadata: { resourceVersion: String(lists) } });
      },
    },
    watch: {
      watch: (_path: string, _query: unknown, handler: WatchHandler, done: (err: unknown) => void) => {
        watches.push({ handler, done });
        return Promise.resolve(new AbortController());
      },
    },
  } as unknown as KubeClients;
  return {
    clients,
    setList: (pods: k8s.V1Pod[]) => (items = pods),
    watches,
    lists: () => lists,
  };
}

const pod = (ready: { at: string } | undefined, created: string): k8s.V1Pod => ({
  metadata: {
    uid: 'u1',
    name: 'web-1',
    creationTimestamp: new Date(created),
    labels: { 'app.kubernetes.io/name': 'web' },
  },
  spec: { nodeName: 'node-1', containers: [] },
  status: {
    phase: ready ? 'Running' : 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: new Date(created) },
      ...(ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(ready.at) }] : []),
    ],
  },
});

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('pod-ready samples after a watch reconnect', () => {
  it('never stamps Ready before creation when the re-list carries an older server time', async () => {
    const cluster = fakeCluster();
    const tracker = await PodTracker.start(cluster.clients, 'kp-web', 'sel', 0);
    try {
      // Seen live: created now, by the local clock.
      cluster.watches[0]!.handler('ADDED', pod(undefined, new Date().toISOString()));
      const createdAt = tracker.timelines()[0]!.createdAt;
      // The watch breaks; while it is down the pod becomes Ready. The server's stamp (its own clock, whole
      // seconds) lies before the local creation stamp.
      cluster.setList([
        pod({ at: new Date(createdAt - 5000).toISOString() }, new Date(createdAt - 6000).toISOString()),
      ]);
      cluster.watches[0]!.done(new Error('connection reset'));
      await until(() => cluster.lists() === 2 && tracker.timelines()[0]?.readyAt !== undefined);
      const [timeline] = tracker.timelines();
      assert.equal(timeline!.createdAt, createdAt, 'the creation stamp is kept');
      assert.ok(timeline!.readyAt! >= createdAt, `ready ${timeline!.readyAt! - createdAt} ms after creation`);
      const samples = podReadySamples(tracker.timelines());
      assert.equal(samples.samples.length, 1);
      assert.doesNotThrow(() => assertValidSamples(samples.samples, 'podReady samples'));
      assert.equal(cluster.watches.length, 2, 'the tracker watches again after the re-list');
    } finally {
      tracker.stop();
    }
  });
});

describe('podReadySamples', () => {
  const timeline = (createdAt: number, readyAt?: number): PodTimeline => ({
    pod: `p-${createdAt}`,
    service: 'web',
    createdAt,
    ...(readyAt === undefined ? {} : { readyAt }),
    restarts: 0,
    phase: 'Running',
  });

  it('drops a timeline that is Ready before it was created, and counts pods never ready as failures', () => {
    const samples = podReadySamples([timeline(1000, 1800), timeline(2000, 1500), timeline(3000), timeline(4000, 4000)]);
    assert.deepEqual(samples, { metric: 'podReady', samples: [800, 0], failures: 1 });
  });

  it('keeps only finite, non-negative durations', () => {
    assert.equal(durationSample(10, 25), 15);
    assert.equal(durationSample(25, 10), undefined);
    assert.equal(durationSample(0, Number.NaN), undefined);
    assert.equal(durationSample(0, Number.POSITIVE_INFINITY), undefined);
  });
});

describe('earliestFor', () => {
  it('puts each stage after every stage before it', () => {
    const t = { createdAt: 100, scheduledAt: 300, runningAt: 200 };
    assert.equal(earliestFor(t, 'scheduledAt'), 100);
    assert.equal(earliestFor(t, 'runningAt'), 300);
    assert.equal(earliestFor(t, 'readyAt'), 300);
    assert.equal(earliestFor({ createdAt: 100 }, 'readyAt'), 100);
  });
});
