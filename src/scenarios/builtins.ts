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

export const builtinScenarios: Readonly<Record<string, ScenarioInput>> = {
  'web-app-stack': webAppStack,
  'microservices-stack': microservicesStack,
};

export const builtinScenarioNames: readonly string[] = Object.keys(builtinScenarios);
