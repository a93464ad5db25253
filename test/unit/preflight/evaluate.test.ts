import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  compareVersions,
  evaluateCapacity,
  evaluateRequirements,
  fingerprintOf,
  podDemand,
} from '../../../src/preflight';
import type { NodeInfo } from '../../../src/preflight';
import { loadScenario, parseScenarioData } from '../../../src/scenarios';

const GiB = 2 ** 30;
function node(name: string, over: Partial<NodeInfo> = {}): NodeInfo {
  return {
    name,
    ready: true,
    unschedulable: false,
    blockingTaints: [],
    simulated: true,
    allocatable: { cpu: 8000, memory: 32 * GiB, pods: 110 },
    requested: {},
    ...over,
  };
}
const threeNodes = () => [node('a'), node('b'), node('c')];

describe('preflight evaluation', () => {
  it('compares versions by major, minor and patch, ignoring v and vendor suffixes', () => {
    assert.ok(compareVersions('v1.36.3', '1.30') > 0);
    assert.equal(compareVersions('v1.30.0-gke.1', '1.30'), 0);
    assert.ok(compareVersions('1.9.0', '1.10') < 0);
    assert.throws(() => compareVersions('latest', '1.30'), /not a Kubernetes version: latest/);
  });

  it('counts the baseline target twice more: its extra replica and its rolling-restart surge', () => {
    const scenario = loadScenario('high-load');
    const demand = podDemand(scenario.spec.services, 'frontend');
    assert.deepEqual(
      demand.map((d) => [d.service, d.count]),
      [
        ['frontend', 7],
        ['backend', 3],
      ],
    );
    assert.deepEqual(demand[0]?.requests, { pods: 1, cpu: 500, memory: 512 * 2 ** 20 });
  });

  it('refuses a run whose total CPU exceeds what the schedulable nodes have free', () => {
    const nodes = [
      node('a', { requested: { cpu: 7500 } }),
      node('b', { unschedulable: true }),
      node('c', { ready: false }),
    ];
    const problems = evaluateCapacity(nodes, [{ service: 'web', count: 2, requests: { pods: 1, cpu: 500 } }]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.what, 'capacity: cpu');
    assert.match(problems[0]?.detail ?? '', /requests 1 CPU in total .* 1 schedulable node\(s\) have 0\.5 CPU free/);
    assert.match(problems[0]?.detail ?? '', /; left out: b \(cordoned\), c \(NotReady\)$/);
  });

  it('says why no node can take pods instead of a shortfall of every resource', () => {
    const unreachable = 'node.kubernetes.io/unreachable:NoExecute';
    const nodes = [
      node('a', { ready: false, blockingTaints: [unreachable] }),
      node('b', { ready: false, blockingTaints: [unreachable] }),
      node('c', { unschedulable: true, blockingTaints: ['node.kubernetes.io/unschedulable:NoSchedule'] }),
    ];
    const demand = [{ service: 'web', count: 2, requests: { pods: 1, cpu: 500, memory: GiB } }];
    assert.deepEqual(evaluateCapacity(nodes, demand), [
      {
        what: 'nodes',
        detail:
          "none of the cluster's 3 node(s) can take new pods: a (NotReady, taint node.kubernetes.io/unreachable:NoExecute), b (NotReady, taint node.kubernetes.io/unreachable:NoExecute), c (cordoned, taint node.kubernetes.io/unschedulable:NoSchedule)",
        remedy:
          'wait until the nodes are Ready (after the control plane was unreachable they stay NotReady until they report again), uncordon them or remove the taints, then run again',
      },
    ]);
    const many = Array.from({ length: 7 }, (_, i) => node(`n${i}`, { ready: false }));
    assert.match(evaluateCapacity(many, demand)[0]?.detail ?? '', /n3 \(NotReady\), n4 \(NotReady\) and 2 more$/);
    assert.deepEqual(
      evaluateCapacity([], demand).map((p) => p.detail),
      ['the cluster has no nodes'],
    );
  });

  it('refuses a pod no single node can hold even when the total would fit', () => {
    const problems = evaluateCapacity(threeNodes(), [{ service: 'big', count: 1, requests: { pods: 1, cpu: 10_000 } }]);
    assert.deepEqual(
      problems.map((p) => p.what),
      ['capacity: big'],
    );
  });

  it('accepts a run that fits', () => {
    const scenario = loadScenario('high-load');
    assert.deepEqual(evaluateCapacity(threeNodes(), podDemand(scenario.spec.services, 'frontend')), []);
  });

  it('refuses nodes smaller than minNodeCpu, naming the nodes it saw', () => {
    const scenario = parseScenarioData(
      {
        ...structuredClone(loadScenarioInput()),
        spec: { ...loadScenarioInput().spec, requires: { minNodes: 3, minNodeCpu: '64' } },
      },
      'demo.yaml',
    );
    const problems = evaluateRequirements(scenario.spec.requires, threeNodes(), 'v1.36.3');
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]?.detail ?? '',
      /needs 3 Ready, schedulable node\(s\) with at least 64 CPU allocatable; the cluster has 0/,
    );
  });

  it('refuses an extended resource no node advertises, and accepts one that a node does', () => {
    const requires = { extendedResources: { 'nvidia.com/gpu': 1 } };
    const without = evaluateRequirements(requires, threeNodes(), 'v1.36.3');
    assert.deepEqual(
      without.map((p) => p.what),
      ['requires: nvidia.com/gpu'],
    );
    const gpu = node('gpu', { allocatable: { cpu: 16000, memory: 64 * GiB, pods: 110, 'nvidia.com/gpu': 4 } });
    assert.deepEqual(evaluateRequirements(requires, [...threeNodes(), gpu], 'v1.36.3'), []);
  });

  it('refuses a server older than minKubernetesVersion', () => {
    const problems = evaluateRequirements(
      { extendedResources: {}, minKubernetesVersion: '1.37' },
      threeNodes(),
      'v1.36.3',
    );
    assert.match(problems[0]?.detail ?? '', /needs Kubernetes 1\.37 or newer; the server is v1\.36\.3/);
  });

  it('fingerprints schedulable nodes and marks KWOK nodes as simulated', () => {
    const fp = fingerprintOf([...threeNodes(), node('d', { ready: false })], 'v1.36.3');
    assert.deepEqual(fp, {
      kubernetesVersion: 'v1.36.3',
      nodes: 3,
      allocatable: { cpuMillicores: 24000, memoryBytes: 96 * GiB, extended: {} },
      simulated: true,
    });
    assert.equal(fingerprintOf([node('real', { simulated: false })], 'v1.30.0').simulated, false);
  });
});

function loadScenarioInput() {
  return {
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name: 'demo' },
    spec: { services: [{ name: 'web', image: 'nginx:1.27', replicas: 1 }] } as Record<string, unknown>,
  };
}
