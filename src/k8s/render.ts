/**
 * Renders one scenario service into Kubernetes objects: a Deployment, a Service when it has ports, and a
 * ConfigMap holding its environment. Every object carries the run's labels, so cleanup can find it by run id.
 */
import type * as k8s from '@kubernetes/client-node';
import { namespaceFor } from '../run/identity';
import type { ServiceSpec } from '../scenarios/schema';

export const Label = {
  ManagedBy: 'app.kubernetes.io/managed-by',
  Name: 'app.kubernetes.io/name',
  RunId: 'kubeproof.dev/run-id',
  Scenario: 'kubeproof.dev/scenario',
} as const;

/** On the run namespace: the full workflow id of the run that owns it (labels cannot hold `/`). */
export const Annotation = { WorkflowId: 'kubeproof.dev/workflow-id' } as const;

export const FIELD_MANAGER = 'kubeproof';

export interface RunIdentity {
  /**
   * The run's stable key (src/run/identity.ts, from the workflow id), not Temporal's run id: it survives Reset
   * and continue-as-new, so everything it names and labels stays findable.
   */
  runId: string;
  scenario: string;
  /** The owning workflow's id, annotated on the namespace; the janitor asks Temporal about it. */
  workflowId?: string;
}

export function runLabels(run: RunIdentity): Record<string, string> {
  return { [Label.ManagedBy]: 'kubeproof', [Label.RunId]: labelSafe(run.runId), [Label.Scenario]: run.scenario };
}

export const runSelector = (runId: string): string => `${Label.ManagedBy}=kubeproof,${Label.RunId}=${labelSafe(runId)}`;
export const serviceSelector = (runId: string, service: string): string =>
  `${runSelector(runId)},${Label.Name}=${service}`;

/** Label values: ≤ 63 chars of [A-Za-z0-9._-], starting and ending alphanumeric. */
function labelSafe(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '-').slice(-63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

/** The run namespace's name (src/run/identity.ts): derived from the stable run key. */
export const namespaceName = (run: RunIdentity): string => namespaceFor(run.scenario, run.runId);

/**
 * The run namespace enforces the Pod Security `baseline` level (the reference images carry no securityContext, so
 * `restricted` would refuse them); the pod-security check tests `restricted` in a namespace of its own.
 */
export const POD_SECURITY_LEVEL = 'baseline';

export function renderNamespace(run: RunIdentity): k8s.V1Namespace {
  const annotations = run.workflowId ? { [Annotation.WorkflowId]: run.workflowId } : undefined;
  const labels = { ...runLabels(run), 'pod-security.kubernetes.io/enforce': POD_SECURITY_LEVEL };
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespaceName(run), labels, ...(annotations ? { annotations } : {}) },
  };
}

export type RenderedObject = k8s.KubernetesObject & { metadata: { name: string; namespace: string } };

/** Where a run's images come from: `spec.images` overrides first, then `--image-registry`. Recorded in the run record. */
export interface ImageOptions {
  /** Exact image reference → replacement (`spec.images`). */
  images?: Readonly<Record<string, string>> | undefined;
  /** Registry prefix for every image not overridden, e.g. `registry.local:5000/mirror` (`--image-registry`). */
  imageRegistry?: string | undefined;
}

/**
 * The image a pod runs. An exact `images` entry wins and is used as written. Otherwise, with a registry prefix,
 * the reference's own registry host (a first path part with a `.` or `:`, or `localhost`) is dropped and the
 * prefix put in front: `nginx:1.27` → `mirror.local/nginx:1.27`, `ghcr.io/org/app:1` → `mirror.local/org/app:1`.
 */
export function resolveImage(image: string, opts: ImageOptions = {}): string {
  const override = opts.images?.[image];
  if (override !== undefined) return override;
  const prefix = opts.imageRegistry?.replace(/\/+$/, '');
  if (!prefix) return image;
  const [first, ...rest] = image.split('/');
  const hasHost =
    rest.length > 0 && first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost');
  return `${prefix}/${hasHost ? rest.join('/') : image}`;
}

export function renderService(run: RunIdentity, svc: ServiceSpec, imageOptions: ImageOptions = {}): RenderedObject[] {
  const namespace = namespaceName(run);
  const labels: Record<string, string> = { ...runLabels(run), [Label.Name]: svc.name };
  const metadata = { name: svc.name, namespace, labels };
  const objects: RenderedObject[] = [];
  const hasEnv = Object.keys(svc.env).length > 0;
  if (hasEnv) {
    const configMap: k8s.V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...metadata, name: `${svc.name}-env` },
      data: svc.env,
    };
    objects.push(configMap as RenderedObject);
  }
  const probe = renderProbe(svc);
  const container: k8s.V1Container = {
    name: svc.name,
    image: resolveImage(svc.image, imageOptions),
    ports: svc.ports.map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })),
    resources: compactResources(svc.resources),
    ...(hasEnv ? { envFrom: [{ configMapRef: { name: `${svc.name}-env` } }] } : {}),
    ...(probe ? { readinessProbe: probe } : {}),
  };
  const deployment: k8s.V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: svc.replicas,
      selector: { matchLabels: { [Label.RunId]: labels[Label.RunId]!, [Label.Name]: svc.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...svc.podLabels, ...labels }, annotations: svc.podAnnotations },
        spec: {
          containers: [container],
          // Simulated and real clusters alike: don't keep a dying pod around for 30 s during cleanup.
          terminationGracePeriodSeconds: 5,
          automountServiceAccountToken: false,
        },
      },
    },
  };
  objects.push(deployment as RenderedObject);
  if (svc.ports.length > 0) {
    const service: k8s.V1Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        selector: { [Label.RunId]: labels[Label.RunId]!, [Label.Name]: svc.name },
        ports: svc.ports.map((p, i) => ({
          name: p.name ?? `port-${i}`,
          port: p.port,
          targetPort: p.port,
          protocol: p.protocol,
        })),
      },
    };
    objects.push(service as RenderedObject);
  }
  return objects;
}

function renderProbe(svc: ServiceSpec): k8s.V1Probe | undefined {
  const timing = { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 };
  if (!svc.readiness) return undefined;
  if ('http' in svc.readiness)
    return { httpGet: { path: svc.readiness.http.path, port: svc.readiness.http.port }, ...timing };
  return { tcpSocket: { port: svc.readiness.tcp.port }, ...timing };
}

/** Drops absent entries: the API types (and exactOptionalPropertyTypes) want plain string maps. */
function compactResources(resources: ServiceSpec['resources']): k8s.V1ResourceRequirements {
  const compact = (m: Record<string, string | undefined> | undefined) =>
    m ? Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => e[1] !== undefined)) : undefined;
  const requests = compact(resources.requests);
  const limits = compact(resources.limits);
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** The scenario's `spec.resourceQuota` as a ResourceQuota in the run namespace; apply it before any service. */
export function renderResourceQuota(
  run: RunIdentity,
  quota: { hard: Readonly<Record<string, string>> } | undefined,
): RenderedObject | undefined {
  if (!quota) return undefined;
  const resourceQuota: k8s.V1ResourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'kubeproof-scenario-quota', namespace: namespaceName(run), labels: runLabels(run) },
    spec: { hard: { ...quota.hard } },
  };
  return resourceQuota as RenderedObject;
}
