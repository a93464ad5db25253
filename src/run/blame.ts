/**
 * Which step a failure belongs to. The rule, one for every service whether or not others depend on it:
 *
 * - **deploy** owns "every service reaches its condition in time": a service that is never scheduled, never
 *   Ready, crash-loops, or whose apply is refused fails deploy, and is the service blamed;
 * - **health** owns "what became Ready is healthy": endpoints, probes and the health check's own findings;
 * - every other step owns the failures of its own activities;
 * - the first failure observed is the run's failure; later ones (a dependent giving up on a dependency that
 *   already failed) are consequences, not causes.
 */
import type { AwaitState } from '../k8s/deploy';
import type { HealthReport } from '../k8s/types';
import { ErrorType } from '../errors';
import type { RunFailure } from './contracts';
import { StepName } from './vocabulary';

export interface Settled {
  service: string;
  state: AwaitState;
  reason?: string;
}

export function errorTypeOfState(state: AwaitState): ErrorType {
  return state === 'unschedulable' ? ErrorType.Unschedulable : ErrorType.ServiceNotReady;
}

/** The deploy failure among settled services: the first, in plan order, that did not reach its condition. */
export function blameSettled(settled: readonly Settled[]): RunFailure | undefined {
  const bad = settled.find((s) => s.state !== 'met');
  if (!bad) return undefined;
  return {
    step: StepName.Deploy,
    service: bad.service,
    type: errorTypeOfState(bad.state),
    message: `service ${bad.service}: ${bad.reason ?? bad.state}`,
  };
}

/** A dependency that did not reach the condition its dependent waits for: blamed on the dependency, in deploy. */
export function blameDependency(dependency: {
  service: string;
  neededBy: string;
  condition: string;
  type: string;
  reason: string;
}): RunFailure {
  return {
    step: StepName.Deploy,
    service: dependency.service,
    type: dependency.type,
    message: `service ${dependency.service} (needed "${dependency.condition}" by ${dependency.neededBy}): ${dependency.reason}`,
  };
}

/** The health failure: the first unhealthy service the health check reported. */
export function blameHealth(report: HealthReport): RunFailure | undefined {
  const sick = report.services.find((s) => !s.healthy);
  if (!sick) return undefined;
  return {
    step: StepName.Health,
    service: sick.service,
    type: ErrorType.HealthCheckFailed,
    message: `service ${sick.service}: ${sick.problems.join('; ')}`,
  };
}
