/**
 * The scenario file format (apiVersion kubeproof.dev/v1, kind Scenario). Types are derived from these
 * schemas. Parsing turns durations into milliseconds and fills every default, so the output is plain,
 * JSON-serialisable data that can travel through workflow inputs and history.
 */
import { z } from 'zod';

import {
  durationSchema,
  envNameSchema,
  labelKeySchema,
  labelValueSchema,
  nameSchema,
  portNameSchema,
  portSchema,
  quantitySchema,
  stringValueSchema,
} from './fields';
import { checkIdSchema, imageRefSchema, kubernetesVersionSchema, resourceNameSchema } from './fields';
import { checkDependencies } from './planner';
import { parseQuantity } from './quantity';

/** cpu, memory, ephemeral-storage, hugepages-*, or an extended resource such as `nvidia.com/gpu`. */
const resourceListSchema = z.record(resourceNameSchema, quantitySchema);

const standardResource = (name: string) =>
  name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');

const resourcesSchema = z
  .strictObject({ requests: resourceListSchema.optional(), limits: resourceListSchema.optional() })
  .superRefine((resources, ctx) => {
    // Kubernetes' rules for extended resources: whole numbers, and a request (if any) equal to the limit.
    for (const [list, values] of [
      ['requests', resources.requests],
      ['limits', resources.limits],
    ] as const) {
      for (const [name, quantity] of Object.entries(values ?? {})) {
        if (standardResource(name) || quantity === undefined) continue;
        if (!Number.isInteger(parseQuantity(quantity))) {
          ctx.addIssue({
            code: 'custom',
            path: [list, name],
            message: 'extended resources must be whole numbers',
            input: quantity,
          });
        } else if (list === 'requests' && resources.limits?.[name] !== quantity) {
          ctx.addIssue({
            code: 'custom',
            path: ['limits', name],
            message: `must be set and equal requests.${name} (${quantity}): Kubernetes requires it for extended resources`,
          });
        }
      }
    }
    for (const kind of ['cpu', 'memory'] as const) {
      const request = resources.requests?.[kind];
      const limit = resources.limits?.[kind];
      if (request === undefined || limit === undefined) continue;
      if ((parseQuantity(limit) ?? 0) < (parseQuantity(request) ?? 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', kind],
          message: `must not be less than requests.${kind} (${request})`,
          input: limit,
        });
      }
    }
  });

const portSpecSchema = z.strictObject({
  name: portNameSchema.optional(),
  port: portSchema,
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
});

const httpCheckSchema = z.strictObject({
  path: z.string({ error: 'must be a string' }).startsWith('/', { error: "must start with '/'" }),
  port: portSchema,
});
const tcpCheckSchema = z.strictObject({ port: portSchema });
type HttpCheck = z.output<typeof httpCheckSchema>;
type TcpCheck = z.output<typeof tcpCheckSchema>;

/** Exactly one of `http` or `tcp`; the output is a union so consumers cannot see both or neither. */
const readinessSchema = z
  .strictObject({ http: httpCheckSchema.optional(), tcp: tcpCheckSchema.optional() })
  .superRefine((readiness, ctx) => {
    if ((readiness.http === undefined) === (readiness.tcp === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must have exactly one of http: { path, port } or tcp: { port }' });
    }
  })
  // The refinement guarantees tcp when http is absent; `?? { port: 0 }` only satisfies the compiler.
  .transform((readiness): { http: HttpCheck } | { tcp: TcpCheck } =>
    readiness.http ? { http: readiness.http } : { tcp: readiness.tcp ?? { port: 0 } },
  );

export const DependencyConditionSchema = z.enum(['scheduled', 'ready', 'healthy']);
export type DependencyCondition = z.output<typeof DependencyConditionSchema>;

const dependencySchema = z.strictObject({
  service: nameSchema,
  /** What the dependency must reach before this service is deployed. */
  condition: DependencyConditionSchema.default('ready'),
  /** Defaults to spec.timeouts.ready, filled in after parsing. */
  timeout: durationSchema.optional(),
});

const serviceSchema = z
  .strictObject({
    name: nameSchema,
    image: z
      .string({ error: 'must be a string' })
      .regex(/^\S+$/, { error: 'must be a container image reference without whitespace, e.g. nginx:1.27' }),
    replicas: z
      .int({ error: 'must be a whole number between 1 and 50' })
      .min(1, { error: 'must be at least 1' })
      .max(50, { error: 'must be at most 50' }),
    ports: z.array(portSpecSchema).default([]),
    resources: resourcesSchema.default({}),
    env: z.record(envNameSchema, stringValueSchema).default({}),
    readiness: readinessSchema.optional(),
    dependsOn: z.array(dependencySchema).default([]),
    podLabels: z.record(labelKeySchema, labelValueSchema).default({}),
    podAnnotations: z.record(labelKeySchema, stringValueSchema).default({}),
    /** Probed over HTTP during the health step (e.g. through a port-forward or ingress). */
    probeUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  })
  .superRefine((service, ctx) => {
    const seen = new Map<string, number>();
    service.ports.forEach((port, index) => {
      for (const key of [`${port.protocol}/${port.port}`, ...(port.name === undefined ? [] : [`name ${port.name}`])]) {
        const earlier = seen.get(key);
        if (earlier === undefined) seen.set(key, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: ['ports', index, key.startsWith('name') ? 'name' : 'port'],
            message: `duplicates ports[${earlier}]; each port number and name must appear once per service`,
          });
      }
    });
  });

