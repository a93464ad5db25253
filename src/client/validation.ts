/**
 * Starting and following validation runs through the Temporal client: used by the CLI and the tests.
 * The scenario arrives here already parsed; the plan (dependency waves) is computed here, at the edge.
 */
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  TypedSearchAttributes,
} from '@temporalio/common';
import { planWaves } from '../scenarios/planner';
import type { Scenario } from '../scenarios/schema';
import { SearchAttr } from '../search-attributes';
import type { validateScenario } from '../workflows';
import type { AiMode, ValidateInput, ValidationResult } from '../run/contracts';

export interface StartValidation {
  scenario: Scenario;
  clusterName: string;
  ai: AiMode;
  samples?: number | undefined;
  skipBaseline?: boolean;
  /** Registry prefix for every image the scenario does not override (air-gapped clusters). */
  imageRegistry?: string | undefined;
  taskQueue: string;
  /** Defaults to `kubeproof/<cluster>/<scenario>/<UTC timestamp>`. */
  workflowId?: string;
}

export function validationWorkflowId(cluster: string, scenario: string, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '.$1Z');
  return `kubeproof/${cluster}/${scenario}/${stamp}`;
}

/** The workflow input for a parsed scenario: the plan (dependency waves) is computed here, at the edge. */
export function validationInput(
  opts: Pick<StartValidation, 'scenario' | 'clusterName' | 'ai' | 'samples' | 'skipBaseline' | 'imageRegistry'>,
): ValidateInput {
  return {
    scenario: opts.scenario,
    waves: planWaves(opts.scenario),
    cluster: { name: opts.clusterName },
    ai: opts.ai,
    ...(opts.samples !== undefined ? { samples: opts.samples } : {}),
    ...(opts.skipBaseline ? { skipBaseline: true } : {}),
    ...(opts.imageRegistry ? { imageRegistry: opts.imageRegistry } : {}),
  };
}

export async function startValidation(
  client: Client,
  opts: StartValidation,
): Promise<WorkflowHandle<typeof validateScenario>> {
  const name = opts.scenario.metadata.name;
  return client.workflow.start<typeof validateScenario>('validateScenario', {
    taskQueue: opts.taskQueue,
    workflowId: opts.workflowId ?? validationWorkflowId(opts.clusterName, name),
    args: [validationInput(opts)],
    // Shown in the Web UI's run list and header before the run has done anything.
    staticSummary: `${name} on ${opts.clusterName}`,
    staticDetails: `kubeproof validation of scenario **${name}** (${opts.scenario.spec.services.length} services) on cluster **${opts.clusterName}**, AI ${opts.ai}${opts.skipBaseline ? ', baseline skipped' : ''}.`,
    // Also set at start, so a run is findable in the Web UI before its first workflow task runs.
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SearchAttr.Scenario, value: name },
      { key: SearchAttr.Cluster, value: opts.clusterName },
    ]),
    // The workflow enforces spec.timeouts.total itself (and then cleans up); this server-side limit, which would
    // end a run without cleanup, is only a last resort far beyond it and beyond the longest compensation.
    workflowExecutionTimeout: opts.scenario.spec.timeouts.total + 2 * 60 * 60_000,
  });
}

/**
 * How a closed run ended, as every command and report sees it. `ok: true`: kubeproof did its job and the record's
 * verdict says how the cluster did (a failed step or a cancellation included). `ok: false` with a record: cleanup
 * could not be confirmed (the record travels in the failure's details). `ok: false` without one: the run was
 * terminated or timed out on the server, so no workflow code ran to record or clean anything; the janitor
 * (`kubeproof janitor`) removes what such a run left.
 */
export type Outcome =
  | { ok: true; result: ValidationResult }
  | { ok: false; result?: ValidationResult; message: string; type: string };

/** Waits for a run and returns its record: the one place a run's ending is turned into a result. */
export async function outcomeOf(handle: WorkflowHandle): Promise<Outcome> {
  try {
    return { ok: true, result: (await handle.result()) as ValidationResult };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const cause = error.cause;
      if (cause instanceof ApplicationFailure) {
        const result = cause.details?.[0] as ValidationResult | undefined;
        return { ok: false, ...(result ? { result } : {}), message: cause.message, type: cause.type ?? 'Error' };
      }
      if (cause instanceof TerminatedFailure)
        return { ok: false, message: cause.message || 'terminated', type: 'Terminated' };
      if (cause instanceof TimeoutFailure)
        return { ok: false, message: 'the run timed out on the server', type: 'TimedOut' };
      if (cause instanceof CancelledFailure)
        return { ok: false, message: 'cancelled before any record was kept', type: 'Cancelled' };
      return { ok: false, message: cause?.message ?? error.message, type: cause?.name ?? 'Failed' };
    }
    throw error;
  }
}
