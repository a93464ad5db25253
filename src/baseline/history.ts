/** Which ledger entries a new baseline is compared with. Pure: the ledger activity applies it. */
import type { ClusterFingerprint } from '../preflight/model';
import type { LedgerEntry, LedgerState } from '../run/ledger';
import { fingerprintChanges, sameFingerprint } from './fingerprint';

export interface ComparisonHistory {
  /** The entries to compare with, oldest first. */
  entries: LedgerEntry[];
  /** Entries after the latest acknowledgement that were measured on another cluster fingerprint. */
  otherFingerprints: number;
  /**
   * Set when the cluster changed since the ledger's latest entry (or its fingerprint is unknown), e.g.
   * "Kubernetes v1.35.2 → v1.36.3 since the last run: compared with 0 runs; …".
   */
  fingerprintNote?: string;
}

/**
 * The entries later runs compare against: those at or after the latest acknowledgement (an acknowledged
 * regression becomes the new normal), measured on the same cluster fingerprint, at most `window` of the newest.
 * A run whose fingerprint is unknown is compared with nothing.
 */
export function comparisonHistory(
  state: LedgerState,
  fingerprint: ClusterFingerprint | undefined,
  window = 10,
): ComparisonHistory {
  const lastAck = state.acks.at(-1);
  const from = lastAck ? state.entries.findIndex((e) => e.runId === lastAck.runId) : -1;
  const eligible = from >= 0 ? state.entries.slice(from) : state.entries;
  const same = eligible.filter((e) => sameFingerprint(e.fingerprint, fingerprint));
  const entries = same.slice(-window);
  const result = { entries, otherFingerprints: eligible.length - same.length };
  const latest = state.entries.at(-1);
  const compared = `compared with ${entries.length} run${entries.length === 1 ? '' : 's'}`;
  if (!fingerprint) {
    return latest ? { ...result, fingerprintNote: `the cluster fingerprint could not be read: ${compared}` } : result;
  }
  if (!latest || sameFingerprint(latest.fingerprint, fingerprint)) return result;
  const changes = fingerprintChanges(latest.fingerprint, fingerprint).join(', ');
  return {
    ...result,
    fingerprintNote: `${changes} since the last run: ${compared} of this cluster shape; \`kubeproof baseline ack\` to start a new normal`,
  };
}
