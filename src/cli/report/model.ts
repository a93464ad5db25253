/**
 * What every report shows, derived once from a ValidationResult: a row per step (including steps that never
 * ran) and per service. Renderers only lay these rows out. Pure.
 */
import type { ServiceHealth } from '../../k8s/types';
import { StepName, type ValidationResult } from '../../workflows/types';

export type RowStatus = 'ok' | 'failed' | 'skipped';

export interface StepRow {
  name: StepName;
  status: RowStatus;
  durationMs?: number;
  /** Why it failed or was skipped. */
  message?: string;
}

export interface ServiceRow {
  name: string;
  status: RowStatus;
  health?: ServiceHealth;
  message?: string;
}

/** Cleanup after a failure runs as compensation, not as a step: its row is derived from what compensation did. */
function compensationRow(result: ValidationResult): StepRow | undefined {
  if (!result.cleanup && result.compensations.length === 0) return undefined;
  const problems = [
    ...result.compensations.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error ?? 'failed'}`),
    ...(result.cleanup && result.cleanup.left.length > 0 ? [`objects left: ${result.cleanup.left.join(', ')}`] : []),
  ];
  return {
    name: 'cleanup',
    status: problems.length === 0 ? 'ok' : 'failed',
    ...(result.cleanup ? { durationMs: result.cleanup.durationMs } : {}),
    message: problems.length === 0 ? 'ran as compensation after the failure' : problems.join('; '),
  };
}

export function stepRows(result: ValidationResult): StepRow[] {
  return StepName.map((name): StepRow => {
    const record = result.steps.find((s) => s.name === name);
    if (record) {
      return {
        name,
        status: record.status,
        durationMs: record.durationMs,
        ...(record.error !== undefined ? { message: record.error } : {}),
      };
    }
    if (name === 'cleanup') {
      const row = compensationRow(result);
      if (row) return row;
    }
    if (result.failure) return { name, status: 'skipped', message: `not run: the ${result.failure.step} step failed` };
    return { name, status: 'skipped', message: name === 'baseline' ? 'baseline skipped' : 'not run' };
  });
}

export function serviceRows(result: ValidationResult): ServiceRow[] {
  if (result.health) {
    return result.health.services.map((health) => ({
      name: health.service,
      status: health.healthy ? 'ok' : 'failed',
      health,
      ...(health.healthy ? {} : { message: health.problems.join('; ') || 'unhealthy' }),
    }));
  }
  return result.waves.flat().map((name): ServiceRow => {
    if (result.failure?.service === name) return { name, status: 'failed', message: result.failure.message };
    return { name, status: 'skipped', message: 'health not checked' };
  });
}

export const statusWord: Record<RowStatus, string> = { ok: 'ok', failed: 'FAILED', skipped: 'skipped' };
