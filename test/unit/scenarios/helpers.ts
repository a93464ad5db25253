import assert from 'node:assert/strict';

import { stringify } from 'yaml';

import { ErrorType, KubeproofError } from '../../../src/errors';
import type { ScenarioIssue } from '../../../src/scenarios';

/** A valid scenario in the input format; tests change one thing in it. */
export function validInput(): {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown> & { services: Record<string, unknown>[] };
} {
  return {
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name: 'demo' },
    spec: {
      services: [
        { name: 'web', image: 'nginx:1.27', replicas: 2, ports: [{ port: 80 }], dependsOn: [{ service: 'db' }] },
        { name: 'db', image: 'postgres:16', replicas: 1, ports: [{ port: 5432 }] },
      ],
    },
  };
}

export function toYaml(value: unknown): string {
  return stringify(value);
}

/** Runs `load`, asserts it throws an InvalidScenario KubeproofError, and returns it. */
export function invalidScenario(
  load: () => unknown,
): KubeproofError & { details: { file: string; issues: ScenarioIssue[] } } {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof KubeproofError, `expected a KubeproofError, got ${String(error)}`);
    assert.equal(error.type, ErrorType.InvalidScenario);
    return error as KubeproofError & { details: { file: string; issues: ScenarioIssue[] } };
  }
  assert.fail('expected the scenario to be refused');
}
