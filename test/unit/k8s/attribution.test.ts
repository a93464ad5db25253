import type * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SERVICE_NAME_LABEL,
  endpointCounts,
  eventsAbout,
  ofService,
  ownedObjectKeys,
} from '../../../src/k8s/attribution';
import { usageOf } from '../../../src/k8s/health';
import { renderService } from '../../../src/k8s/render';
import { serviceSpec } from '../../helpers/service';

const run = { runId: 'kubeproof-local-gw-20261201', scenario: 'gateway' };

const spec = (name: string) =>
  serviceSpec(name, { replicas: 2, ports: [{ port: 80, protocol: 'TCP' }], resources: {} });

/** The objects of one service as the cluster would list them: rendered ones, plus controller-made ones. */
function cluster(service: string, replicaSet: string, pods: string[]) {
  const rendered = renderService(run, spec(service));
  const deployment = rendered.find((o) => o.kind === 'Deployment') as k8s.V1Deployment;
  const kubeService = rendered.find((o) => o.kind === 'Service') as k8s.V1Service;
  const podLabels = deployment.spec!.template.metadata!.labels!;
  return {
    deployment,
    kubeService,
    replicaSet: { metadata: { name: replicaSet, labels: podLabels } } as k8s.V1ReplicaSet,
    pods: pods.map((name): k8s.V1Pod => ({ metadata: { name, labels: podLabels } })),
  };
}

const api = cluster('api', 'api-6f7d8', ['api-6f7d8-aaaaa', 'api-6f7d8-bbbbb']);
// Every gateway name starts with `api-`: a prefix match would credit them all to `api`.
const gateway = cluster('api-gateway', 'api-gateway-5c4b3', ['api-gateway-5c4b3-ccccc', 'api-gateway-5c4b3-ddddd']);
const listed = {
  deployments: [api.deployment, gateway.deployment],
  replicaSets: [api.replicaSet, gateway.replicaSet],
  pods: [...api.pods, ...gateway.pods],
  services: [api.kubeService, gateway.kubeService],
};

const event = (kind: string, name: string, reason: string): k8s.CoreV1Event => ({
  involvedObject: { kind, name },
  reason,
  message: `${reason} on ${name}`,
  metadata: {},
});
const events = [
  event('Pod', 'api-6f7d8-aaaaa', 'Unhealthy'),
  event('Pod', 'api-gateway-5c4b3-ccccc', 'BackOff'),
  event('ReplicaSet', 'api-gateway-5c4b3', 'FailedCreate'),
  event('Deployment', 'api-gateway', 'ProgressDeadlineExceeded'),
  event('Service', 'api-gateway', 'FailedToUpdateEndpointSlices'),
  event('ReplicaSet', 'api-6f7d8', 'FailedCreate'),
  // Same name as api's Deployment, another kind: not api's.
  event('ConfigMap', 'api', 'Whatever'),
];

const endpoint = (ip: string, pod: string, ready?: boolean): k8s.V1Endpoint => ({
  addresses: [ip],
  targetRef: { kind: 'Pod', namespace: 'kp-gateway', name: pod, uid: `uid-${pod}` },
  ...(ready === undefined ? {} : { conditions: { ready } }),
});
const slice = (name: string, service: string, endpoints: k8s.V1Endpoint[]): k8s.V1EndpointSlice => ({
  addressType: 'IPv4',
  metadata: { name, labels: { [SERVICE_NAME_LABEL]: service } },
  endpoints,
});

