/** The plain-text report printed at the end of `run`, `watch` and `status`. Pure: a function of the result. */
import { RegressionOutcome } from '../../baseline/regression';
import type { ValidationResult } from '../../run/contracts';
import { humanDuration, oneLine, plural, table } from '../format';
import { serviceRows, statusWord, stepRows } from './model';
import { baselineContext, monitoringLines, seriesRows } from './sections';

function header(r: ValidationResult): string[] {
  return [
    `kubeproof ${r.scenario} on ${r.cluster}: ${r.verdict.toUpperCase()}`,
    table([
      ['  run', `${r.workflowId} (run ${r.runId})`],
      ['  namespace', r.namespace || '-'],
      ['  started', `${r.startedAt}, took ${humanDuration(r.durationMs)}`],
      ['  waves', r.waves.map((wave) => wave.join(', ')).join(' → ') || '-'],
    ]),
  ];
}

function ai(r: ValidationResult): string[] {
  if (!r.ai) return [];
  const { verdict } = r.ai;
  const model = verdict.provenance.model ? ` (${verdict.provenance.model})` : '';
  const fallback = r.ai.fallbackReason ? `; fallback: ${oneLine(r.ai.fallbackReason)}` : '';
  const lines = [
    `AI verdict: ${verdict.verdict} from ${r.ai.source}${model}${fallback}, confidence ${Math.round(verdict.confidence * 100)}%`,
  ];
  if (verdict.summary) lines.push(`  ${oneLine(verdict.summary)}`);
  for (const f of verdict.findings)
    lines.push(`  - [${f.severity}] ${f.service ? `${f.service}: ` : ''}${oneLine(f.message)}`);
  if (verdict.recommendations.length > 0) {
    lines.push('  recommendations:', ...verdict.recommendations.map((rec) => `  - ${oneLine(rec)}`));
  }
  return ['', ...lines];
}

function steps(r: ValidationResult): string[] {
  const rows = stepRows(r).map((row) => [
    `  ${row.name}`,
    statusWord[row.status],
    row.status === 'skipped' ? '' : humanDuration(row.durationMs),
    row.status === 'ok' && !row.message?.startsWith('ran as') ? '' : oneLine(row.message ?? ''),
  ]);
  return ['', 'Steps', table(rows)];
}

function services(r: ValidationResult): string[] {
  const rows = serviceRows(r);
  const head = ['  SERVICE', 'READY', 'ENDPOINTS', 'RESTARTS', 'WARNINGS', 'STATUS'];
  const body = rows.map((row) => {
    const h = row.health;
    if (!h) return [`  ${row.name}`, '-', '-', '-', '-', statusWord[row.status]];
    const endpoints = `${h.endpoints.ready} ready${h.endpoints.notReady > 0 ? `, ${h.endpoints.notReady} not ready` : ''}`;
    return [
      `  ${row.name}`,
      `${h.readyReplicas}/${h.desiredReplicas}`,
      endpoints,
      String(h.restarts),
      String(h.warningEvents.length),
      statusWord[row.status],
    ];
  });
  const lines = ['', 'Services', table([head, ...body])];
  for (const row of rows) {
    const details = [
      ...(row.message ? [`problem: ${oneLine(row.message)}`] : []),
      ...(row.health?.warningEvents ?? []).map(
        (w) => `warning: ${w.reason}${w.count > 1 ? ` (x${w.count})` : ''} on ${w.object}: ${oneLine(w.message)}`,
      ),
      ...(row.health?.controlPlaneNotices ?? []).map(
        (n) => `not counted: ${n.reason} on ${n.object}: ${oneLine(n.message)} (${n.why})`,
      ),
    ];
    if (details.length > 0) lines.push(`  ${row.name}:`, ...details.map((d) => `    ${d}`));
  }
  return lines;
}

function baseline(r: ValidationResult): string[] {
  if (!r.baseline) return [];
  const b = r.baseline;
  const head = ['  METRIC', 'N', 'P50', 'P95', 'P99', 'TARGET', 'GRADE'];
  const body = b.summaries.map((s) => {
    const grade = b.grades.find((g) => g.metric === s.metric);
    return [
      `  ${s.metric}`,
      s.failures > 0 ? `${s.n} (+${s.failures} failed)` : String(s.n),
      humanDuration(s.p50),
      humanDuration(s.p95),
      humanDuration(s.p99),
      grade?.target !== undefined ? humanDuration(grade.target) : '-',
      grade?.grade ?? '-',
    ];
  });
  const lines = [
    '',
    `Baseline: ${b.overall}${b.regressed ? ' (regressed)' : ''}`,
    ...baselineContext(b).map((line) => `  ${oneLine(line)}`),
    table([head, ...body]),
  ];
  const notable: string[] = [RegressionOutcome.Regressed, RegressionOutcome.Improved];
  for (const reg of b.regressions.filter((x) => notable.includes(x.outcome))) {
    lines.push(`  ${reg.metric}: ${reg.outcome}: ${oneLine(reg.reason)}`);
  }
  const series = seriesRows(b);
  if (series.length > 0) {
    lines.push(
      '  Check figures vs earlier runs:',
      table([
        ['    FIGURE', 'THIS RUN', 'HISTORY MEDIAN', 'OUTCOME'],
        ...series.map((row) => [`    ${row.name}`, row.value, row.history, row.outcome]),
      ]),
    );
    for (const row of series.filter((x) => notable.includes(x.outcome))) {
      lines.push(`    ${row.name}: ${row.outcome}: ${oneLine(row.reason)}`);
    }
  }
  return lines;
}

function cleanup(r: ValidationResult): string[] {
  if (!r.cleanup) return [];
  const { deleted, left, durationMs } = r.cleanup;
  const leftText = left.length === 0 ? 'nothing left' : `${plural(left.length, 'object')} LEFT: ${left.join(', ')}`;
  return ['', `Cleanup: deleted ${plural(deleted.length, 'object')} in ${humanDuration(durationMs)}, ${leftText}`];
}

function verdictReasons(r: ValidationResult): string[] {
  if (r.verdictReasons.length === 0) return [];
  return ['', 'Why this verdict:', ...r.verdictReasons.map((reason) => `  - ${oneLine(reason)}`)];
}

function checks(r: ValidationResult): string[] {
  if (r.checks.length === 0) return [];
  const width = Math.max(...r.checks.map((c) => c.id.length));
  return [
    '',
    'Checks:',
    ...r.checks.map(
      (c) =>
        `  ${c.id.padEnd(width)}  ${c.status.toUpperCase().padEnd(7)} ${humanDuration(c.durationMs).padStart(6)}  ${oneLine(c.reason)}`,
    ),
  ];
}

function monitoring(r: ValidationResult): string[] {
  const lines = monitoringLines(r);
  if (lines.length === 0) return [];
  return ['', "Monitoring evidence (the cluster's Prometheus):", ...lines.map((line) => `  ${oneLine(line)}`)];
}

function failure(r: ValidationResult): string[] {
  if (!r.failure) return [];
  const f = r.failure;
  return ['', `Failure: ${f.step} step${f.service ? `, service ${f.service}` : ''} (${f.type}): ${oneLine(f.message)}`];
}

export function renderText(result: ValidationResult): string {
  return (
    [
      ...header(result),
      ...ai(result),
      ...steps(result),
      ...services(result),
      ...checks(result),
      ...monitoring(result),
      ...baseline(result),
      ...cleanup(result),
      ...failure(result),
      ...verdictReasons(result),
    ].join('\n') + '\n'
  );
}
