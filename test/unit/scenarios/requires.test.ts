import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { resolveImage, renderService } from '../../../src/k8s/render';
import { loadScenario, parseScenarioData, parseScenarioText } from '../../../src/scenarios';
import { invalidScenario, toYaml, validInput } from './helpers';

function refuse(change: (input: ReturnType<typeof validInput>) => void): string {
  const input = validInput();
  change(input);
  const error = invalidScenario(() => parseScenarioText(toYaml(input), 'demo.yaml'));
  for (const line of error.message.split('\n')) assert.match(line, /^demo\.yaml:\d+:\d+: /);
  return error.message;
}

describe('scenario requirements, checks and images', () => {
  it('accepts spec.requires and fills defaults for images and link-local probes', () => {
    const input = validInput();
    input.spec.requires = { minNodes: 3, minNodeCpu: 4, minNodeMemory: '8Gi', minKubernetesVersion: 'v1.30' };
    const scenario = parseScenarioData(input, 'demo.yaml');
    assert.deepEqual(scenario.spec.requires, {
      minNodes: 3,
      minNodeCpu: '4',
      minNodeMemory: '8Gi',
      minKubernetesVersion: 'v1.30',
      extendedResources: {},
    });
    assert.deepEqual(scenario.spec.images, {});
    assert.equal(scenario.spec.allowLinkLocalProbes, false);
    assert.equal(scenario.spec.checks, undefined);
  });

  it('refuses a malformed minimum Kubernetes version with its line', () => {
    assert.match(
      refuse((input) => (input.spec.requires = { minKubernetesVersion: 'latest' })),
      /spec\.requires\.minKubernetesVersion: must be a Kubernetes version .*\(got "latest"\)/,
    );
  });

  it('refuses an unknown check id with a suggestion', () => {
    assert.match(
      refuse((input) => (input.spec.checks = ['nodes', 'pbd'])),
      /spec\.checks\[1\]: unknown check; did you mean "pdb"\?/,
    );
  });

  it('refuses an extended resource requested without an equal limit', () => {
    assert.match(
      refuse((input) => (input.spec.services[0]!.resources = { requests: { 'nvidia.com/gpu': '1' } })),
      /spec\.services\[0\]\.resources\.limits\["nvidia\.com\/gpu"\]: must be set and equal requests/,
    );
  });

  it('refuses a resource name that is neither standard nor domain-prefixed', () => {
    assert.match(
      refuse((input) => (input.spec.services[0]!.resources = { requests: { cpus: '1' } })),
      /resource names must be cpu, memory/,
    );
  });

  it('accepts more than 30 services now that preflight guards capacity, and refuses over 1000', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `s${i}`, image: 'nginx:1.27', replicas: 1 }));
    const input = validInput();
    input.spec.services = many(31);
    assert.equal(parseScenarioData(input, 'demo.yaml').spec.services.length, 31);
    assert.match(
      refuse((i) => (i.spec.services = many(1001))),
      /spec\.services: must list at most 1000 services/,
    );
  });

  it('applies spec.images first, then the registry prefix, to rendered pods', () => {
    assert.equal(
      resolveImage('nginx:1.27', { images: { 'nginx:1.27': 'mirror/nginx:1' }, imageRegistry: 'r.local' }),
      'mirror/nginx:1',
    );
    assert.equal(
      resolveImage('nginx:1.27', { imageRegistry: 'r.local:5000/mirror/' }),
      'r.local:5000/mirror/nginx:1.27',
    );
    assert.equal(resolveImage('ghcr.io/org/app:1', { imageRegistry: 'r.local' }), 'r.local/org/app:1');
    assert.equal(resolveImage('org/app:1', { imageRegistry: 'r.local' }), 'r.local/org/app:1');
    const svc = loadScenario('gpu-inference').spec.services[0]!;
    const objects = renderService({ runId: 'k', scenario: 'gpu-inference' }, svc, { imageRegistry: 'air.gap' });
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { image: string; resources: unknown }[] } } };
    };
    assert.equal(deployment.spec.template.spec.containers[0]?.image, 'air.gap/nvidia/tritonserver:24.08-py3');
    assert.deepEqual(deployment.spec.template.spec.containers[0]?.resources, {
      requests: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '4', memory: '8Gi', 'nvidia.com/gpu': '1' },
    });
  });
});
