import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';

import { builtinScenarioNames, loadScenario, planWaves } from '../../../src/scenarios';
import { builtinCatalog, catalogPath } from '../../../src/scenarios/catalog';

describe('built-in scenarios', () => {
  it('offers the web and microservices stacks and the seed catalogue', () => {
    assert.deepEqual([...builtinScenarioNames].sort(), [
      'gpu-inference',
      'high-load',
      'microservices-stack',
      'resource-constrained',
      'web-app-stack',
    ]);
  });

  it('gives each seed scenario requirements sized like the seed', () => {
    assert.deepEqual(loadScenario('high-load').spec.requires, {
      minNodes: 3,
      minNodeCpu: '4',
      minNodeMemory: '8Gi',
      extendedResources: {},
    });
    assert.deepEqual(loadScenario('gpu-inference').spec.requires?.extendedResources, { 'nvidia.com/gpu': 1 });
    assert.ok(loadScenario('resource-constrained').spec.resourceQuota);
  });

  it('every built-in passes the schema and names itself', () => {
    for (const name of builtinScenarioNames) {
      assert.equal(loadScenario(name).metadata.name, name);
    }
  });

  it('deploys web-app-stack data stores first, then the backend, then the frontend', () => {
    assert.deepEqual(planWaves(loadScenario('web-app-stack')), [['database', 'cache'], ['backend'], ['frontend']]);
  });

  it('deploys microservices-stack database first and the gateway last', () => {
    assert.deepEqual(planWaves(loadScenario('microservices-stack')), [
      ['shared-database'],
      ['user-service', 'order-service'],
      ['api-gateway'],
    ]);
  });

  it('web-app-stack has the documented shape with durations in milliseconds and defaults filled', () => {
    const scenario = loadScenario('web-app-stack');
    assert.deepEqual(scenario.spec.timeouts, { total: 900_000, ready: 120_000 });
    assert.equal(scenario.spec.targets.podReadyP95, 30_000);
    assert.equal(scenario.spec.targets.apiRoundTripP95, 500);
    assert.equal(scenario.spec.failOnRegression, false);
    const summary = scenario.spec.services.map((service) => [service.name, service.image, service.replicas]);
    assert.deepEqual(summary, [
      ['frontend', 'nginx:1.27', 2],
      ['backend', 'httpd:2.4', 3],
      ['database', 'postgres:16', 1],
      ['cache', 'redis:7', 1],
    ]);
    const database = scenario.spec.services.find((service) => service.name === 'database');
    assert.deepEqual(database?.readiness, { tcp: { port: 5432 } });
    const frontend = scenario.spec.services[0];
    assert.deepEqual(frontend?.dependsOn, [{ service: 'backend', condition: 'ready', timeout: 120_000 }]);
    assert.deepEqual(frontend?.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
  });

  it('gives every built-in service requests and limits', () => {
    for (const name of builtinScenarioNames) {
      for (const service of loadScenario(name).spec.services) {
        assert.ok(service.resources.requests?.cpu && service.resources.requests.memory, service.name);
        assert.ok(service.resources.limits?.cpu && service.resources.limits.memory, service.name);
      }
    }
  });

  it('returns a fresh copy on each load, so callers cannot change a built-in for others', () => {
    const first = loadScenario('web-app-stack');
    first.spec.services.pop();
    assert.equal(loadScenario('web-app-stack').spec.services.length, 4);
  });

  it('lists every built-in for `scenarios list`, computed in a checkout that has no built catalog', () => {
    assert.ok(!fs.existsSync(catalogPath), `${catalogPath} is only written into dist/ by the build`);
    const catalog = builtinCatalog();
    assert.deepEqual(
      catalog.map((entry) => entry.name),
      [...builtinScenarioNames],
    );
    const web = catalog.find((entry) => entry.name === 'web-app-stack');
    assert.deepEqual(web?.waves, planWaves(loadScenario('web-app-stack')));
    assert.deepEqual(web?.services, ['frontend', 'backend', 'database', 'cache']);
    assert.equal(catalog.find((entry) => entry.name === 'high-load')?.requires?.minNodes, 3);
  });
});
