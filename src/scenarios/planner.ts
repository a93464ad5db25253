/**
 * The dependency graph between services: its checks (duplicates, unknown services, cycles) and the deploy
 * plan. Works on any `{ name, dependsOn }` list so it needs neither zod nor a parsed scenario.
 */
import { ErrorType, KubeproofError } from '../errors';
import { formatPath } from './paths';
import type { Scenario } from './schema';
import { didYouMean } from './suggest';

export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly { readonly service: string }[];
}

/** A problem in the dependency graph; `path` is relative to the scenario root, as zod paths are. */
export interface DependencyIssue {
  path: (string | number)[];
  message: string;
}

/**
 * One dependency cycle as the list of services walked, ending where it started (`['a', 'b', 'a']`), or
 * undefined. Edges to unknown services are ignored. Deterministic: services and edges are visited in file
 * order, so the same file always names the same cycle.
 */
export function findCycle(services: readonly DependencyNode[]): string[] | undefined {
  // With duplicate names the first service wins, as in checkDependencies, which reports the duplicate.
  const byName = new Map<string, DependencyNode>();
  for (const service of services) if (!byName.has(service.name)) byName.set(service.name, service);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dependency.service)) continue;
      const cycle = visit(dependency.service);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };

  for (const service of services) {
    const cycle = visit(service.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Every problem that makes the graph unusable: duplicate service names, dependencies listed twice,
 * dependencies on unknown services, and one cycle (a self-dependency is a cycle of one). The loader
 * reports these with the same paths and line numbers as schema errors.
 */
export function checkDependencies(services: readonly DependencyNode[]): DependencyIssue[] {
  const issues: DependencyIssue[] = [];
  const firstIndex = new Map<string, number>();
  services.forEach((service, index) => {
    const first = firstIndex.get(service.name);
    if (first === undefined) firstIndex.set(service.name, index);
    else
      issues.push({
        path: ['spec', 'services', index, 'name'],
        message: `duplicate service name "${service.name}" (also at spec.services[${first}]); service names must be unique`,
      });
  });

  const names = [...firstIndex.keys()];
  services.forEach((service, index) => {
    const seen = new Map<string, number>();
    service.dependsOn.forEach((dependency, depIndex) => {
      const path = ['spec', 'services', index, 'dependsOn', depIndex, 'service'];
      const target = dependency.service;
      const earlier = seen.get(target);
      seen.set(target, earlier ?? depIndex);
      if (earlier !== undefined) {
        issues.push({ path, message: `"${target}" is already listed at dependsOn[${earlier}]; remove one of them` });
      } else if (target === service.name) {
        issues.push({ path, message: `dependency cycle: ${target} → ${target}; a service cannot depend on itself` });
      } else if (!firstIndex.has(target)) {
        const hint = didYouMean(target, names) || `; services in this scenario: ${names.join(', ')}`;
        issues.push({ path, message: `unknown service "${target}"${hint}` });
      }
    });
  });

  // Self-dependencies are already reported above; look for longer cycles only.
  const withoutSelfEdges = services.map((service) => ({
    name: service.name,
    dependsOn: service.dependsOn.filter((dependency) => dependency.service !== service.name),
  }));
  const cycle = findCycle(withoutSelfEdges);
  if (cycle) {
    // Point at the edge that closes the cycle: from the last service back to the first.
    const from = cycle[cycle.length - 2] ?? '';
    const to = cycle[cycle.length - 1] ?? '';
    const index = services.findIndex((service) => service.name === from);
    const depIndex = services[index]?.dependsOn.findIndex((dependency) => dependency.service === to) ?? -1;
    issues.push({
      path: ['spec', 'services', index, 'dependsOn', depIndex, 'service'],
      message: `dependency cycle: ${cycle.join(' → ')}; remove one of these dependencies`,
    });
  }
  return issues;
}

/**
 * Deploy waves (Kahn's algorithm in layers): every service's dependencies are in earlier waves, so a wave
 * can be deployed in parallel once the previous one meets its conditions. Within a wave, services keep
 * their order in the scenario. Throws InvalidScenario for a graph that `checkDependencies` refuses.
 */
export function planWaves(scenario: { readonly spec: { readonly services: readonly DependencyNode[] } }): string[][] {
  const services = scenario.spec.services;
  const issues = checkDependencies(services);
  if (issues.length > 0) {
    const located = issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    const message = located.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
    throw new KubeproofError(ErrorType.InvalidScenario, message, { issues: located });
  }

  const placed = new Set<string>();
  const waves: string[][] = [];
  let remaining = [...services];
  while (remaining.length > 0) {
    const wave = remaining.filter((service) => service.dependsOn.every((dependency) => placed.has(dependency.service)));
    // Unreachable after checkDependencies (no cycles, no unknown services); guards against an endless loop.
    if (wave.length === 0) throw new Error('planWaves: no service can be placed');
    for (const service of wave) placed.add(service.name);
    waves.push(wave.map((service) => service.name));
    remaining = remaining.filter((service) => !placed.has(service.name));
  }
  return waves;
}

/**
 * How long a service is followed to Ready: `timeouts.ready`, or longer when a dependent's edge waits for it longer
 * (a per-edge timeout promises to wait that long, so the dependency's own wait must not give up first).
 */
export function followTimeout(scenario: Scenario, service: string): number {
  const edges = scenario.spec.services.flatMap((s) => s.dependsOn.filter((d) => d.service === service));
  return Math.max(scenario.spec.timeouts.ready, ...edges.map((d) => d.timeout));
}
