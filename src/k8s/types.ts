/** Plain, JSON-serialisable shapes the k8s module returns; they travel through Temporal history. */

export interface WarningEvent {
  object: string;
  reason: string;
  message: string;
  count: number;
}

/** A warning event that is the control plane's own bookkeeping, not about the workload (control-plane-notices.ts). */
export interface ControlPlaneNotice extends WarningEvent {
  /** Why it is not counted as a warning about the service. */
  why: string;
}

export interface PodTimeline {
  pod: string;
  service: string;
  node?: string;
  /** Epoch milliseconds; absent when the pod never reached that point. */
  createdAt: number;
  scheduledAt?: number;
  runningAt?: number;
  readyAt?: number;
  restarts: number;
  phase: string;
  /** e.g. "Unschedulable: 0/3 nodes are available: 3 Insufficient cpu." */
  waitingReason?: string;
}

export type ResourceUsage =
  | { available: true; cpuMillicores: number; memoryBytes: number }
  | { available: false; reason: string };

export interface HttpProbeResult {
  url: string;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  error?: string;
}

export interface ServiceHealth {
  service: string;
  desiredReplicas: number;
  readyReplicas: number;
  endpoints: { ready: number; notReady: number };
  restarts: number;
  readinessProbeConfigured: boolean;
  warningEvents: WarningEvent[];
  /** Warning events about the control plane's own bookkeeping; not counted. Absent in results of older runs. */
  controlPlaneNotices?: ControlPlaneNotice[];
  resourceUsage: ResourceUsage;
  probe?: HttpProbeResult;
  /** Human-readable problems; empty when healthy. */
  problems: string[];
  healthy: boolean;
}

export interface HealthReport {
  checkedAt: string;
  healthy: boolean;
  services: ServiceHealth[];
}