describe('attribution by label with services api and api-gateway in one namespace', () => {
  it('gives each service only the pods labelled as its own', () => {
    assert.deepEqual(
      ofService(listed.pods, 'api').map((p) => p.metadata?.name),
      ['api-6f7d8-aaaaa', 'api-6f7d8-bbbbb'],
    );
    assert.deepEqual(
      ofService(listed.pods, 'api-gateway').map((p) => p.metadata?.name),
      ['api-gateway-5c4b3-ccccc', 'api-gateway-5c4b3-ddddd'],
    );
  });

  it("does not credit api with the gateway's events, and gives the gateway all of its own", () => {
    const about = (service: string) =>
      eventsAbout(events, ownedObjectKeys(listed, service)).map((e) => `${e.involvedObject.kind}/${e.reason}`);
    assert.deepEqual(about('api'), ['Pod/Unhealthy', 'ReplicaSet/FailedCreate']);
    assert.deepEqual(about('api-gateway'), [
      'Pod/BackOff',
      'ReplicaSet/FailedCreate',
      'Deployment/ProgressDeadlineExceeded',
      'Service/FailedToUpdateEndpointSlices',
    ]);
  });

  it("does not credit api with the gateway's endpoints", () => {
    const slices = [
      slice('api-x1', 'api', [endpoint('10.0.0.1', 'api-6f7d8-aaaaa'), endpoint('10.0.0.2', 'api-6f7d8-bbbbb', false)]),
      slice('api-gateway-y1', 'api-gateway', [
        endpoint('10.0.1.1', 'api-gateway-5c4b3-ccccc', true),
        endpoint('10.0.1.2', 'api-gateway-5c4b3-ddddd', true),
      ]),
      // A slice with no service-name label at all (mirrored, hand-made): nobody's.
      { addressType: 'IPv4', metadata: { name: 'api-zz' }, endpoints: [endpoint('10.0.9.9', 'x')] },
    ];
    assert.deepEqual(endpointCounts(slices, 'api'), { ready: 1, notReady: 1 });
    assert.deepEqual(endpointCounts(slices, 'api-gateway'), { ready: 2, notReady: 0 });
  });

  it("sums resource usage over the service's own pods only", () => {
    const metric = (name: string, cpu: string, memory: string): k8s.PodMetric => ({
      metadata: { name, namespace: 'kp-gateway', selfLink: '', creationTimestamp: '' },
      timestamp: '',
      window: '30s',
      containers: [{ name: 'c', usage: { cpu, memory } }],
    });
    const metrics = [
      metric('api-6f7d8-aaaaa', '10m', '1Mi'),
      metric('api-6f7d8-bbbbb', '20m', '1Mi'),
      metric('api-gateway-5c4b3-ccccc', '500m', '100Mi'),
    ];
    const names = new Set(ofService(listed.pods, 'api').map((p) => p.metadata!.name!));
    assert.deepEqual(usageOf(metrics, names), { available: true, cpuMillicores: 30, memoryBytes: 2 * 1024 * 1024 });
  });
});

describe('endpointCounts', () => {
  it('counts an endpoint listed in two slices once', () => {
    const a = endpoint('10.0.0.1', 'api-1', true);
    const slices = [slice('api-a', 'api', [a, endpoint('10.0.0.2', 'api-2')]), slice('api-b', 'api', [a])];
    assert.deepEqual(endpointCounts(slices, 'api'), { ready: 2, notReady: 0 });
  });

  it('counts an endpoint listed ready in one slice and not ready in another as not ready', () => {
    const slices = [
      slice('api-a', 'api', [endpoint('10.0.0.1', 'api-1', true)]),
      slice('api-b', 'api', [endpoint('10.0.0.1', 'api-1', false)]),
    ];
    assert.deepEqual(endpointCounts(slices, 'api'), { ready: 0, notReady: 1 });
  });

  it('dedupes endpoints without a targetRef by their addresses', () => {
    const bare = (ips: string[]): k8s.V1Endpoint => ({ addresses: ips });
    const slices = [
      slice('api-a', 'api', [bare(['10.0.0.1', '10.0.0.2'])]),
      slice('api-b', 'api', [bare(['10.0.0.2', '10.0.0.1']), bare(['10.0.0.3'])]),
    ];
    assert.deepEqual(endpointCounts(slices, 'api'), { ready: 2, notReady: 0 });
  });
});
