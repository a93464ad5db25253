/**
 * Failure type names shared by activities (which throw them) and retry policies (which match on them).
 * A const object, not an enum or classes: workflow code branches on `failure.type` strings, because
 * `instanceof` does not survive the workflow sandbox.
 */
export const ErrorType = {
  /** The scenario file or its content is invalid. Never retried. */
  InvalidScenario: 'InvalidScenario',
  /** The API server rejected a rendered manifest (HTTP 400/422). Never retried. */
  InvalidManifest: 'InvalidManifest',
  /** Missing permissions (HTTP 401/403). Retrying cannot help. */
  Forbidden: 'Forbidden',
  /** A service did not reach its condition (scheduled, ready, healthy) in time. */
  ServiceNotReady: 'ServiceNotReady',
  /** Pods cannot be placed on any node. */
  Unschedulable: 'Unschedulable',
  /** The health step found unhealthy services. */
  HealthCheckFailed: 'HealthCheckFailed',
  /** `--ai required` and no AI verdict could be had. */
  AiUnavailable: 'AiUnavailable',
  /** Cleanup could not remove every object the run created. */
  LeftoverObjects: 'LeftoverObjects',
  /** 5xx, 429, timeouts, connection resets: retried with backoff. */
  TransientApi: 'TransientApi',
  /** The run took longer than `spec.timeouts.total`; compensation still ran. */
  TotalTimeout: 'TotalTimeout',
  /** The run was cancelled (`kubeproof cancel`, or a cancelled schedule action); compensation still ran. */
  Cancelled: 'Cancelled',
  /** The run namespace already exists and belongs to another workflow: kubeproof never adopts it. */
  NamespaceConflict: 'NamespaceConflict',
  /** The run names a cluster this worker does not serve (its registry lists the names it does). */
  UnknownCluster: 'UnknownCluster',
  /**
   * A cluster's credentials cannot be used: its kubeconfig file is missing, unreadable or not a kubeconfig, or the
   * context asked for is not in it. The worker's configuration is wrong, not the cluster: retrying cannot help.
   */
  ClusterConfig: 'ClusterConfig',
  /** The environment or the worker's clusters file is invalid; found at start-up, before anything runs. */
  InvalidConfiguration: 'InvalidConfiguration',
  /** Preflight found the cluster cannot hold the run (permissions, capacity, spec.requires); nothing was created. */
  PreflightFailed: 'PreflightFailed',
  /** A failure kubeproof has no name for (a bug, or an unexpected error from a dependency). */
  Internal: 'Internal',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Failures that retrying an activity cannot fix. */
export const nonRetryableErrorTypes: ErrorType[] = [
  ErrorType.InvalidScenario,
  ErrorType.InvalidManifest,
  ErrorType.Forbidden,
  ErrorType.ServiceNotReady,
  ErrorType.Unschedulable,
  ErrorType.HealthCheckFailed,
  ErrorType.AiUnavailable,
  ErrorType.NamespaceConflict,
  ErrorType.UnknownCluster,
  ErrorType.ClusterConfig,
  ErrorType.InvalidConfiguration,
  ErrorType.PreflightFailed,
];

/**
 * A domain failure with a type name, raised by src/k8s, src/ai, src/scenarios. Activities convert it to an
 * ApplicationFailure with the same type; domain code never imports Temporal.
 */
export class KubeproofError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = type;
  }
}
