import type { ServiceSpec } from '../../src/scenarios/schema';

/**
 * A service as the scenario loader hands it on, every default filled in: one small nginx replica with no ports and
 * no dependencies. Tests pass only what they are about.
 */
export function serviceSpec(name: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    image: 'nginx:1.27',
    replicas: 1,
    ports: [],
    resources: { requests: { cpu: '10m', memory: '16Mi' } },
    env: {},
    dependsOn: [],
    podLabels: {},
    podAnnotations: {},
    ...extra,
  };
}
