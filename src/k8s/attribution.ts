/**
 * Which listed objects belong to which scenario service: by the `app.kubernetes.io/name` label every rendered
 * object and pod carries (render.ts), never by name prefix — `api` is a prefix of `api-gateway`, and a prefix
 * match credits `api` with the gateway's pods, events and endpoints. Pure functions over listed objects.
 */
import type * as k8s from '@kubernetes/client-node';
import { Label } from './render';

/** The label the EndpointSlice controller puts on every slice of a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface Labelled {
  metadata?: { name?: string | undefined; labels?: Record<string, string> | undefined } | undefined;
}

/** The scenario service an object belongs to by label, or undefined. */
export const serviceOf = (object: Labelled): string | undefined => object.metadata?.labels?.[Label.Name];

/** The objects labelled as the service's. */
export function ofService<T extends Labelled>(objects: readonly T[], service: string): T[] {
  return objects.filter((o) => serviceOf(o) === service);
}

/** What a service's events can be about: its Deployment, ReplicaSets, pods and Service, all found by label. */
export interface ServiceObjects {
  deployments: readonly Labelled[];
  replicaSets: readonly Labelled[];
  pods: readonly Labelled[];
  services: readonly Labelled[];
}

/** `Kind/name` of every object labelled as the service's; an event belongs to it when it is about one of them. */
export function ownedObjectKeys(objects: ServiceObjects, service: string): Set<string> {
  const keys = new Set<string>();
  const add = (kind: string, list: readonly Labelled[]) => {
    for (const o of ofService(list, service)) if (o.metadata?.name) keys.add(`${kind}/${o.metadata.name}`);
  };
  add('Deployment', objects.deployments);
  add('ReplicaSet', objects.replicaSets);
  add('Pod', objects.pods);
  add('Service', objects.services);
  return keys;
}

/** The events whose involvedObject is one of `owned` (kind and exact name). */
export function eventsAbout(events: readonly k8s.CoreV1Event[], owned: ReadonlySet<string>): k8s.CoreV1Event[] {
  return events.filter((e) => owned.has(`${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`));
}

/**
 * Ready and not-ready endpoints of a Service across its EndpointSlices (selected by SERVICE_NAME_LABEL, exact
 * value). One endpoint can be listed in two slices while the controller moves it; it counts once, keyed by its
 * target (uid, else kind/name) or else by its addresses. Listed both ready and not ready, it counts as not ready:
 * a stale slice must not make a pod look like it serves. `ready` absent means ready (the API's rule).
 */
export function endpointCounts(
  slices: readonly k8s.V1EndpointSlice[],
  service: string,
): { ready: number; notReady: number } {
  const readyByKey = new Map<string, boolean>();
  for (const slice of slices) {
    if (slice.metadata?.labels?.[SERVICE_NAME_LABEL] !== service) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const ready = endpoint.conditions?.ready !== false;
      readyByKey.set(key, (readyByKey.get(key) ?? true) && ready);
    }
  }
  let ready = 0;
  for (const isReady of readyByKey.values()) if (isReady) ready++;
  return { ready, notReady: readyByKey.size - ready };
}

function endpointKey(endpoint: k8s.V1Endpoint): string {
  const target = endpoint.targetRef;
  if (target?.uid) return `uid:${target.uid}`;
  if (target?.name) return `ref:${target.kind ?? ''}/${target.namespace ?? ''}/${target.name}`;
  return `addr:${[...endpoint.addresses].sort().join(',')}`;
}
