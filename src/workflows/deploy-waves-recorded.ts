/**
 * The deploy step as runs recorded before `deploy-pipelined` took it, kept so their histories replay: wave by wave,
 * every dependency edge into the wave is awaited in the workflow under the edge's own condition and timeout, then
 * one activity applies the whole wave and follows it to Ready. Runs recorded before `deploy-per-wave` replay the
 * per-service path. Failures are blamed by the rule in src/run/blame.ts.
 */
import { CancellationScope, isCancellation, patched, sleep } from '@temporalio/workflow';
import type { AwaitResult } from '../k8s/deploy';
import { blameDependency, blameSettled, errorTypeOfState } from '../run/blame';
import type { RunFailure } from '../run/contracts';
import { followTimeout } from '../scenarios/planner';
import type { DependencyCondition, ServiceSpec } from '../scenarios/schema';
import { type DeployContext, follow, serviceOf, waveSummary } from './deploy-context';
import { Blamed, failureOf } from './failures';

/** The patch id of one deployWave activity per wave (before: one deployService per service). */
export const DEPLOY_PER_WAVE = 'deploy-per-wave';

/**
 * Deploys every wave and returns when each service has settled: Ready, timed out, unschedulable, crash-looping.
 * Every edge is awaited here, in the workflow, before its dependent's wave is started.
 */
export async function deployWavesAsRecorded(ctx: DeployContext): Promise<AwaitResult[]> {
  const { scenario, run, cluster, record } = ctx;
  const services = new Map(scenario.spec.services.map((s) => [s.name, s]));
  const tracking = new Map<string, Promise<AwaitResult>>();

  const awaitDependency = async (
    dependent: ServiceSpec,
    name: string,
    condition: DependencyCondition,
    timeoutMs: number,
  ) => {
    const blame = (type: string, reason: string): Blamed =>
      new Blamed(blameDependency({ service: name, neededBy: dependent.name, condition, type, reason }));
    const deadline = Date.now() + timeoutMs;
    const track = tracking.get(name)!;
    if (condition !== 'scheduled') {
      const outcome = await raceTimeout(track, timeoutMs).catch((error: unknown) => {
        throw isCancellation(error) ? error : blame(failureOf(error).type, failureOf(error).message);
      });
      if (!outcome) throw blame('ServiceNotReady', `not ready within ${Math.round(timeoutMs / 1000)}s`);
      if (outcome.state !== 'met') throw blame(errorTypeOfState(outcome.state), outcome.reason ?? outcome.state);
      if (condition === 'ready') return;
    }
    const dep = services.get(name)!;
    const remaining = Math.max(1000, deadline - Date.now());
    // If the dependency's own apply fails meanwhile, that failure wins over waiting out the timeout.
    const applyFailed = track.then(() => new Promise<never>(() => undefined));
    const waiting = follow(remaining, `wait for ${name} to be ${condition} (needed by ${dependent.name})`).awaitService(
      {
        cluster,
        request: {
          run,
          service: name,
          replicas: dep.replicas,
          hasPorts: dep.ports.length > 0,
          condition,
          timeoutMs: remaining,
          notBefore: Date.now(),
        },
      },
    );
    ctx.inflight.add(waiting);
    const outcome = await Promise.race([applyFailed, waiting]).catch((error: unknown) => {
      throw isCancellation(error) ? error : blame(failureOf(error).type, failureOf(error).message);
    });
    if (outcome.state !== 'met') throw blame(errorTypeOfState(outcome.state), outcome.reason ?? outcome.state);
  };

  const perWave = patched(DEPLOY_PER_WAVE);
  for (const wave of ctx.waves) {
    if (perWave) {
      await Promise.all(
        wave.map(async (name) => {
          const svc = services.get(name)!;
          record.setService(name, 'waiting-for-dependencies');
          await Promise.all(svc.dependsOn.map((d) => awaitDependency(svc, d.service, d.condition, d.timeout)));
        }),
      );
      const timeoutsMs = Object.fromEntries(wave.map((name) => [name, followTimeout(scenario, name)]));
      const batch = follow(
        Math.max(...Object.values(timeoutsMs)),
        waveSummary(wave, (name) => services.get(name)!.replicas),
      ).deployWave({
        run,
        cluster,
        services: wave.map((name) => services.get(name)!),
        timeoutsMs,
        notBefore: Date.now(),
        images: ctx.images,
      });
      ctx.inflight.add(batch);
      for (const name of wave) {
        record.setService(name, 'starting');
        const track = batch.then((r) => r.services.find((s) => s.service === name)!);
        // Observed at once so a failure is never an unhandled rejection; dependents and the settle loop read it.
        track.then(
          (r) => record.setService(name, r.state === 'met' ? 'ready' : r.state),
          () => record.setService(name, 'timeout'),
        );
        tracking.set(name, track);
      }
      continue;
    }
    await Promise.all(
      wave.map(async (name) => {
        const svc = services.get(name)!;
        record.setService(name, 'waiting-for-dependencies');
        await Promise.all(svc.dependsOn.map((d) => awaitDependency(svc, d.service, d.condition, d.timeout)));
        record.setService(name, 'starting');
        const timeoutMs = followTimeout(scenario, name);
        const track = follow(
          timeoutMs,
          `deploy ${name} (${svc.replicas} replicas) and follow it to Ready`,
        ).deployService({
          run,
          cluster,
          service: svc,
          timeoutMs,
          notBefore: Date.now(),
          images: ctx.images,
        });
        // Observed at once so a failure is never an unhandled rejection; dependents and the settle loop read it.
        track.then(
          (r) => record.setService(name, r.state === 'met' ? 'ready' : r.state),
          () => record.setService(name, 'timeout'),
        );
        tracking.set(name, track);
        ctx.inflight.add(track);
      }),
    );
  }

  const settled: AwaitResult[] = [];
  for (const [name, track] of tracking) {
    try {
      settled.push(await track);
    } catch (error) {
      if (isCancellation(error)) throw error;
      // The apply itself failed (invalid manifest, forbidden); a wave's failure names the service it was about.
      const f = failureOf(error);
      const service = serviceOf(error) ?? name;
      throw new Blamed({ step: 'deploy', service, type: f.type, message: `service ${service}: ${f.message}` });
    }
  }
  record.pods = settled.flatMap((s) => s.pods);
  const failure: RunFailure | undefined = blameSettled(settled);
  if (failure) throw new Blamed(failure);
  return settled;
}

/** The tracked result, or undefined when `timeoutMs` passes first; the timer never outlives the race. */
async function raceTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  return CancellationScope.cancellable(async () => {
    const timer = sleep(timeoutMs).then(() => undefined);
    timer.catch(() => undefined);
    try {
      return await Promise.race([promise, timer]);
    } finally {
      CancellationScope.current().cancel();
    }
  });
}
