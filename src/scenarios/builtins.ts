/**
 * Built-in scenarios, written in the file format (durations as strings, defaults left out) and parsed
 * through ScenarioSchema when loaded, so a mistake here fails like a mistake in a user's file.
 */
import type { ScenarioInput } from './schema';

const webAppStack = {
  apiVersion: 'kubeproof.dev/v1',
  kind: 'Scenario',
  metadata: {
    name: 'web-app-stack',
    description: 'Three-tier web application: nginx frontend, Apache backend, PostgreSQL and Redis.',
  },
  spec: {
    timeouts: { total: '15m', ready: '2m' },
    samples: 5,
    targets: { podReadyP95: '30s', scaleOutP95: '30s', rollingRestartP95: '60s', apiRoundTripP95: '500ms' },
    services: [
      {
        name: 'frontend',
        image: 'nginx:1.27',
        replicas: 2,
        ports: [{ name: 'http', port: 80 }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        readiness: { http: { path: '/', port: 80 } },
        dependsOn: [{ service: 'backend', condition: 'ready' }],
      },
      {
        name: 'backend',
        image: 'httpd:2.4',
        replicas: 3,
        ports: [{ name: 'http', port: 80 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readiness: { http: { path: '/', port: 80 } },
        dependsOn: [
          { service: 'database', condition: 'ready' },
          { service: 'cache', condition: 'ready' },
        ],
      },
      {
        name: 'database',
        image: 'postgres:16',
        replicas: 1,
        ports: [{ name: 'postgres', port: 5432 }],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        // The image refuses to start without a password; this database lives only for the run.
        env: { POSTGRES_PASSWORD: 'kubeproof', POSTGRES_DB: 'app' },
        readiness: { tcp: { port: 5432 } },
      },
      {
        name: 'cache',
        image: 'redis:7',
        replicas: 1,
        ports: [{ name: 'redis', port: 6379 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        readiness: { tcp: { port: 6379 } },
      },
    ],
  },
} satisfies ScenarioInput;

/** nginx-unprivileged listens on 8080 out of the box, so the ports below are real on a real cluster. */
const httpStandIn = 'nginxinc/nginx-unprivileged:1.27';

const microservicesStack = {
  apiVersion: 'kubeproof.dev/v1',
  kind: 'Scenario',
  metadata: {
    name: 'microservices-stack',
    description: 'API gateway in front of two services that share one PostgreSQL database.',
  },
  spec: {
    timeouts: { total: '15m', ready: '2m' },
    samples: 5,
    targets: { podReadyP95: '30s', scaleOutP95: '30s', rollingRestartP95: '60s', apiRoundTripP95: '500ms' },
    services: [
      {
        name: 'api-gateway',
        image: httpStandIn,
        replicas: 2,
        ports: [{ name: 'http', port: 8080 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        readiness: { http: { path: '/', port: 8080 } },
        dependsOn: [
          { service: 'user-service', condition: 'ready' },
          { service: 'order-service', condition: 'ready' },
        ],
      },
      {
        name: 'user-service',
        image: httpStandIn,
        replicas: 2,
        ports: [{ name: 'http', port: 8080 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readiness: { http: { path: '/', port: 8080 } },
        dependsOn: [{ service: 'shared-database', condition: 'ready' }],
      },
      {
        name: 'order-service',
        image: httpStandIn,
        replicas: 3,
        ports: [{ name: 'http', port: 8080 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readiness: { http: { path: '/', port: 8080 } },
        dependsOn: [{ service: 'shared-database', condition: 'ready' }],
      },
      {
        name: 'shared-database',
        image: 'postgres:16',
        replicas: 1,
        ports: [{ name: 'postgres', port: 5432 }],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        env: { POSTGRES_PASSWORD: 'kubeproof', POSTGRES_DB: 'app' },
        readiness: { tcp: { port: 5432 } },
      },
    ],
  },
} satisfies ScenarioInput;

const sloTargets = { podReadyP95: '30s', scaleOutP95: '30s', rollingRestartP95: '60s', apiRoundTripP95: '500ms' };

/** The seed's production-sized web stack: nginx ×5 at 500m/512Mi requests, 1 CPU/1Gi limits. */
const highLoad = {
  apiVersion: 'kubeproof.dev/v1',
  kind: 'Scenario',
  metadata: {
    name: 'high-load',
    description: 'The web stack at production replica counts: nginx ×5 (500m/512Mi requests) in front of a backend.',
  },
  spec: {
    requires: { minNodes: 3, minNodeCpu: '4', minNodeMemory: '8Gi' },
    timeouts: { total: '20m', ready: '3m' },
    samples: 5,
    targets: sloTargets,
    services: [
      {
        name: 'frontend',
        image: 'nginx:1.27',
        replicas: 5,
        ports: [{ name: 'http', port: 80 }],
        resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        readiness: { http: { path: '/', port: 80 } },
        dependsOn: [{ service: 'backend', condition: 'ready' }],
      },
      {
        name: 'backend',
        image: httpStandIn,
        replicas: 3,
        ports: [{ name: 'http', port: 8080 }],
        resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        readiness: { http: { path: '/', port: 8080 } },
      },
    ],
  },
} satisfies ScenarioInput;

/** The seed's small-cluster profile: 100m/128Mi requests, 200m/256Mi limits, inside a ResourceQuota. */
const resourceConstrained = {
  apiVersion: 'kubeproof.dev/v1',
  kind: 'Scenario',
  metadata: {
    name: 'resource-constrained',
    description: 'Small requests and tight limits inside a ResourceQuota: does a small cluster still run the stack?',
  },
  spec: {
    requires: { minNodes: 1, minNodeCpu: '1', minNodeMemory: '2Gi' },
    timeouts: { total: '15m', ready: '2m' },
    samples: 5,
    targets: sloTargets,
    // Room for the services below, the baseline's extra replica and surge, and the checks' pods (PDB, DaemonSet).
    resourceQuota: {
      hard: {
        'requests.cpu': '1',
        'requests.memory': '1280Mi',
        'limits.cpu': '2',
        'limits.memory': '2560Mi',
        pods: '20',
      },
    },
    services: [
      {
        name: 'web',
        image: httpStandIn,
        replicas: 2,
        ports: [{ name: 'http', port: 8080 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        readiness: { http: { path: '/', port: 8080 } },
        dependsOn: [{ service: 'cache', condition: 'ready' }],
      },
      {
        name: 'cache',
        image: 'redis:7',
        replicas: 1,
        ports: [{ name: 'redis', port: 6379 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        readiness: { tcp: { port: 6379 } },
      },
    ],
  },
} satisfies ScenarioInput;

/** The seed's AI/ML workload: 2 inference replicas, 2 CPU / 4Gi and one GPU each. */
const gpuInference = {
  apiVersion: 'kubeproof.dev/v1',
  kind: 'Scenario',
  metadata: {
    name: 'gpu-inference',
    description: 'GPU model serving: 2 inference replicas with 2 CPU / 4Gi and one nvidia.com/gpu each.',
  },
  spec: {
    requires: { minNodes: 1, minNodeCpu: '4', minNodeMemory: '8Gi', extendedResources: { 'nvidia.com/gpu': 1 } },
    timeouts: { total: '20m', ready: '5m' },
    samples: 3,
    targets: { podReadyP95: '60s', scaleOutP95: '60s', rollingRestartP95: '120s', apiRoundTripP95: '500ms' },
    services: [
      {
        name: 'inference',
        image: 'nvcr.io/nvidia/tritonserver:24.08-py3',
        replicas: 2,
        ports: [{ name: 'http', port: 8000 }],
        resources: {
          requests: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' },
          limits: { cpu: '4', memory: '8Gi', 'nvidia.com/gpu': '1' },
        },
        readiness: { http: { path: '/v2/health/ready', port: 8000 } },
      },
    ],
  },
} satisfies ScenarioInput;

export const builtinScenarios: Readonly<Record<string, ScenarioInput>> = {
  'web-app-stack': webAppStack,
  'microservices-stack': microservicesStack,
  'high-load': highLoad,
  'resource-constrained': resourceConstrained,
  'gpu-inference': gpuInference,
};

export const builtinScenarioNames: readonly string[] = Object.keys(builtinScenarios);
