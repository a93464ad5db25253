/**
 * The clusters a worker serves, by name. A run names its cluster; only the worker knows the credentials, so
 * nothing in a workflow input can point a worker at a kubeconfig of the sender's choosing.
 */
import { ErrorType, KubeproofError } from '../errors';
import type { ClusterRef } from './client';

/** The clusters this worker serves, by name; only the worker knows their credentials. */
export interface ClusterRegistry {
  names(): string[];
  /** Throws KubeproofError UnknownCluster (non-retryable), naming the clusters served, for any other name. */
  resolve(name: string): ClusterRef;
}

/** A registry of fixed entries (the embedded worker's one cluster, tests); see src/config for the worker's own. */
export function registryOf(clusters: Record<string, ClusterRef>): ClusterRegistry {
  return {
    names: () => Object.keys(clusters),
    resolve(name) {
      const ref = clusters[name];
      if (ref) return ref;
      const served = Object.keys(clusters);
      throw new KubeproofError(
        ErrorType.UnknownCluster,
        `this worker does not serve cluster "${name}"; it serves: ${served.length > 0 ? served.join(', ') : 'none'}. ` +
          'Start the run with one of those names, or on the task queue of a worker that serves the cluster',
        { served },
      );
    },
  };
}
