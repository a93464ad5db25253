/**
 * The deploy step's orchestration. One activity per wave applies the wave and follows it to Ready (one watch,
 * bounded concurrency, heartbeats), which keeps the history of a scenario of hundreds of services to a few dozen
 * events.
 *
 * A wave is started as soon as the wave before it is applied (its activity signals WAVE_APPLIED_SIGNAL), and it
 * awaits its own dependency edges, each under its condition and timeout, before applying anything: the edge is
 * met where the dependency's pods are seen, not one workflow round trip later (a completed activity, a workflow
 * task, a new activity). Without that signal the next wave starts once the one before has settled, as it did
 * before. Either way every wave a waiting wave depends on has already started, so a busy worker cannot fill its
 * slots with waves that wait on waves it has not started.
 *
 * Every edge is still awaited; the workflow still blames the first failure it observes (src/run/blame.ts): a
 * dependency that settled badly while a service waits for it, an edge a wave gave up on, a wave whose apply was
 * refused. Runs recorded before this path replay the paths in deploy-waves-recorded.ts.
 */
import { condition, defineSignal, isCancellation, patched, setHandler } from '@temporalio/workflow';
import type { AwaitResult, DependencyEdge, DeployedService } from '../k8s/deploy';
import { blameDependency, blameSettled, errorTypeOfState } from '../run/blame';
import { WAVE_APPLIED_SIGNAL, type WaveApplied } from '../run/contracts';
import { StepName } from '../run/vocabulary';
import { followTimeout } from '../scenarios/planner';
import type { DependencyCondition } from '../scenarios/schema';
import { type DeployContext, follow, serviceOf, waveSummary } from './deploy-context';
import { deployWavesAsRecorded } from './deploy-waves-recorded';
import { Blamed, failureOf } from './failures';

/** The patch id of waves that await their own dependency edges and start when the wave before is applied. */
export const DEPLOY_PIPELINED = 'deploy-pipelined';

export const waveAppliedSignal = defineSignal<[WaveApplied]>(WAVE_APPLIED_SIGNAL);

