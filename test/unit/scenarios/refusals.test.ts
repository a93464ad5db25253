import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseScenarioData, parseScenarioText } from '../../../src/scenarios';
import { invalidScenario, toYaml, validInput } from './helpers';

/** Changes one thing in a valid scenario, loads it as `demo.yaml`, and returns the error lines. */
function refuse(change: (input: ReturnType<typeof validInput>) => void): { message: string; paths: string[] } {
  const input = validInput();
  change(input);
  const error = invalidScenario(() => parseScenarioText(toYaml(input), 'demo.yaml'));
  for (const line of error.message.split('\n')) assert.match(line, /^demo\.yaml(:\d+:\d+)?: /);
  assert.equal(error.details.file, 'demo.yaml');
  return { message: error.message, paths: error.details.issues.map((issue) => issue.path) };
}

function service(input: ReturnType<typeof validInput>, index: number): Record<string, unknown> {
  const found = input.spec.services[index];
  assert.ok(found);
  return found;
}

describe('scenario refusals', () => {
  it('accepts the valid base scenario used by these tests', () => {
    const scenario = parseScenarioText(toYaml(validInput()), 'demo.yaml');
    assert.equal(scenario.spec.samples, 5);
    assert.deepEqual(scenario.spec.services[0]?.dependsOn, [{ service: 'db', condition: 'ready', timeout: 120_000 }]);
  });

  it('refuses zero replicas with the path and the value', () => {
    const { message, paths } = refuse((input) => (service(input, 1).replicas = 0));
    assert.deepEqual(paths, ['spec.services[1].replicas']);
    assert.match(message, /^demo\.yaml:\d+:\d+: spec\.services\[1\]\.replicas: must be at least 1 \(got 0\)$/);
  });

  it('refuses negative and fractional replicas', () => {
    assert.match(
      refuse((input) => (service(input, 0).replicas = -3)).message,
      /replicas: must be at least 1 \(got -3\)/,
    );
    assert.match(
      refuse((input) => (service(input, 0).replicas = 1.5)).message,
      /replicas: must be a whole number .*\(got 1\.5\)/,
    );
  });

  it('refuses a port outside 1..65535', () => {
    const { message, paths } = refuse((input) => (service(input, 0).ports = [{ port: 70000 }]));
    assert.deepEqual(paths, ['spec.services[0].ports[0].port']);
    assert.match(message, /between 1 and 65535 \(got 70000\)/);
  });

  it('refuses a resource quantity Kubernetes would not understand', () => {
    const { message, paths } = refuse(
      (input) => (service(input, 0).resources = { requests: { cpu: '100mc', memory: '128Mi' } }),
    );
    assert.deepEqual(paths, ['spec.services[0].resources.requests.cpu']);
    assert.match(message, /must be a Kubernetes quantity.*\(got "100mc"\)/);
  });

  it('accepts plain numbers as quantities and keeps them as strings', () => {
    const input = validInput();
    service(input, 0).resources = { requests: { cpu: 1 }, limits: { cpu: '2', memory: '1Gi' } };
    const scenario = parseScenarioData(input, 'demo.yaml');
    assert.deepEqual(scenario.spec.services[0]?.resources, {
      requests: { cpu: '1' },
      limits: { cpu: '2', memory: '1Gi' },
    });
  });

  it('refuses limits below requests', () => {
    const { paths } = refuse(
      (input) => (service(input, 0).resources = { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } }),
    );
    assert.deepEqual(paths, ['spec.services[0].resources.limits.memory']);
  });

  it('refuses names that are not DNS-1035 labels or are too long', () => {
    for (const name of ['Web', 'web_app', '1web', 'web-', 'a'.repeat(41)]) {
      const { paths } = refuse((input) => (service(input, 1).name = name));
      assert.ok(paths.includes('spec.services[1].name'), name);
    }
    assert.deepEqual(refuse((input) => (input.metadata.name = 'My Scenario')).paths, ['metadata.name']);
  });

  it('refuses an unknown field, names it and suggests the right one', () => {
    const { message, paths } = refuse((input) => (service(input, 0).replica = 2));
    assert.deepEqual(paths, ['spec.services[0].replica']);
    assert.match(message, /spec\.services\[0\]\.replica: unknown field "replica"; did you mean "replicas"\?/);
  });

  it('lists the allowed fields when an unknown field resembles none of them', () => {
    const { message } = refuse((input) => (input.spec.colour = 'blue'));
    assert.match(message, /spec\.colour: unknown field "colour"; allowed fields: timeouts, samples, failOnRegression/);
  });

  it('refuses duplicate service names and points at the first one', () => {
    const { message, paths } = refuse((input) =>
      input.spec.services.push({ name: 'web', image: 'nginx:1.27', replicas: 1 }),
    );
    assert.deepEqual(paths, ['spec.services[2].name']);
    assert.match(message, /spec\.services\[2\]\.name: duplicate service name "web" \(also at spec\.services\[0\]\)/);
  });

  it('refuses a dependency on an unknown service and suggests the closest name', () => {
    const { message, paths } = refuse((input) => (service(input, 0).dependsOn = [{ service: 'dbb' }]));
    assert.deepEqual(paths, ['spec.services[0].dependsOn[0].service']);
    assert.match(message, /spec\.services\[0\]\.dependsOn\[0\]\.service: unknown service "dbb"; did you mean "db"\?/);
  });

  it('refuses a service that depends on itself', () => {
    const { message, paths } = refuse((input) => (service(input, 1).dependsOn = [{ service: 'db' }]));
    assert.deepEqual(paths, ['spec.services[1].dependsOn[0].service']);
    assert.match(message, /dependency cycle: db → db/);
  });

  it('names every service of a dependency cycle', () => {
    const { message } = refuse((input) => {
      service(input, 1).dependsOn = [{ service: 'cache' }];
      input.spec.services.push({ name: 'cache', image: 'redis:7', replicas: 1, dependsOn: [{ service: 'web' }] });
    });
    assert.match(message, /spec\.services\[2\]\.dependsOn\[0\]\.service: dependency cycle: web → db → cache → web/);
  });

  it('refuses durations without a unit and explains the format', () => {
    const { message, paths } = refuse((input) => (input.spec.timeouts = { total: '5 minutes' }));
    assert.deepEqual(paths, ['spec.timeouts.total']);
    assert.match(message, /must be a duration: .*e\.g\. 500ms, 30s.*\(got "5 minutes"\)/);
  });

  it('refuses a ready timeout longer than the total timeout', () => {
    assert.deepEqual(refuse((input) => (input.spec.timeouts = { total: '1m', ready: '2m' })).paths, [
      'spec.timeouts.ready',
    ]);
  });

  it('refuses readiness with both http and tcp, or neither', () => {
    const both = { http: { path: '/', port: 80 }, tcp: { port: 80 } };
    assert.deepEqual(refuse((input) => (service(input, 0).readiness = both)).paths, ['spec.services[0].readiness']);
    assert.deepEqual(refuse((input) => (service(input, 0).readiness = {})).paths, ['spec.services[0].readiness']);
  });

  it('refuses env names that are not C identifiers and values that are not strings', () => {
    const { paths } = refuse((input) => (service(input, 0).env = { 'LOG-LEVEL': 'debug', PORT: 8080 }));
    assert.deepEqual(paths.sort(), ['spec.services[0].env.PORT', 'spec.services[0].env["LOG-LEVEL"]'].sort());
  });

  it('refuses invalid label keys and values but accepts prefixed keys', () => {
    const { paths } = refuse(
      (input) => (service(input, 0).podLabels = { 'kubeproof.dev/simulate': 'never-ready', tier: 'front end' }),
    );
    assert.deepEqual(paths, ['spec.services[0].podLabels.tier']);
  });

  it('refuses a port name that is not an IANA service name, and an unknown protocol', () => {
    const { paths } = refuse((input) => (service(input, 0).ports = [{ name: 'HTTP', port: 80, protocol: 'SCTP' }]));
    assert.deepEqual(paths.sort(), ['spec.services[0].ports[0].name', 'spec.services[0].ports[0].protocol']);
  });

  it('refuses the same port twice in one service', () => {
    const { paths } = refuse((input) => (service(input, 0).ports = [{ port: 80 }, { port: 80 }]));
    assert.deepEqual(paths, ['spec.services[0].ports[1].port']);
  });

  it('refuses an image with whitespace and a probe URL that is not http(s)', () => {
    assert.deepEqual(refuse((input) => (service(input, 0).image = 'nginx 1.27')).paths, ['spec.services[0].image']);
    assert.deepEqual(refuse((input) => (service(input, 0).probeUrl = 'ftp://host/')).paths, [
      'spec.services[0].probeUrl',
    ]);
  });

  it('says which required field is missing', () => {
    const { message } = refuse((input) => delete service(input, 1).image);
    assert.match(message, /spec\.services\[1\]\.image: is required$/);
  });

  it('refuses a scenario without services, and a wrong apiVersion', () => {
    assert.deepEqual(refuse((input) => (input.spec.services = [])).paths, ['spec.services']);
    assert.deepEqual(refuse((input) => (input.apiVersion = 'kubeproof.dev/v2')).paths, ['apiVersion']);
  });

  it('reports every problem at once, in file order', () => {
    const { paths } = refuse((input) => {
      input.metadata.name = 'Bad';
      service(input, 0).replicas = 0;
      service(input, 1).ports = [{ port: 0 }];
    });
    assert.deepEqual(paths, ['metadata.name', 'spec.services[0].replicas', 'spec.services[1].ports[0].port']);
  });

  it('fills each dependency timeout from spec.timeouts.ready unless it sets its own', () => {
    const input = validInput();
    input.spec.timeouts = { ready: '45s' };
    input.spec.services.push({ name: 'cache', image: 'redis:7', replicas: 1 });
    service(input, 0).dependsOn = [{ service: 'db' }, { service: 'cache', condition: 'healthy', timeout: '1.5s' }];
    const scenario = parseScenarioData(input, 'demo.yaml');
    assert.deepEqual(scenario.spec.services[0]?.dependsOn, [
      { service: 'db', condition: 'ready', timeout: 45_000 },
      { service: 'cache', condition: 'healthy', timeout: 1500 },
    ]);
    assert.deepEqual(scenario.spec.timeouts, { total: 900_000, ready: 45_000 });
  });
});
