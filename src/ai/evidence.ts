import type { MetricSummary } from '../baseline/types';
import type { HealthReport, PodTimeline, ServiceHealth, WarningEvent } from '../k8s/types';
import type { EvidenceItem, MetricsEvidence } from '../monitoring/evidence';
import type { CheckResult } from '../run/checks';
import { cleanClusterText, truncate } from './sanitize';

/**
 * The evidence document is the only thing a model sees. It is compact JSON, bounded in size, and built from
 * typed health and latency data that never carries environment values; every cluster-originated string passes
 * through `cleanClusterText` (truncated, control characters stripped, secret-looking text redacted).
 */

/** Serialized evidence never exceeds this many bytes; detail is dropped progressively to fit. */
export const EVIDENCE_MAX_BYTES = 24 * 1024;
const MAX_EVENTS_PER_SERVICE = 10;
const MAX_EVENT_MESSAGE = 300;
const MAX_PROBLEM = 300;
const MAX_PROBLEMS_PER_SERVICE = 10;
const MAX_NAME = 253;
const MAX_REASON = 1000;
const MAX_PODS = 10;
const MAX_CHECKS = 40;
const MAX_ALERTS = 20;

export interface FailedStep {
  step: string;
  service?: string | undefined;
  /** The failure type (an ErrorType name), e.g. `Unschedulable`. */
  type?: string | undefined;
  reason: string;
  /** The failed service's pods as last seen before cleanup. */
  pods?: PodTimeline[] | undefined;
}

/** What cleanup did, for the explanation of a failed run. */
export interface CleanupEvidence {
  deleted: number;
  left: string[];
}

export interface PodEvidence {
  pod: string;
  phase: string;
  scheduled: boolean;
  ready: boolean;
  restarts: number;
  waitingReason: string | null;
}

export interface EvidenceInput {
  scenario: string;
  cluster: string;
  health: HealthReport;
  latency: MetricSummary[];
  /** Targets in milliseconds, keyed `<metric>P95` (e.g. `podReadyP95`). */
  targets: Partial<Record<string, number>>;
  failedStep?: FailedStep | undefined;
  cleanup?: CleanupEvidence | undefined;
  /** The cluster readiness and monitoring checks of the health step. */
  checks?: readonly CheckResult[] | undefined;
  /** The run's window of the cluster's Prometheus metrics, or why there is none. */
  monitoring?: MetricsEvidence | { available: false; reason: string } | undefined;
}

export interface CheckEvidence {
  id: string;
  status: string;
  reason: string;
}

/** What Prometheus saw during the run; each item is its values or `unavailable: <why>`, never invented. */
export interface MonitoringEvidenceDoc {
  apiserverP99MsByVerb: Record<string, number> | string;
  schedulingLatency: { p50Ms: number; p99Ms: number } | string;
  firingAlerts: string[] | string;
}

export interface EvidenceEvent {
  object: string;
  reason: string;
  message: string;
  count: number;
}

export interface ServiceEvidence {
  name: string;
  healthy: boolean;
  replicas: { ready: number; desired: number };
  endpoints: { ready: number; notReady: number };
  restarts: number;
  readinessProbe: 'configured' | 'missing';
  /** Usage, or `unavailable: <reason>` when metrics could not be read. */
  resourceUsage: { cpuMillicores: number; memoryMiB: number } | string;
  probe: { url: string; ok: boolean; status: number | null; latencyMs: number | null; error: string | null } | null;
  problems: string[];
  /** Most frequent warning events first; may be shortened to fit the size bound. */
  warningEvents: EvidenceEvent[];
  /** Number of distinct warning events before any were dropped. */
  warningEventsTotal: number;
}

export interface LatencyEvidence {
  metric: string;
  n: number;
  failures: number;
  successRate: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  stddevMs: number;
  targetP95Ms: number | null;
  overTarget: boolean | null;
}

export interface Evidence {
  scenario: string;
  cluster: string;
  checkedAt: string;
  /** Counts computed before any detail is dropped: always complete, whatever the size bound removed. */
  overall: {
    healthy: boolean;
    services: number;
    unhealthy: number;
    withRestarts: number;
    withWarningEvents: number;
  };
  failedStep: {
    step: string;
    service: string | null;
    type: string | null;
    reason: string;
    pods: PodEvidence[];
  } | null;
  /** What cleanup removed and what it left (failed runs are explained after cleanup); null when it has not run. */
  cleanup: CleanupEvidence | null;
  /** Unhealthy services first, then services with restarts or warnings, then the rest. */
  services: ServiceEvidence[];
  latency: LatencyEvidence[];
  /** Failed and warning checks first; empty when the run ran none. */
  checks: CheckEvidence[];
  /** The cluster's Prometheus during the run; a string saying why when there is none. */
  monitoring: MonitoringEvidenceDoc | string | null;
  /** What was left out to respect the size bound, in plain words; empty when nothing was. */
  omitted: string[];
}

