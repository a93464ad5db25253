import type { Evidence, ServiceEvidence } from './evidence';
import { isHealthy } from './evidence';
import type { Finding, Verdict } from './verdict';
import { Severity, VerdictLevel, VerdictSource } from './verdict';

/**
 * Deterministic verdict from the evidence alone: the fallback when no model can be asked, and the floor a
 * model's verdict may not go below (see `hardFailureFindings`).
 *
 * fail: a failed step, or any service unhealthy / with fewer ready replicas than desired.
 * warn: restarts, warning events, a latency p95 above its target, or failed measurements.
 * pass: none of these.
 */
export function rulesVerdict(evidence: Evidence, fallbackReason: string): Verdict {
  const critical = hardFailureFindings(evidence);
  const warnings = softFindings(evidence);
  const verdict: VerdictLevel =
    critical.length > 0 ? VerdictLevel.Fail : warnings.length > 0 ? VerdictLevel.Warn : VerdictLevel.Pass;
  const info = infoFindings(evidence);
  if (verdict === VerdictLevel.Pass) {
    info.unshift({
      severity: Severity.Info,
      service: null,
      message: `All ${evidence.overall.services} services are healthy and every measured p95 is within its target.`,
      evidence: `overall: ${JSON.stringify(evidence.overall)}`,
    });
  }
  return {
    verdict,
    confidence: 1,
    summary: summarize(evidence, verdict, critical.length, warnings.length),
    findings: [...critical, ...warnings, ...info],
    recommendations: recommendations(evidence, verdict),
    provenance: { source: VerdictSource.Rules, latencyMs: 0, attempts: 0, fallbackReason },
  };
}

/** Critical findings for everything that makes a run fail regardless of what any model says. */
export function hardFailureFindings(evidence: Evidence): Finding[] {
  const findings: Finding[] = [];
  const step = evidence.failedStep;
  if (step) {
    findings.push({
      severity: Severity.Critical,
      service: step.service,
      message: `Step "${step.step}" failed: ${step.reason}`,
      evidence: `failedStep: ${JSON.stringify(step)}`,
    });
  }
  const unhealthy = evidence.services.filter((s) => !isHealthy(s));
  for (const s of unhealthy) {
    const problems = s.problems.length > 0 ? `: ${s.problems.join('; ')}` : '';
    findings.push({
      severity: Severity.Critical,
      service: s.name,
      message: `${s.name} is not healthy (${s.replicas.ready}/${s.replicas.desired} replicas ready)${problems}`,
      evidence: `replicas: ${JSON.stringify(s.replicas)}, healthy: ${s.healthy}, endpoints: ${JSON.stringify(s.endpoints)}`,
    });
  }
  const unlisted = evidence.overall.unhealthy - unhealthy.length;
  if (unlisted > 0) {
    findings.push({
      severity: Severity.Critical,
      service: null,
      message: `${unlisted} more unhealthy services were left out of the evidence to respect its size bound`,
      evidence: `overall.unhealthy: ${evidence.overall.unhealthy}`,
    });
  }
  findings.push(...checkFindings(evidence, 'fail'));
  if (!evidence.overall.healthy && findings.length === 0) {
    findings.push({
      severity: Severity.Critical,
      service: null,
      message: 'The health check reported the deployment as unhealthy',
      evidence: 'overall.healthy: false',
    });
  }
  return findings;
}

function softFindings(evidence: Evidence): Finding[] {
  const findings: Finding[] = [];
  for (const s of evidence.services) {
    if (s.restarts > 0) {
      findings.push({
        severity: Severity.Warning,
        service: s.name,
        message: `${s.name} containers restarted ${s.restarts} time${s.restarts === 1 ? '' : 's'}`,
        evidence: `restarts: ${s.restarts}`,
      });
    }
    if (s.warningEventsTotal > 0) findings.push(warningEventsFinding(s));
  }
  findings.push(...checkFindings(evidence, 'warn'));
  const alerts = evidence.monitoring && typeof evidence.monitoring === 'object' ? evidence.monitoring.firingAlerts : [];
  if (Array.isArray(alerts) && alerts.length > 0) {
    findings.push({
      severity: Severity.Warning,
      service: null,
      message: `Alerts firing during the run: ${alerts.join(', ')}`,
      evidence: `monitoring.firingAlerts: ${JSON.stringify(alerts)}`,
    });
  }
  for (const m of evidence.latency) {
    if (m.overTarget === true) {
      findings.push({
        severity: Severity.Warning,
        service: null,
        message: `${m.metric} p95 is ${m.p95Ms} ms, above its target of ${m.targetP95Ms} ms`,
        evidence: `latency.${m.metric}: p95Ms ${m.p95Ms}, targetP95Ms ${m.targetP95Ms}, n ${m.n}`,
      });
    }
    if (m.failures > 0) {
      findings.push({
        severity: Severity.Warning,
        service: null,
        message: `${m.failures} ${m.metric} measurements did not finish`,
        evidence: `latency.${m.metric}: failures ${m.failures}, successRate ${m.successRate}`,
      });
    }
  }
  return findings;
}

