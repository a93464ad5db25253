import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { loadScenario, parseScenarioText } from '../../../src/scenarios';
import { invalidScenario, validInput } from './helpers';

const scenarioYaml = `apiVersion: kubeproof.dev/v1
kind: Scenario
metadata:
  name: shop
spec:
  timeouts: { total: 10m }
  services:
    - name: web
      image: nginx:1.27
      replicas: 2
      dependsOn:
        - service: db
    - name: db
      image: postgres:16
      replicas: 0
`;

describe('loadScenario', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeproof-scenarios-'));
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'scenarios', 'shop.yaml'), scenarioYaml.replace('replicas: 0', 'replicas: 1'));
    writeFileSync(join(dir, 'broken.yml'), scenarioYaml);
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(validInput(), null, '\t'));
    writeFileSync(join(dir, 'notes.txt'), scenarioYaml);
    writeFileSync(join(dir, 'plain'), scenarioYaml.replace('replicas: 0', 'replicas: 1'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a YAML file by relative path from the given directory', () => {
    const scenario = loadScenario('scenarios/shop.yaml', dir);
    assert.equal(scenario.metadata.name, 'shop');
    assert.equal(scenario.spec.timeouts.total, 600_000);
    assert.deepEqual(
      scenario.spec.services.map((service) => service.name),
      ['web', 'db'],
    );
  });

  it('loads a file by absolute path', () => {
    assert.equal(loadScenario(join(dir, 'scenarios', 'shop.yaml')).metadata.name, 'shop');
  });

  it('accepts a tab-indented JSON file', () => {
    assert.equal(loadScenario('shop.json', dir).metadata.name, 'demo');
  });

  it('asks for a scenario extension when the name is an existing file without one', () => {
    const error = invalidScenario(() => loadScenario('plain', dir));
    assert.match(error.message, /^plain: scenario files must end in \.yaml, \.yml, \.json$/);
  });

  it('names the file, line, column and path of a schema error in a file', () => {
    const error = invalidScenario(() => loadScenario('broken.yml', dir));
    assert.equal(error.message, 'broken.yml:15:17: spec.services[1].replicas: must be at least 1 (got 0)');
    assert.deepEqual(error.details.issues, [
      { path: 'spec.services[1].replicas', message: 'must be at least 1 (got 0)', line: 15, column: 17 },
    ]);
    assert.equal(error.details.file, 'broken.yml');
  });

  it('refuses files that are not .yaml, .yml or .json', () => {
    assert.match(invalidScenario(() => loadScenario('notes.txt', dir)).message, /must end in \.yaml, \.yml, \.json/);
  });

  it('says which file is missing', () => {
    const error = invalidScenario(() => loadScenario('scenarios/missing.yaml', dir));
    assert.match(
      error.message,
      /^scenarios\/missing\.yaml: no such file \(looked for .*missing\.yaml\); check the path$/,
    );
  });

  it('refuses a directory', () => {
    mkdirSync(join(dir, 'dir.yaml'), { recursive: true });
    assert.match(invalidScenario(() => loadScenario('dir.yaml', dir)).message, /^dir\.yaml: is a directory/);
  });

  it('suggests the closest built-in for a misspelt name and lists all built-ins', () => {
    const error = invalidScenario(() => loadScenario('web-ap-stack', dir));
    assert.match(error.message, /unknown scenario "web-ap-stack".*did you mean "web-app-stack"\?/);
    assert.match(error.message, /web-app-stack, microservices-stack/);
    assert.equal(error.details.suggestion, 'web-app-stack');
  });

  it('does not suggest a built-in for a name that resembles none', () => {
    const error = invalidScenario(() => loadScenario('zzz', dir));
    assert.doesNotMatch(error.message, /did you mean/);
    assert.match(error.message, /Built-in scenarios: web-app-stack, microservices-stack/);
  });
});

describe('parseScenarioText', () => {
  it('reports a YAML syntax error with file, line and column', () => {
    const text = 'apiVersion: kubeproof.dev/v1\nkind: Scenario\nmetadata: { name: shop\nspec: {}\n';
    const error = invalidScenario(() => parseScenarioText(text, 'shop.yaml'));
    assert.match(error.message, /^shop\.yaml:\d+:\d+: invalid YAML: /);
    const [issue] = error.details.issues;
    assert.ok(issue?.line !== undefined && issue.line >= 3, `line ${issue?.line}`);
  });

  it('reports a duplicate key at its line', () => {
    const text = 'apiVersion: kubeproof.dev/v1\nkind: Scenario\nkind: Scenario\n';
    const error = invalidScenario(() => parseScenarioText(text, 'dup.yaml'));
    assert.match(error.message, /^dup\.yaml:3:1: invalid YAML: Map keys must be unique/);
  });

  it('reports an alias to a missing anchor as invalid YAML', () => {
    const error = invalidScenario(() => parseScenarioText('apiVersion: *missing\n', 'alias.yaml'));
    assert.match(error.message, /^alias\.yaml: invalid YAML: /);
  });

  it('refuses an empty file', () => {
    assert.match(invalidScenario(() => parseScenarioText('', 'empty.yaml')).message, /^empty\.yaml: .*is empty/);
  });

  it('points an unknown field at its key', () => {
    const text = scenarioYaml
      .replace('replicas: 0', 'replicas: 1')
      .replace('    - name: db\n', '    - name: db\n      port: 5432\n');
    const error = invalidScenario(() => parseScenarioText(text, 'shop.yaml'));
    assert.deepEqual(error.details.issues, [
      {
        path: 'spec.services[1].port',
        message: 'unknown field "port"; did you mean "ports"?',
        line: 14,
        column: 7,
      },
    ]);
  });

  it('points a missing field at the mapping it is missing from', () => {
    const text = scenarioYaml.replace('replicas: 0', 'replicas: 1').replace('      image: postgres:16\n', '');
    const [issue] = invalidScenario(() => parseScenarioText(text, 'shop.yaml')).details.issues;
    assert.deepEqual(issue, { path: 'spec.services[1].image', message: 'is required', line: 13, column: 7 });
  });
});
