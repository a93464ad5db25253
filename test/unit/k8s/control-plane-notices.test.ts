/** Control-plane bookkeeping told apart from warnings about the workload, on the event texts Kubernetes emits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { separateControlPlaneNotices } from '../../../src/k8s/control-plane-notices';
import type { WarningEvent } from '../../../src/k8s/types';

const event = (object: string, reason: string, message: string): WarningEvent => ({
  object,
  reason,
  message,
  count: 1,
});

// Recorded by kube-apiserver's ClusterIP repair loop on the local stack (namespace kp-ledger-probe-…, 2026-12-03).
const repairRace = event(
  'Service/api',
  'ClusterIPNotAllocated',
  'Cluster IP [IPv4]: 10.96.164.110 is not allocated; repairing',
);

describe('separateControlPlaneNotices', () => {
  it("sets the ClusterIP repair loop's race with a new Service apart, with the reason it is not counted", () => {
    const { warnings, notices } = separateControlPlaneNotices([repairRace], { hasClusterIP: true });
    assert.deepEqual(warnings, []);
    assert.equal(notices.length, 1);
    assert.equal(notices[0]?.reason, 'ClusterIPNotAllocated');
    assert.match(notices[0]?.why ?? '', /repair loop/);
  });

  const stillWarnings: { when: string; events: WarningEvent[]; hasClusterIP: boolean }[] = [
    { when: 'the Service has no ClusterIP to repair', events: [repairRace], hasClusterIP: false },
    {
      when: 'the text is not the repair message (a wrong reference)',
      events: [
        event(
          'Service/api',
          'ClusterIPNotAllocated',
          'the ClusterIP [IPv4]: 10.96.0.12 for Service ns/api has a wrong reference; repairing',
        ),
      ],
      hasClusterIP: true,
    },
    {
      when: 'it is about another kind of object',
      events: [event('Pod/api-1', 'ClusterIPNotAllocated', 'Cluster IP [IPv4]: 10.96.0.1 is not allocated; repairing')],
      hasClusterIP: true,
    },
  ];
  for (const c of stillWarnings) {
    it(`keeps ClusterIPNotAllocated a warning when ${c.when}`, () => {
      const { warnings, notices } = separateControlPlaneNotices(c.events, { hasClusterIP: c.hasClusterIP });
      assert.deepEqual(warnings, c.events);
      assert.deepEqual(notices, []);
    });
  }

  it('keeps every other warning event, in order', () => {
    const backOff = event('Pod/api-1', 'BackOff', 'Back-off restarting failed container');
    const failedCreate = event(
      'ReplicaSet/api-6f7d8',
      'FailedCreate',
      'Error creating: pods "api-6f7d8-" is forbidden',
    );
    const { warnings, notices } = separateControlPlaneNotices([backOff, repairRace, failedCreate], {
      hasClusterIP: true,
    });
    assert.deepEqual(warnings, [backOff, failedCreate]);
    assert.equal(notices.length, 1);
  });
});
