/** The janitor's decisions: it deletes only kubeproof's own namespaces of runs that will never clean them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type NamespaceInfo } from '../../../src/janitor/plan';

const hour = 60 * 60_000;
const now = 10 * hour;
const ns = (name: string, workflowId: string | undefined, overrides: Partial<NamespaceInfo> = {}): NamespaceInfo => ({
  name,
  labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.dev/run-id': '0123456789abcdef' },
  annotations: workflowId ? { 'kubeproof.dev/workflow-id': workflowId } : {},
  createdAt: now - 2 * hour,
  deleting: false,
  ...overrides,
});
const actions = (decisions: ReturnType<typeof decide>) => decisions.map((d) => [d.namespace, d.action]);

describe('janitor decisions', () => {
  it('deletes the namespace of a closed run, keeps that of an open one', () => {
    const decisions = decide(
      [ns('a', 'w-closed'), ns('b', 'w-open')],
      {
        'w-closed': { state: 'closed', status: 'TERMINATED' },
        'w-open': { state: 'open' },
      },
      { now, graceMs: hour },
    );
    assert.deepEqual(actions(decisions), [
      ['a', 'delete'],
      ['b', 'keep'],
    ]);
    assert.match(decisions[0]!.reason, /closed \(TERMINATED\)/);
  });

  it('deletes a run unknown to Temporal only after the grace period', () => {
    const decisions = decide(
      [ns('old', 'w-gone'), ns('young', 'w-gone', { createdAt: now - 60_000 })],
      {},
      { now, graceMs: hour },
    );
    assert.deepEqual(actions(decisions), [
      ['old', 'delete'],
      ['young', 'keep'],
    ]);
  });

  it("never touches a namespace without kubeproof's full identity, whatever it looks like", () => {
    const decisions = decide(
      [
        ns('no-annotation', undefined),
        ns('other-manager', 'w-closed', {
          labels: { 'app.kubernetes.io/managed-by': 'kubeproof-other', 'kubeproof.dev/run-id': 'x' },
        }),
        ns('no-run-label', 'w-closed', { labels: { 'app.kubernetes.io/managed-by': 'kubeproof' } }),
      ],
      { 'w-closed': { state: 'closed', status: 'COMPLETED' } },
      { now, graceMs: 0 },
    );
    assert.deepEqual(actions(decisions), [
      ['no-annotation', 'keep'],
      ['other-manager', 'keep'],
      ['no-run-label', 'keep'],
    ]);
  });

  it('leaves a namespace already being deleted alone', () => {
    const [d] = decide(
      [ns('going', 'w', { deleting: true })],
      { w: { state: 'closed', status: 'COMPLETED' } },
      { now, graceMs: 0 },
    );
    assert.deepEqual([d?.action, d?.reason], ['keep', 'already being deleted']);
  });
});