/** Builds the bounded evidence document for one run. Pure. */
export function buildEvidence(input: EvidenceInput): Evidence {
  const services = input.health.services.map(serviceEvidence);
  const evidence: Evidence = {
    scenario: cleanClusterText(input.scenario, MAX_NAME),
    cluster: cleanClusterText(input.cluster, MAX_NAME),
    checkedAt: cleanClusterText(input.health.checkedAt, 64),
    overall: {
      healthy: input.health.healthy && services.every(isHealthy),
      services: services.length,
      unhealthy: services.filter((s) => !isHealthy(s)).length,
      withRestarts: services.filter((s) => s.restarts > 0).length,
      withWarningEvents: services.filter((s) => s.warningEventsTotal > 0).length,
    },
    failedStep: input.failedStep
      ? {
          step: cleanClusterText(input.failedStep.step, MAX_NAME),
          service: input.failedStep.service === undefined ? null : cleanClusterText(input.failedStep.service, MAX_NAME),
          type: input.failedStep.type === undefined ? null : cleanClusterText(input.failedStep.type, 100),
          reason: cleanClusterText(input.failedStep.reason, MAX_REASON),
          pods: (input.failedStep.pods ?? []).slice(0, MAX_PODS).map(podEvidence),
        }
      : null,
    cleanup: input.cleanup
      ? {
          deleted: input.cleanup.deleted,
          left: input.cleanup.left.slice(0, 20).map((o) => cleanClusterText(o, MAX_NAME)),
        }
      : null,
    services: stableSortBy(services, serviceRank),
    latency: input.latency.map((m) => latencyEvidence(m, input.targets)),
    checks: stableSortBy([...(input.checks ?? [])], checkRank)
      .slice(0, MAX_CHECKS)
      .map((c) => ({
        id: cleanClusterText(c.id, 100),
        status: c.status,
        reason: cleanClusterText(c.reason, MAX_PROBLEM),
      })),
    monitoring: input.monitoring ? monitoringEvidence(input.monitoring) : null,
    omitted: [],
  };
  return fitToSize(evidence, EVIDENCE_MAX_BYTES);
}

/** A service counts as unhealthy when the health check said so or fewer replicas are ready than desired. */
export function isHealthy(s: ServiceEvidence): boolean {
  return s.healthy && s.replicas.ready >= s.replicas.desired;
}

export function evidenceBytes(evidence: Evidence): number {
  return Buffer.byteLength(JSON.stringify(evidence));
}

function serviceEvidence(s: ServiceHealth): ServiceEvidence {
  return {
    name: cleanClusterText(s.service, MAX_NAME),
    healthy: s.healthy,
    replicas: { ready: s.readyReplicas, desired: s.desiredReplicas },
    endpoints: { ready: s.endpoints.ready, notReady: s.endpoints.notReady },
    restarts: s.restarts,
    readinessProbe: s.readinessProbeConfigured ? 'configured' : 'missing',
    resourceUsage: s.resourceUsage.available
      ? {
          cpuMillicores: round(s.resourceUsage.cpuMillicores),
          memoryMiB: round(s.resourceUsage.memoryBytes / (1024 * 1024)),
        }
      : `unavailable: ${cleanClusterText(s.resourceUsage.reason, MAX_PROBLEM)}`,
    probe: s.probe
      ? {
          url: cleanClusterText(s.probe.url, 500),
          ok: s.probe.ok,
          status: s.probe.status ?? null,
          latencyMs: s.probe.latencyMs === undefined ? null : round(s.probe.latencyMs),
          error: s.probe.error === undefined ? null : cleanClusterText(s.probe.error, MAX_PROBLEM),
        }
      : null,
    problems: s.problems.slice(0, MAX_PROBLEMS_PER_SERVICE).map((p) => cleanClusterText(p, MAX_PROBLEM)),
    warningEvents: topEvents(s.warningEvents, MAX_EVENTS_PER_SERVICE),
    warningEventsTotal: s.warningEvents.length,
  };
}

function podEvidence(p: PodTimeline): PodEvidence {
  return {
    pod: cleanClusterText(p.pod, MAX_NAME),
    phase: cleanClusterText(p.phase, 40),
    scheduled: p.scheduledAt !== undefined,
    ready: p.readyAt !== undefined,
    restarts: p.restarts,
    waitingReason: p.waitingReason === undefined ? null : cleanClusterText(p.waitingReason, MAX_PROBLEM),
  };
}

/** The most frequent events first; only those kept are cleaned. */
function topEvents(events: WarningEvent[], max: number): EvidenceEvent[] {
  return stableSortBy(events, (e) => -e.count)
    .slice(0, max)
    .map((e) => ({
      object: cleanClusterText(e.object, MAX_NAME),
      reason: cleanClusterText(e.reason, 100),
      message: cleanClusterText(e.message, MAX_EVENT_MESSAGE),
      count: e.count,
    }));
}

