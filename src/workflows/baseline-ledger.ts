/**
 * The baseline ledger for one (cluster, scenario): an entity workflow that keeps the recent baselines, receives
 * each new one by Update, answers Queries, records acknowledgements of regressions, and continues-as-new
 * before its history grows large. It needs no database beyond Temporal's own and survives worker restarts.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { LedgerMessage, type LedgerAck, type LedgerEntry, type LedgerInput, type LedgerState } from '../run/ledger';

export const ledgerStateQuery = defineQuery<LedgerState>(LedgerMessage.State);
export const recordBaselineUpdate = defineUpdate<{ size: number }, [LedgerEntry]>(LedgerMessage.RecordBaseline);
export const acknowledgeUpdate = defineUpdate<LedgerAck, [{ runId?: string; by: string; reason: string }]>(
  LedgerMessage.Acknowledge,
);

/** Updates handled per run before continuing as new, besides the server's own suggestion. */
const MAX_UPDATES_PER_RUN = 500;

export async function baselineLedger(input: LedgerInput): Promise<void> {
  const state: LedgerState = input.state ?? {
    cluster: input.cluster,
    scenario: input.scenario,
    capacity: input.capacity ?? 50,
    entries: [],
    acks: [],
  };
  let updates = 0;

  setHandler(ledgerStateQuery, () => state);

  setHandler(
    recordBaselineUpdate,
    (entry) => {
      updates++;
      // A retried activity may deliver the same run twice: keep one entry per run.
      state.entries = [...state.entries.filter((e) => e.runId !== entry.runId), entry].slice(-state.capacity);
      return { size: state.entries.length };
    },
    {
      validator: (entry: LedgerEntry) => {
        if (!entry.runId || !entry.at || typeof entry.samples !== 'object') {
          throw ApplicationFailure.create({ type: 'InvalidLedgerEntry', message: 'entry needs runId, at and samples' });
        }
      },
    },
  );

  setHandler(
    acknowledgeUpdate,
    ({ runId, by, reason }) => {
      updates++;
      const target =
        runId ?? [...state.entries].reverse().find((e) => e.regressed)?.runId ?? state.entries.at(-1)!.runId;
      const ack: LedgerAck = { runId: target, at: new Date().toISOString(), by, reason };
      state.acks = [...state.acks, ack].slice(-state.capacity);
      return ack;
    },
    {
      validator: ({ runId, by, reason }) => {
        if (state.entries.length === 0) {
          throw ApplicationFailure.create({ type: 'NothingToAcknowledge', message: 'the ledger has no baselines yet' });
        }
        if (runId && !state.entries.some((e) => e.runId === runId)) {
          throw ApplicationFailure.create({ type: 'UnknownRun', message: `run ${runId} is not in this ledger` });
        }
        if (!by || !reason)
          throw ApplicationFailure.create({ type: 'InvalidAck', message: 'an acknowledgement needs by and reason' });
      },
    },
  );

  await condition(() => workflowInfo().continueAsNewSuggested || updates >= MAX_UPDATES_PER_RUN);
  await condition(allHandlersFinished);
  await continueAsNew<typeof baselineLedger>({ cluster: state.cluster, scenario: state.scenario, state });
}
