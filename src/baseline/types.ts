/** Shapes shared by measurement (activities), statistics (src/baseline) and the AI evidence. */

/** Metric names kubeproof measures. Keys of scenario targets are `<metric>P95`. */
export const Metric = {
  /** Pod creation → Ready, for every pod created during deploy. */
  PodReady: 'podReady',
  /** Scale a service out by one replica → the new pod Ready. */
  ScaleOut: 'scaleOut',
  /** Rolling restart of a service → all replicas Ready again. */
  RollingRestart: 'rollingRestart',
  /** One API round trip (GET of the namespace). */
  ApiRoundTrip: 'apiRoundTrip',
} as const;
export type Metric = (typeof Metric)[keyof typeof Metric];

/** Raw samples of one metric from one run, in milliseconds; `failures` counts attempts that did not finish. */
export interface MetricSamples {
  metric: Metric;
  samples: number[];
  failures: number;
}

export interface MetricSummary {
  metric: Metric;
  unit: 'ms';
  n: number;
  failures: number;
  /** successes / attempts, 0..1 */
  successRate: number;
  mean: number;
  median: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  stddev: number;
  mad: number;
  min: number;
  max: number;
}