function latencyEvidence(m: MetricSummary, targets: Partial<Record<string, number>>): LatencyEvidence {
  const target = targets[`${m.metric}P95`];
  const hasTarget = target !== undefined && Number.isFinite(target);
  return {
    metric: m.metric,
    n: m.n,
    failures: m.failures,
    successRate: round(m.successRate, 3),
    medianMs: round(m.median),
    p95Ms: round(m.p95),
    p99Ms: round(m.p99),
    stddevMs: round(m.stddev),
    targetP95Ms: hasTarget ? target : null,
    overTarget: hasTarget && m.n > 0 ? m.p95 > target : null,
  };
}

const checkOrder: Record<string, number> = { fail: 0, warn: 1, pass: 2, skipped: 3 };
function checkRank(c: CheckResult): number {
  return checkOrder[c.status] ?? 4;
}

function monitoringEvidence(m: MetricsEvidence | { available: false; reason: string }): MonitoringEvidenceDoc | string {
  if (!('window' in m)) return `unavailable: ${cleanClusterText(m.reason, MAX_PROBLEM)}`;
  const item = <T, R>(e: EvidenceItem<T>, pick: (v: T) => R): R | string =>
    e.available ? pick(e) : `unavailable: ${cleanClusterText(e.reason, MAX_PROBLEM)}`;
  return {
    apiserverP99MsByVerb: item(m.apiserverP99MsByVerb, (v) =>
      Object.fromEntries(Object.entries(v.values).map(([verb, ms]) => [cleanClusterText(verb, 20), round(ms)])),
    ),
    schedulingLatency: item(m.schedulingLatency, (v) => ({ p50Ms: round(v.p50Ms), p99Ms: round(v.p99Ms) })),
    firingAlerts: item(m.firingAlerts, (v) =>
      v.alerts.slice(0, MAX_ALERTS).map((a) => cleanClusterText(a.alertname, 100)),
    ),
  };
}

function serviceRank(s: ServiceEvidence): number {
  if (!isHealthy(s)) return 0;
  if (s.restarts > 0 || s.warningEventsTotal > 0) return 1;
  return 2;
}

/**
 * Drops detail in order of least value to a reviewer until the document fits: long event messages, then most
 * events, then all event details (counts stay), then healthy uneventful services, then whole services from the
 * end of the (severity-sorted) list. `overall` is never touched, so the counts stay true.
 */
function fitToSize(evidence: Evidence, maxBytes: number): Evidence {
  const stages: { note: string; apply: (e: Evidence) => Evidence }[] = [
    {
      note: 'warning event messages shortened to 120 characters',
      apply: (e) => mapServices(e, (s) => ({ ...s, warningEvents: s.warningEvents.map(shortenEvent) })),
    },
    {
      note: 'only the 3 most frequent warning events kept per service',
      apply: (e) => mapServices(e, (s) => ({ ...s, warningEvents: s.warningEvents.slice(0, 3) })),
    },
    {
      note: 'warning event details dropped (warningEventsTotal still counts them); problems limited to 3',
      apply: (e) => mapServices(e, (s) => ({ ...s, warningEvents: [], problems: s.problems.slice(0, 3) })),
    },
    {
      note: 'check reasons shortened to 120 characters; passing checks listed by id only',
      apply: (e) => ({
        ...e,
        checks: e.checks.map((c) => ({ ...c, reason: c.status === 'pass' ? '' : truncate(c.reason, 120) })),
      }),
    },
    {
      note: 'healthy services without restarts or warning events left out (see overall)',
      apply: (e) => ({ ...e, services: e.services.filter((s) => serviceRank(s) < 2) }),
    },
  ];
  let current = evidence;
  for (const stage of stages) {
    if (evidenceBytes(current) <= maxBytes) return current;
    current = stage.apply(current);
    current = { ...current, omitted: [...current.omitted, stage.note] };
  }
  if (evidenceBytes(current) <= maxBytes) return current;
  return keepServicesThatFit(current, maxBytes);
}

function keepServicesThatFit(evidence: Evidence, maxBytes: number): Evidence {
  const reserve = 200; // room for the note below
  const base = evidenceBytes({ ...evidence, services: [] }) + reserve;
  let used = base;
  const kept: ServiceEvidence[] = [];
  for (const s of evidence.services) {
    const size = Buffer.byteLength(JSON.stringify(s)) + 1;
    if (used + size > maxBytes) break;
    used += size;
    kept.push(s);
  }
  const dropped = evidence.services.length - kept.length;
  return {
    ...evidence,
    services: kept,
    omitted: [...evidence.omitted, `${dropped} more services left out to respect the size bound (see overall)`],
  };
}

function mapServices(e: Evidence, f: (s: ServiceEvidence) => ServiceEvidence): Evidence {
  return { ...e, services: e.services.map(f) };
}

function shortenEvent(e: EvidenceEvent): EvidenceEvent {
  return { ...e, message: truncate(e.message, 120) };
}

function stableSortBy<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, k: key(item) }))
    .sort((a, b) => a.k - b.k || a.index - b.index)
    .map(({ item }) => item);
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
