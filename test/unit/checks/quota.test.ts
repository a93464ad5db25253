/**
 * The quota check against a scripted API server: how it classifies the refusals quota admission gives while its
 * informer still holds the quota the check just deleted (seen on the local stack with 20 runs at once).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ClusterCheckContext } from '../../../src/checks';
import { quotaCheck } from '../../../src/checks/workload-policies';

/** An error shaped like @kubernetes/client-node's ApiException (code, body). */
const refusal = (body: string) => Object.assign(new Error(`HTTP-Code: 403`), { code: 403, body });

function context(defaultsRefusals: string[]): ClusterCheckContext {
  const refusals = [...defaultsRefusals];
  const ok = () => Promise.resolve({});
  const core = {
    createNamespacedResourceQuota: ok,
    readNamespacedResourceQuota: () => Promise.resolve({ status: { hard: { 'requests.cpu': '100m' } } }),
    deleteNamespacedResourceQuota: ok,
    createNamespacedLimitRange: ok,
    deleteNamespacedLimitRange: ok,
    createNamespacedPod: ({ body }: { body: { metadata: { name: string } } }) => {
      const name = body.metadata.name;
      if (name === 'kubeproof-check-over-quota') {
        return Promise.reject(refusal('exceeded quota: kubeproof-check-quota, requested: limits.cpu=200m'));
      }
      if (name === 'kubeproof-check-defaults') {
        const next = refusals.shift();
        if (next) return Promise.reject(refusal(next));
        const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '20m', memory: '32Mi' } };
        return Promise.resolve({ spec: { containers: [{ name: 'pause', resources }] } });
      }
      return Promise.resolve({});
    },
  };
  return {
    clients: { core } as unknown as ClusterCheckContext['clients'],
    namespace: 'kp-test',
    labels: {},
    pods: [],
  };
}

describe('quota check', () => {
  it('retries while admission still enforces the quota it deleted, then passes on the LimitRange defaults', async () => {
    const stale =
      'pods "kubeproof-check-defaults" is forbidden: failed quota: kubeproof-check-quota: must specify limits.cpu';
    const outcome = await quotaCheck.run(context([stale, stale]), new AbortController().signal);
    assert.equal(outcome.status, 'pass', outcome.reason);
    assert.equal(outcome.evidence?.deletedQuotaStillAdmitting, 2);
  });

  it('fails on a refusal by any other quota: that one is the cluster, not the check', async () => {
    const theirs = 'pods "kubeproof-check-defaults" is forbidden: failed quota: team-quota: must specify limits.cpu';
    await assert.rejects(
      quotaCheck.run(context([theirs]), new AbortController().signal),
      (error: { code?: number }) => error.code === 403,
    );
  });
});
