/**
 * Starting and following validation runs through the Temporal client: used by the CLI and the tests.
 * The scenario arrives here already parsed; the plan (dependency waves) is computed here, at the edge.
 */
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { planWaves } from '../scenarios/planner';
import type { Scenario } from '../scenarios/schema';
import { SearchAttr } from '../search-attributes';
import type { validateScenario } from '../workflows';
import type { AiMode, ValidateInput, ValidationResult } from '../workflows/types';

export interface StartValidation {
  scenario: Scenario;
  clusterName: string;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  ai: AiMode;
  samples?: number | undefined;
  skipBaseline?: boolean;
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
  opts: Pick<
    StartValidation,
    'scenario' | 'clusterName' | 'kubeconfig' | 'context' | 'ai' | 'samples' | 'skipBaseline'
  >,
): ValidateInput {
  return {
    scenario: opts.scenario,
    waves: planWaves(opts.scenario),
    cluster: {
      name: opts.clusterName,
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
    },
    ai: opts.ai,
    ...(opts.samples !== undefined ? { samples: opts.samples } : {}),
    ...(opts.skipBaseline ? { skipBaseline: true } : {}),
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

export type Outcome =
  | { ok: true; result: ValidationResult }
  | { ok: false; result?: ValidationResult; message: string; type: string };

/** Waits for a run and returns its result, or the failed run's partial result with the failure. */
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
      return { ok: false, message: cause?.message ?? error.message, type: cause?.name ?? 'Failed' };
    }
    throw error;
  }
}
