import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ErrorType, KubeproofError } from '../../../src/errors';
import { checkDependencies, findCycle, parseScenarioData, planWaves } from '../../../src/scenarios';
import { followTimeout } from '../../../src/scenarios/planner';

function graph(edges: Record<string, string[]>) {
  return Object.entries(edges).map(([name, deps]) => ({ name, dependsOn: deps.map((service) => ({ service })) }));
}

describe('planWaves', () => {
  it('puts every service after all of its dependencies', () => {
    const services = graph({ app: ['api'], api: ['db', 'queue'], db: [], queue: ['db'] });
    assert.deepEqual(planWaves({ spec: { services } }), [['db'], ['queue'], ['api'], ['app']]);
  });

  it('keeps scenario order within a wave', () => {
    const services = graph({ zeta: [], alpha: [], mid: ['zeta', 'alpha'], beta: [] });
    assert.deepEqual(planWaves({ spec: { services } }), [['zeta', 'alpha', 'beta'], ['mid']]);
  });

  it('refuses a graph with a cycle and names it', () => {
    const services = graph({ a: ['b'], b: ['a'] });
    assert.throws(
      () => planWaves({ spec: { services } }),
      (error: unknown) =>
        error instanceof KubeproofError &&
        error.type === ErrorType.InvalidScenario &&
        error.message.includes('dependency cycle: a → b → a'),
    );
  });
});

describe('findCycle', () => {
  it('returns undefined for an acyclic graph', () => {
    assert.equal(findCycle(graph({ a: ['b'], b: ['c'], c: [] })), undefined);
  });

  it('names the services of a cycle from where it starts back to the start', () => {
    assert.deepEqual(findCycle(graph({ x: ['a'], a: ['b'], b: ['c'], c: ['a'] })), ['a', 'b', 'c', 'a']);
  });

  it('reports a self-dependency as a cycle of one', () => {
    assert.deepEqual(findCycle(graph({ a: ['a'] })), ['a', 'a']);
  });

  it('ignores dependencies on unknown services', () => {
    assert.equal(findCycle(graph({ a: ['ghost'] })), undefined);
  });
});

describe('checkDependencies', () => {
  it('finds nothing wrong in a valid graph', () => {
    assert.deepEqual(checkDependencies(graph({ a: ['b'], b: [] })), []);
  });

  it('points at the dependency that closes a cycle', () => {
    const issues = checkDependencies(graph({ a: ['b'], b: ['c'], c: ['a'] }));
    assert.deepEqual(issues, [
      {
        path: ['spec', 'services', 2, 'dependsOn', 0, 'service'],
        message: 'dependency cycle: a → b → c → a; remove one of these dependencies',
      },
    ]);
  });

  it('lists the known services when no name is close to an unknown one', () => {
    const [issue] = checkDependencies(graph({ web: ['zzzzzzzz'], db: [] }));
    assert.equal(issue?.message, 'unknown service "zzzzzzzz"; services in this scenario: web, db');
  });

  it('refuses the same dependency listed twice', () => {
    const [issue] = checkDependencies(graph({ web: ['db', 'db'], db: [] }));
    assert.deepEqual(issue?.path, ['spec', 'services', 0, 'dependsOn', 1, 'service']);
    assert.match(issue?.message ?? '', /already listed at dependsOn\[0\]/);
  });
});

describe('followTimeout', () => {
  it('follows a dependency for as long as its longest incoming edge promises to wait, never less than ready', () => {
    const scenario = parseScenarioData(
      {
        apiVersion: 'kubeproof.dev/v1',
        kind: 'Scenario',
        metadata: { name: 'edges' },
        spec: {
          timeouts: { ready: '30s', total: '10m' },
          services: [
            { name: 'db', image: 'postgres:16', replicas: 1 },
            { name: 'api', image: 'nginx:1.27', replicas: 1, dependsOn: [{ service: 'db', timeout: '2m' }] },
          ],
        },
      },
      'edges.yaml',
    );
    assert.equal(followTimeout(scenario, 'db'), 120_000);
    assert.equal(followTimeout(scenario, 'api'), 30_000);
  });
});
