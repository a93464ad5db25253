/** What preflight returns: plain JSON for the run record, the reports and the ledger's cluster fingerprint. */

export interface PreflightProblem {
  /** Short name of what is missing, e.g. `capacity: cpu`, `permission: create deployments`. */
  what: string;
  /** What was observed, with numbers. */
  detail: string;
  /** What to do about it. */
  remedy: string;
}

/** Identifies the cluster a baseline was measured on; the ledger compares only runs of the same fingerprint. */
export interface ClusterFingerprint {
  kubernetesVersion: string;
  /** Ready, schedulable nodes. */
  nodes: number;
  allocatable: { cpuMillicores: number; memoryBytes: number; extended: Record<string, number> };
  /** True when any node carries KWOK's `kwok.x-k8s.io/node: fake` annotation: latencies are simulated. */
  simulated: boolean;
}

export interface PreflightResult {
  ok: boolean;
  serverVersion?: string;
  problems: PreflightProblem[];
  fingerprint?: ClusterFingerprint;
}

/** A node as preflight needs it: already reduced from the API object. */
export interface NodeInfo {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  /** Taints with effect NoSchedule or NoExecute. */
  blockingTaints: string[];
  simulated: boolean;
  /** Base units: cpu in millicores, memory in bytes, pods and extended resources as counts. */
  allocatable: Record<string, number>;
  /** Sum of the requests of the non-terminated pods bound to it, in the same units. */
  requested: Record<string, number>;
}

/** One pod shape the run creates, `count` times. */
export interface PodDemand {
  service: string;
  count: number;
  /** Base units as in NodeInfo, plus `pods: 1`. */
  requests: Record<string, number>;
}