/** A finding per check with that status: failed checks are critical, warning checks warnings. */
function checkFindings(evidence: Evidence, status: 'fail' | 'warn'): Finding[] {
  return evidence.checks
    .filter((c) => c.status === status)
    .map((c) => ({
      severity: status === 'fail' ? Severity.Critical : Severity.Warning,
      service: null,
      message: `Check ${c.id} ${status === 'fail' ? 'failed' : 'warned'}: ${c.reason}`,
      evidence: `checks.${c.id}: ${c.status}`,
    }));
}

function warningEventsFinding(s: ServiceEvidence): Finding {
  const top = s.warningEvents
    .slice(0, 3)
    .map((e) => `${e.reason} x${e.count}: ${e.message}`)
    .join(' | ');
  return {
    severity: Severity.Warning,
    service: s.name,
    message: `${s.name} emitted ${s.warningEventsTotal} distinct warning events`,
    evidence: top.length > 0 ? top : `warningEventsTotal: ${s.warningEventsTotal}`,
  };
}

function infoFindings(evidence: Evidence): Finding[] {
  const missing = evidence.services.filter((s) => s.readinessProbe === 'missing').map((s) => s.name);
  if (missing.length === 0) return [];
  return [
    {
      severity: Severity.Info,
      service: null,
      message: `No readiness probe configured for: ${missing.join(', ')}`,
      evidence: 'readinessProbe: missing',
    },
  ];
}

function summarize(evidence: Evidence, verdict: VerdictLevel, critical: number, warnings: number): string {
  const { services, unhealthy } = evidence.overall;
  const scope = `Scenario "${evidence.scenario}" on cluster "${evidence.cluster}"`;
  if (verdict === VerdictLevel.Fail) {
    return `${scope}: ${critical} blocking problem(s); ${unhealthy} of ${services} services unhealthy${
      evidence.failedStep ? `, step "${evidence.failedStep.step}" failed` : ''
    }.`;
  }
  if (verdict === VerdictLevel.Warn)
    return `${scope}: all ${services} services healthy, ${warnings} concern(s) to review.`;
  return `${scope}: all ${services} services healthy, no restarts, warnings or latency regressions.`;
}

function recommendations(evidence: Evidence, verdict: VerdictLevel): string[] {
  const recs: string[] = [];
  const names = (pick: (s: ServiceEvidence) => boolean) =>
    evidence.services
      .filter(pick)
      .map((s) => s.name)
      .slice(0, 10)
      .join(', ');
  if (evidence.failedStep) recs.push(rootCauseRecommendation(evidence.failedStep));
  const unhealthy = names((s) => !isHealthy(s));
  if (unhealthy) recs.push(`Inspect pods and events of the unhealthy services: ${unhealthy}.`);
  const restarting = names((s) => s.restarts > 0);
  if (restarting) recs.push(`Check logs of restarted containers (kubectl logs --previous): ${restarting}.`);
  if (evidence.latency.some((m) => m.overTarget === true)) {
    recs.push('Compare latencies against the baseline and check node capacity, image pulls and probe settings.');
  }
  const noProbe = names((s) => s.readinessProbe === 'missing');
  if (noProbe) recs.push(`Add readiness probes: ${noProbe}.`);
  if (recs.length === 0 && verdict === VerdictLevel.Pass) {
    recs.push('No action needed; keep this run as a baseline for future comparisons.');
  }
  return recs;
}

/** What to do about the failure that ended the run, from its type, service and the service's pods. */
function rootCauseRecommendation(step: NonNullable<Evidence['failedStep']>): string {
  const who = step.service ? `${step.service}` : `the "${step.step}" step`;
  const waiting = step.pods.find((p) => p.waitingReason)?.waitingReason;
  const pods =
    step.pods.length > 0 ? ` (${step.pods.filter((p) => p.ready).length}/${step.pods.length} pods ready)` : '';
  switch (step.type) {
    case 'Unschedulable':
      return `${who} could not be scheduled${pods}: ${waiting ?? step.reason}. Lower its resource requests or add node capacity, then re-run.`;
    case 'ServiceNotReady':
      return `${who} never became Ready${pods}: ${step.reason}. Check its readiness probe, image and warning events (kubectl describe pod), then re-run.`;
    case 'Forbidden':
      return `The worker's credentials lack a permission (${step.reason}). Grant it (see deploy/ for the RBAC kubeproof needs) and re-run.`;
    case 'TotalTimeout':
      return `The run exceeded spec.timeouts.total during "${step.step}". Raise the timeout or find what is slow in that step.`;
    case 'Cancelled':
      return `The run was cancelled during "${step.step}"; nothing was concluded about the cluster. Re-run to validate it.`;
    default:
      return `Fix the cause of the failed step "${step.step}"${step.service ? ` (service ${step.service})` : ''}: ${step.reason}. Then re-run.`;
  }
}
