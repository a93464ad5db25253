/** Which ledger entries a new baseline is compared with. Pure: the ledger activity applies it. */
import type { LedgerEntry, LedgerState } from '../run/ledger';

/**
 * The entries later runs compare against: those at or after the latest acknowledgement (an acknowledged
 * regression becomes the new normal), at most `window` of the newest.
 */
export function comparisonHistory(state: LedgerState, window = 10): LedgerEntry[] {
  const lastAck = state.acks.at(-1);
  const from = lastAck ? state.entries.findIndex((e) => e.runId === lastAck.runId) : -1;
  const eligible = from >= 0 ? state.entries.slice(from) : state.entries;
  return eligible.slice(-window);
}