const timeoutsSchema = z
  .strictObject({
    /** The whole run, cleanup excluded. */
    total: durationSchema.prefault('15m'),
    /** Default wait for one service to reach its condition. */
    ready: durationSchema.prefault('2m'),
  })
  .refine((timeouts) => timeouts.ready <= timeouts.total, {
    error: 'timeouts.ready must not be longer than timeouts.total',
    path: ['ready'],
  });

const targetsSchema = z.strictObject({
  podReadyP95: durationSchema.optional(),
  scaleOutP95: durationSchema.optional(),
  rollingRestartP95: durationSchema.optional(),
  apiRoundTripP95: durationSchema.optional(),
});

/** What the cluster must offer before a run starts; preflight checks it and refuses the run otherwise. */
const requiresSchema = z.strictObject({
  /** Ready, schedulable nodes that meet minNodeCpu and minNodeMemory. */
  minNodes: z
    .int({ error: 'must be a whole number between 1 and 10000' })
    .min(1, { error: 'must be at least 1' })
    .max(10000, { error: 'must be at most 10000' })
    .optional(),
  minNodeCpu: quantitySchema.optional(),
  minNodeMemory: quantitySchema.optional(),
  /** At least one Ready, schedulable node must have this much allocatable, e.g. `nvidia.com/gpu: 1`. */
  extendedResources: z
    .record(resourceNameSchema, z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }))
    .default({}),
  /** e.g. `1.30` or `v1.30.2`; the server's version must be at least this. */
  minKubernetesVersion: kubernetesVersionSchema.optional(),
});

const specSchema = z.strictObject({
  timeouts: timeoutsSchema.prefault({}),
  samples: z
    .int({ error: 'must be a whole number between 1 and 50' })
    .min(1, { error: 'must be at least 1' })
    .max(50, { error: 'must be at most 50' })
    .default(5),
  /** Fail the run when a metric regresses against the stored baseline. */
  failOnRegression: z.boolean({ error: 'must be true or false' }).default(false),
  targets: targetsSchema.default({}),
  services: z
    .array(serviceSchema)
    .min(1, { error: 'must list at least one service' })
    // Preflight guards capacity; this cap only stops a runaway file.
    .max(1000, { error: 'must list at most 1000 services' }),
  requires: requiresSchema.optional(),
  /** Cluster readiness checks to run in the health step, by id (`kubeproof checks list`); default: all of them. */
  checks: z.array(checkIdSchema).optional(),
  /** Image replacements applied to every rendered pod (air-gapped clusters): `nginx:1.27: registry.local/nginx:1.27`. */
  images: z.record(imageRefSchema, imageRefSchema).default({}),
  /** A ResourceQuota put on the run namespace before any service is applied (e.g. for small, shared clusters). */
  resourceQuota: z.strictObject({ hard: z.record(z.string().min(1), quantitySchema) }).optional(),
  /** Let health probes connect to link-local addresses (169.254.0.0/16, fe80::/10); off because that is cloud metadata. */
  allowLinkLocalProbes: z.boolean({ error: 'must be true or false' }).default(false),
});

export const ScenarioSchema = z
  .strictObject({
    apiVersion: z.literal('kubeproof.dev/v1', { error: 'must be "kubeproof.dev/v1"' }),
    kind: z.literal('Scenario', { error: 'must be "Scenario"' }),
    metadata: z.strictObject({
      name: nameSchema,
      description: z.string({ error: 'must be a string' }).optional(),
    }),
    spec: specSchema,
  })
  .superRefine((scenario, ctx) => {
    for (const issue of checkDependencies(scenario.spec.services)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  })
  .transform((scenario) => ({
    ...scenario,
    spec: {
      ...scenario.spec,
      services: scenario.spec.services.map((service) => ({
        ...service,
        dependsOn: service.dependsOn.map((dependency) => ({
          ...dependency,
          timeout: dependency.timeout ?? scenario.spec.timeouts.ready,
        })),
      })),
    },
  }));

/** A scenario as written in a file or built-in (durations as strings, defaults optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario: durations in milliseconds, every default filled, dependency graph checked. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type ServiceSpec = Scenario['spec']['services'][number];
export type PortSpec = ServiceSpec['ports'][number];
export type Readiness = NonNullable<ServiceSpec['readiness']>;
export type Dependency = ServiceSpec['dependsOn'][number];
export type Targets = Scenario['spec']['targets'];
export type Requirements = NonNullable<Scenario['spec']['requires']>;
