/** Activities that read and append to a (cluster, scenario) baseline ledger through the Temporal client. */
import type { Client } from '@temporalio/client';
import { readLedger, recordToLedger } from '../client/ledger';
import { comparisonHistory } from '../baseline/history';
import type { ClusterFingerprint } from '../preflight/model';
import type { LedgerEntry } from '../run/ledger';

export interface LedgerDeps {
  /** A client of the worker's Temporal server and namespace, for the ledger workflows. */
  temporal?: { client: Client } | undefined;
}

export interface LedgerHistory {
  /** Earlier runs compared with: same cluster fingerprint, after the latest acknowledgement. */
  runs: number;
  /** Samples per metric, one array per run, oldest first. */
  samples: Record<string, number[][]>;
  /** The checks' per-run figures, one value per run that has it, oldest first. */
  checkMetrics: Record<string, number[]>;
  otherFingerprints: number;
  fingerprintNote?: string;
}

export function createLedgerActivities(deps: LedgerDeps) {
  const temporal = () => {
    if (!deps.temporal) throw new Error('this worker was built without a Temporal client for the baseline ledger');
    return deps.temporal;
  };
  return {
    /** The comparable history of this (cluster, scenario) for a run measured on `fingerprint`. */
    async ledgerHistory({
      cluster,
      scenario,
      fingerprint,
    }: {
      cluster: string;
      scenario: string;
      fingerprint?: ClusterFingerprint;
    }): Promise<LedgerHistory> {
      const state = await readLedger(temporal().client, cluster, scenario);
      const history = comparisonHistory(state, fingerprint);
      const samples: Record<string, number[][]> = {};
      const checkMetrics: Record<string, number[]> = {};
      for (const entry of history.entries) {
        for (const [metric, values] of Object.entries(entry.samples)) (samples[metric] ??= []).push(values);
        for (const [name, value] of Object.entries(entry.checkMetrics ?? {})) (checkMetrics[name] ??= []).push(value);
      }
      return {
        runs: history.entries.length,
        samples,
        checkMetrics,
        otherFingerprints: history.otherFingerprints,
        ...(history.fingerprintNote ? { fingerprintNote: history.fingerprintNote } : {}),
      };
    },

    async recordBaseline({
      cluster,
      scenario,
      entry,
    }: {
      cluster: string;
      scenario: string;
      entry: LedgerEntry;
    }): Promise<{
      size: number;
    }> {
      return recordToLedger(temporal().client, { cluster, scenario }, entry);
    },
  };
}