/** Deploys every wave and returns when each service has settled: Ready, timed out, unschedulable, crash-looping. */
export async function deployWaves(ctx: DeployContext): Promise<AwaitResult[]> {
  if (!patched(DEPLOY_PIPELINED)) return deployWavesAsRecorded(ctx);
  const { scenario, waves, run, cluster, record } = ctx;
  const services = new Map(scenario.spec.services.map((s) => [s.name, s]));
  // The first edge into each dependency, in plan order: a dependency that settles badly is blamed as needed by it.
  const firstDependent = new Map<string, { neededBy: string; condition: DependencyCondition }>();
  for (const name of waves.flat()) {
    for (const d of services.get(name)!.dependsOn) {
      if (!firstDependent.has(d.service)) firstDependent.set(d.service, { neededBy: name, condition: d.condition });
    }
  }

  const applied = new Set<number>();
  setHandler(waveAppliedSignal, ({ wave }) => {
    applied.add(wave);
    // Applied means its edges were met: what was waiting for them now starts.
    for (const name of waves[wave] ?? []) {
      if (record.serviceState(name) === 'waiting-for-dependencies') record.setService(name, 'starting');
    }
  });
  const outcomes = new Map<string, DeployedService>();
  const settledWaves = new Set<number>();
  let failure: Blamed | undefined;
  const fail = (blamed: Blamed) => void (failure ??= blamed);
  const dependenciesReady = (name: string) =>
    services.get(name)!.dependsOn.every((d) => outcomes.get(d.service)?.state === 'met');
  const awaitsHealthy = (name: string) => services.get(name)!.dependsOn.some((d) => d.condition === 'healthy');

  // Edges already met need no waiting: a dependency Ready stays scheduled and Ready, as when the workflow awaited
  // it. `healthy` is checked again: Ready is not yet serving.
  const edgesOf = (wave: string[]): DependencyEdge[] =>
    wave.flatMap((name) =>
      services
        .get(name)!
        .dependsOn.filter((d) => d.condition === 'healthy' || outcomes.get(d.service)?.state !== 'met')
        .map((d) => {
          const dep = services.get(d.service)!;
          const hasPorts = dep.ports.length > 0;
          return {
            service: d.service,
            neededBy: name,
            condition: d.condition,
            replicas: dep.replicas,
            hasPorts,
            timeoutMs: d.timeout,
          };
        }),
    );

  const settle = (index: number, result: Awaited<ReturnType<typeof startWave>>) => {
    const blocked = result.blocked;
    if (blocked) {
      fail(
        new Blamed(
          blameDependency({
            ...blocked,
            type: errorTypeOfState(blocked.state),
            reason: blocked.reason ?? blocked.state,
          }),
        ),
      );
    }
    for (const s of result.services) {
      outcomes.set(s.service, s);
      record.setService(s.service, s.state === 'met' ? 'ready' : s.state);
      const edge = firstDependent.get(s.service);
      if (s.state !== 'met' && edge) {
        const type = errorTypeOfState(s.state);
        fail(new Blamed(blameDependency({ service: s.service, ...edge, type, reason: s.reason ?? s.state })));
      }
    }
    // Without a signal (lost, or not sent), a service whose edges are all met at Ready starts once they are; a
    // `healthy` edge is met only when the dependency serves, which only its wave's signal tells.
    for (const name of waves.slice(index + 1).flat()) {
      if (record.serviceState(name) === 'waiting-for-dependencies' && dependenciesReady(name) && !awaitsHealthy(name)) {
        record.setService(name, 'starting');
      }
    }
    settledWaves.add(index);
  };

  const startWave = (index: number, edges: DependencyEdge[]) => {
    const wave = waves[index]!;
    const timeoutsMs = Object.fromEntries(wave.map((name) => [name, followTimeout(scenario, name)]));
    const waitMs = Math.max(0, ...edges.map((e) => e.timeoutMs));
    const waitsFor = [...new Set(edges.map((e) => e.service))];
    const summary = waveSummary(wave, (name) => services.get(name)!.replicas);
    return follow(
      waitMs + Math.max(...Object.values(timeoutsMs)),
      waitsFor.length > 0
        ? `wait for ${waitsFor.slice(0, 3).join(', ')}${waitsFor.length > 3 ? ', …' : ''}, then ${summary}`
        : summary,
    ).deployWave({
      run,
      cluster,
      services: wave.map((name) => services.get(name)!),
      timeoutsMs,
      notBefore: Date.now(),
      images: ctx.images,
      dependencies: edges,
      // Every wave says when it is applied: the next wave starts then, and the progress view shows it starting.
      wave: index,
    });
  };

  for (let index = 0; index < waves.length; index++) {
    if (index > 0) {
      await condition(() => failure !== undefined || applied.has(index - 1) || settledWaves.has(index - 1));
      if (failure) throw failure;
    }
    const wave = waves[index]!;
    const edges = edgesOf(wave);
    for (const name of wave) {
      record.setService(name, edges.some((e) => e.neededBy === name) ? 'waiting-for-dependencies' : 'starting');
    }
    const batch = startWave(index, edges);
    ctx.inflight.add(batch);
    batch.then(
      (result) => settle(index, result),
      (error: unknown) => {
        if (!isCancellation(error)) {
          // The apply itself failed (invalid manifest, forbidden); a wave's failure names the service it was about.
          const f = failureOf(error);
          const service = serviceOf(error) ?? wave[0]!;
          fail(
            new Blamed({ step: StepName.Deploy, service, type: f.type, message: `service ${service}: ${f.message}` }),
          );
        }
        for (const name of wave) record.setService(name, 'timeout');
        settledWaves.add(index);
      },
    );
    // The next wave waits for this one.
    for (const name of waves[index + 1] ?? []) record.setService(name, 'waiting-for-dependencies');
  }
  await condition(() => failure !== undefined || settledWaves.size === waves.length);
  if (failure) throw failure;

  const settled = waves.flat().map((name) => outcomes.get(name)!);
  record.pods = settled.flatMap((s) => s.pods);
  const bad = blameSettled(settled);
  if (bad) throw new Blamed(bad);
  return settled;
}
