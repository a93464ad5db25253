/**
 * What every report shows, derived once from a ValidationResult: a row per step (including steps that never
 * ran) and per service. Renderers only lay these rows out. Pure.
 */
import type { ServiceHealth } from '../../k8s/types';
import { STEP_ORDER, type StepName, type ValidationResult } from '../../run/contracts';

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

export function stepRows(result: ValidationResult): StepRow[] {
  return STEP_ORDER.flatMap((name): StepRow[] => {
    const record = result.steps.find((s) => s.name === name);
    if (record) {
      return [
        {
          name,
          status: record.status,
          durationMs: record.durationMs,
          ...(record.error !== undefined ? { message: record.error } : {}),
        },
      ];
    }
    // Preflight appears only in runs that had one.
    if (name === 'preflight') return [];
    if (name === 'ai' && result.ai?.explainsFailure) {
      return [{ name, status: 'ok', message: `explained the failure after cleanup (${result.ai.source})` }];
    }
    if (result.failure)
      return [{ name, status: 'skipped', message: `not run: the ${result.failure.step} step failed` }];
    return [{ name, status: 'skipped', message: name === 'baseline' ? 'baseline skipped' : 'not run' }];
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
