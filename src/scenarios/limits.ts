/** Bounds shared by the scenario schema and the CLI flags that override it, so the two never disagree. */

/** Baseline samples per metric: each sample scales and restarts a Deployment, so more would be a load test. */
export const MAX_SAMPLES = 50;
