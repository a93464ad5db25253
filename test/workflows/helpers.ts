/**
 * What the workflow tests share: a small scenario, stub activities that record every call, and a worker that
 * runs the prebundled workflow code with those stubs on the local dev server. Nothing here touches the cluster.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { createActivities } from '../../src/activities';
import { WAVE_APPLIED_SIGNAL } from '../../src/run/contracts';
import { parseScenarioData, type Scenario } from '../../src/scenarios';
import { stack, workflowBundle } from '../helpers/env';
import { quietRuntime } from '../helpers/worker';

export { quietRuntime };

export type Activities = ReturnType<typeof createActivities>;
type Input<K extends keyof Activities> = Parameters<Activities[K]>[0];
type Output<K extends keyof Activities> = Awaited<ReturnType<Activities[K]>>;
type HealthReport = Output<'checkHealth'>;

/** Three services in a chain: a needs b healthy, b needs c ready, so the plan is [[c], [b], [a]]. */
export const chainScenario: Scenario = parseScenarioData(
  {
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name: 'chain' },
    spec: {
      timeouts: { ready: '20s', total: '2m' },
      samples: 1,
      services: [
        { name: 'a', image: 'nginx:1.27', replicas: 1, dependsOn: [{ service: 'b', condition: 'healthy' }] },
        { name: 'b', image: 'nginx:1.27', replicas: 1, dependsOn: [{ service: 'c' }] },
        { name: 'c', image: 'nginx:1.27', replicas: 1 },
      ],
    },
  },
  'test.yaml',
);

/** The calls the forward path of a passing run makes, in order. */
export const forwardCalls = [
  'preflight',
  'applyNamespace',
  'deployWave c',
  'deployWave b',
  // a's edge to b (healthy) is awaited inside a's own wave, not by an awaitService activity.
  'deployWave a',
  'checkHealth',
  'runClusterChecks',
  'checkMonitoring',
  'judgeRun',
  'measureBaseline',
  'ledgerHistory',
  'analyzeBaseline',
  'recordBaseline',
];

/** The one undo step: deleting the run namespace (by name and label) removes every object the run created. */
export const undoCalls = ['cleanupRun'];

/** A health report in which the services named in `problems` are unhealthy. */
export function healthReport(services: readonly string[], problems: Record<string, string[]> = {}): HealthReport {
  const report = services.map((service) => {
    const found = problems[service] ?? [];
    return {
      service,
      desiredReplicas: 1,
      readyReplicas: found.length > 0 ? 0 : 1,
      endpoints: { ready: found.length > 0 ? 0 : 1, notReady: found.length > 0 ? 1 : 0 },
      restarts: 0,
      readinessProbeConfigured: true,
      warningEvents: [],
      resourceUsage: { available: false as const, reason: 'no metrics in tests' },
      problems: found,
      healthy: found.length === 0,
    };
  });
  return { checkedAt: new Date(0).toISOString(), healthy: report.every((s) => s.healthy), services: report };
}

/** Stubs for a run in which everything succeeds; tests override a few through `stubActivities`. */
export const passingStubs: Activities = {
  preflight: () => Promise.resolve({ ok: true, serverVersion: 'v1.36.3', problems: [], message: '' }),
  runClusterChecks: () => Promise.resolve([]),
  checkMonitoring: () =>
    Promise.resolve({ checks: [], evidence: { available: false, reason: 'monitoring unset in tests' } }),
  recordRunMetrics: () => Promise.resolve(),
  applyNamespace: ({ run }: Input<'applyNamespace'>) => Promise.resolve({ namespace: `kp-${run.scenario}-test` }),
  deployService: ({ service }: Input<'deployService'>) =>
    Promise.resolve({
      service: service.name,
      condition: 'ready' as const,
      state: 'met' as const,
      elapsedMs: 5,
      pods: [
        {
          pod: `${service.name}-0`,
          service: service.name,
          createdAt: 1000,
          readyAt: 1100,
          restarts: 0,
          phase: 'Running',
        },
      ],
      objects: [`Deployment/${service.name}`, `Service/${service.name}`],
    }),
  deployWave: (input: Input<'deployWave'>) => perService((one) => passingStubs.deployService(one))(input),
  awaitService: ({ request }: Input<'awaitService'>) =>
    Promise.resolve({
      service: request.service,
      condition: request.condition,
      state: 'met' as const,
      elapsedMs: 1,
      pods: [],
    }),
  checkHealth: ({ services }: Input<'checkHealth'>) => Promise.resolve(healthReport(services.map((s) => s.name))),
  judgeRun: () => {
    const provenance = { source: 'rules' as const, latencyMs: 0, attempts: 0, fallbackReason: 'ai off' };
    return Promise.resolve({
      verdict: {
        verdict: 'pass' as const,
        confidence: 1,
        summary: 'all good',
        findings: [],
        recommendations: [],
        provenance,
      },
      audit: { prompt: { system: '', user: '' }, provenance },
    });
  },
  measureBaseline: () =>
    Promise.resolve({ samples: [{ metric: 'podReady' as const, samples: [100, 110, 120], failures: 0 }] }),
  ledgerHistory: () => Promise.resolve({ runs: 0, samples: {}, checkMetrics: {}, otherFingerprints: 0 }),
  recordBaseline: () => Promise.resolve({ size: 1 }),
  analyzeBaseline: () =>
    Promise.resolve({ summaries: [], grades: [], overall: 'Excellent', regressions: [], regressed: false }),
  // Not part of a validation run; present because a worker registers every activity.
  sweepOrphanNamespaces: ({ cluster }: Input<'sweepOrphanNamespaces'>) =>
    Promise.resolve({ cluster, dryRun: true, decisions: [], deleted: [], left: [] }),
  cleanupRun: ({ run }: Input<'cleanupRun'>) =>
    Promise.resolve({ deleted: [`Namespace/kp-${run.scenario}-test`], left: [], durationMs: 1 }),
};

