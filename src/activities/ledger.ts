/** Activities that read and append to a (cluster, scenario) baseline ledger through the Temporal client. */
import type { Client } from '@temporalio/client';
import { readLedger, recordToLedger } from '../client/ledger';
import { comparisonHistory } from '../baseline/history';
import type { LedgerEntry } from '../run/ledger';

export interface LedgerDeps {
  /** A client of the worker's Temporal server and namespace, for the ledger workflows. */
  temporal?: { client: Client } | undefined;
}

export function createLedgerActivities(deps: LedgerDeps) {
  const temporal = () => {
    if (!deps.temporal) throw new Error('this worker was built without a Temporal client for the baseline ledger');
    return deps.temporal;
  };
  return {
    /** Samples of recent comparable runs per metric (oldest first), after the latest acknowledgement. */
    async ledgerHistory({ cluster, scenario }: { cluster: string; scenario: string }): Promise<{
      runs: number;
      samples: Record<string, number[][]>;
    }> {
      const state = await readLedger(temporal().client, cluster, scenario);
      const history = comparisonHistory(state);
      const samples: Record<string, number[][]> = {};
      for (const entry of history) {
        for (const [metric, values] of Object.entries(entry.samples)) (samples[metric] ??= []).push(values);
      }
      return { runs: history.length, samples };
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
