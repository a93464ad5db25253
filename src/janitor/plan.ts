/**
 * The janitor's decisions, pure: which kubeproof namespaces to delete and why. Workflow code can run it (no I/O),
 * and so can the CLI.
 *
 * A namespace is deleted only when it carries kubeproof's labels *and* the annotation naming its workflow, and
 * that workflow is closed (its own cleanup would have removed the namespace: it did not), or Temporal does not
 * know it and the namespace is older than the grace period. It is kept when its run is still open, when it is
 * already being deleted, or when it lacks kubeproof's identity (someone else's namespace, whatever it looks like).
 */
import { Annotation, Label } from '../k8s/render';

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  deleting: boolean;
}

/** What Temporal says of a workflow id: open, closed (with its status), or unknown (never existed, or expired). */
export type RunStatus = { state: 'open' } | { state: 'closed'; status: string } | { state: 'unknown' };

export interface JanitorDecision {
  namespace: string;
  workflowId: string | null;
  action: 'delete' | 'keep';
  reason: string;
}

export const DEFAULT_GRACE_MS = 60 * 60_000;

/** The workflow that owns a namespace, or undefined when it does not carry kubeproof's full identity. */
export function ownerOf(ns: NamespaceInfo): string | undefined {
  if (ns.labels[Label.ManagedBy] !== 'kubeproof' || !ns.labels[Label.RunId]) return undefined;
  const owner = ns.annotations[Annotation.WorkflowId];
  return owner && owner.length > 0 ? owner : undefined;
}

export function decide(
  namespaces: readonly NamespaceInfo[],
  statuses: Readonly<Record<string, RunStatus>>,
  opts: { now: number; graceMs: number },
): JanitorDecision[] {
  return namespaces.map((ns): JanitorDecision => {
    const owner = ownerOf(ns);
    const keep = (reason: string): JanitorDecision => ({
      namespace: ns.name,
      workflowId: owner ?? null,
      action: 'keep',
      reason,
    });
    const remove = (reason: string): JanitorDecision => ({
      namespace: ns.name,
      workflowId: owner ?? null,
      action: 'delete',
      reason,
    });
    if (!owner) return keep("not kubeproof's: it lacks the managed-by/run-id labels or the workflow-id annotation");
    if (ns.deleting) return keep('already being deleted');
    const status = statuses[owner] ?? { state: 'unknown' };
    if (status.state === 'open') return keep(`its run ${owner} is still open`);
    if (status.state === 'closed') return remove(`its run ${owner} is closed (${status.status}) and left it behind`);
    const age = opts.now - ns.createdAt;
    if (age < opts.graceMs) {
      return keep(
        `its run ${owner} is unknown to Temporal, but the namespace is only ${Math.round(age / 1000)}s old (grace ${Math.round(opts.graceMs / 1000)}s)`,
      );
    }
    return remove(`its run ${owner} is unknown to Temporal and the namespace is older than the grace period`);
  });
}