/**
 * A deployWave stub from a per-service one (deployService's shape), the way the real activity behaves: every
 * service of the wave is deployed, and a failure names its service in `details[0].service`.
 */
export function perService(
  deployOne: (input: Input<'deployService'>) => Promise<Output<'deployService'>>,
): Activities['deployWave'] {
  return async ({ services, timeoutsMs, ...rest }) => ({
    services: await Promise.all(
      services.map((service) =>
        deployOne({ ...rest, service, timeoutMs: timeoutsMs[service.name] ?? 0 }).catch((error: unknown) => {
          if (!(error instanceof ApplicationFailure)) throw error;
          throw ApplicationFailure.create({
            ...(error.type ? { type: error.type } : {}),
            message: error.message,
            nonRetryable: error.nonRetryable ?? false,
            details: [{ service: service.name }],
          });
        }),
      ),
    ),
  });
}

/** How a call appears in the log: the activity name, and the service(s) it acts on when there are any. */
function label(name: keyof Activities, input: unknown): string {
  const i = input as {
    service?: string | { name: string };
    services?: { name: string }[];
    request?: { service: string; condition: string };
  };
  if (i.request) return `${name} ${i.request.service} ${i.request.condition}`;
  if (i.services && name === 'deployWave') return `${name} ${i.services.map((s) => s.name).join(',')}`;
  if (typeof i.service === 'string') return `${name} ${i.service}`;
  if (i.service) return `${name} ${i.service.name}`;
  return name;
}

/**
 * Activities that succeed at once unless overridden. Every attempt (retries included) is appended to `calls`
 * before the implementation runs, so the log shows order and attempt counts.
 */
export function stubActivities(overrides: Partial<Activities> = {}): { activities: Activities; calls: string[] } {
  const calls: string[] = [];
  const impl: Record<string, (input: unknown) => Promise<unknown>> = { ...passingStubs, ...overrides } as never;
  const activities = Object.fromEntries(
    Object.entries(impl).map(([name, fn]) => [
      name,
      (input: unknown) => {
        calls.push(label(name as keyof Activities, input));
        return fn(input);
      },
    ]),
  ) as unknown as Activities;
  return { activities, calls };
}

/** What the workflow hands a wave: its services and the edges it must await itself before applying. */
export type WaveInput = Input<'deployWave'>;

/** Tells the run that the wave of `input` is applied, as the real activity does once its objects are in. */
export async function tellApplied(input: WaveInput): Promise<void> {
  const ctx = Context.current();
  if (input.wave === undefined) throw new Error('the workflow did not ask this wave to say when it is applied');
  await ctx.client.workflow
    .getHandle(ctx.info.workflowExecution!.workflowId)
    .signal(WAVE_APPLIED_SIGNAL, { wave: input.wave });
}

/** A promise with its resolve function outside, for stubs that block until the test lets them go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Heartbeats until the activity is cancelled; an activity only learns of a cancellation from a heartbeat's
 * answer. Resolves `cancelled` when it does, then rethrows the CancelledFailure.
 */
export async function heartbeatUntilCancelled(started: () => void, cancelled: () => void): Promise<never> {
  const ctx = Context.current();
  started();
  try {
    for (;;) {
      ctx.heartbeat();
      await ctx.sleep(100);
    }
  } finally {
    if (ctx.cancellationSignal.aborted) cancelled();
  }
}

/**
 * Runs `fn` with a client while a worker with `activities` polls `taskQueue`, then shuts the worker down. The
 * workflow code is the bundle prebundle.ts made, unless the caller passes one.
 * Heartbeats are throttled to 200 ms (default: up to 24 s here) so a cancelled activity hears of it quickly.
 */
export async function withStubWorker<T>(
  taskQueue: string,
  activities: Activities,
  fn: (client: Client) => Promise<T>,
  bundle: { code: string } = workflowBundle(),
): Promise<T> {
  quietRuntime();
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: stack.temporalNamespace,
      taskQueue,
      activities,
      workflowBundle: bundle,
      maxHeartbeatThrottleInterval: '200 milliseconds',
      defaultHeartbeatThrottleInterval: '200 milliseconds',
    });
    const client = new Client({ connection, namespace: stack.temporalNamespace });
    return await worker.runUntil(fn(client));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}
