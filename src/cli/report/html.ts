/**
 * A self-contained HTML report: one file, inline CSS and SVG, no script and no external asset, so it can be
 * attached to a CI run or mailed. Pure: the ledger entries (for the trend) are passed in.
 */
import type { LedgerEntry } from '../../run/ledger';
import type { ValidationResult } from '../../run/contracts';
import { serviceRows, statusWord, stepRows } from './model';
import { baselineContext, monitoringLines, seriesRows } from './sections';
import { esc, latencyHistogram, trendChart } from './svg';

const css = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #d0d7de}.pass,.ok{color:#1a7f37}
.warn{color:#9a6700}.fail,.failed{color:#cf222e}.skipped{color:#6e7781}.badge{padding:.15rem .6rem;border-radius:1rem;border:1px solid}
svg{width:100%;height:auto}svg text{font-size:11px;fill:#57606a}.grid{stroke:#eaeef2}.bar{fill:#54aeff}
.p95{stroke:#cf222e;fill:#cf222e}.line{fill:none;stroke:#54aeff;stroke-width:2}.dot{fill:#0969da}.current{fill:#cf222e;stroke:#fff;stroke-width:2}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}`;

const ms = (v: number | undefined): string =>
  v === undefined ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;

export function renderHtml(result: ValidationResult, opts: { link?: string; ledger?: LedgerEntry[] } = {}): string {
  const latencies = result.pods.filter((p) => p.readyAt !== undefined).map((p) => p.readyAt! - p.createdAt);
  const podReady = result.baseline?.summaries.find((s) => s.metric === 'podReady');
  const entries = opts.ledger ?? [];
  const trendPoints = entries.map((e) => ({
    label: `${e.at} (${e.grade})`,
    value: e.summaries.find((s) => s.metric === 'podReady')?.p95 ?? 0,
    current: e.runId === result.runId,
  }));
  if (podReady && !trendPoints.some((p) => p.current)) {
    trendPoints.push({ label: `${result.startedAt} (this run)`, value: podReady.p95, current: true });
  }
  const ai = result.ai;
  const section = (title: string, body: string) => `<h2>${esc(title)}</h2>${body}`;
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kubeproof ${esc(result.scenario)} on ${esc(result.cluster)}: ${esc(result.verdict)}</title>
<style>${css}</style></head><body>
<h1>kubeproof: ${esc(result.scenario)} on ${esc(result.cluster)} <span class="badge ${esc(result.verdict)}">${esc(result.verdict.toUpperCase())}</span></h1>
<p>Run <code>${esc(result.workflowId)}</code> · started ${esc(result.startedAt)} · ${ms(result.durationMs)}${opts.link ? ` · <a href="${esc(opts.link)}">open in the Temporal Web UI</a>` : ''}</p>
${result.failure ? `<p class="fail"><strong>${esc(result.failure.step)} step failed${result.failure.service ? ` (service ${esc(result.failure.service)})` : ''}:</strong> ${esc(result.failure.message)}</p>` : ''}
${section(
  'Steps',
  table(
    ['step', 'status', 'duration', 'detail'],
    stepRows(result).map((s) => [
      esc(s.name),
      `<span class="${s.status}">${statusWord[s.status]}</span>`,
      ms(s.durationMs),
      esc(s.message ?? ''),
    ]),
  ),
)}
${section(
  'Services',
  table(
    ['service', 'status', 'ready', 'endpoints', 'restarts', 'warnings', 'detail'],
    serviceRows(result).map((s) => [
      esc(s.name),
      `<span class="${s.status}">${statusWord[s.status]}</span>`,
      s.health ? `${s.health.readyReplicas}/${s.health.desiredReplicas}` : '—',
      s.health ? String(s.health.endpoints.ready) : '—',
      s.health ? String(s.health.restarts) : '—',
      s.health ? String(s.health.warningEvents.length) : '—',
      esc(s.message ?? s.health?.problems.join('; ') ?? ''),
    ]),
  ),
)}
${ai ? section('AI verdict', `<p><span class="badge ${esc(ai.verdict.verdict)}">${esc(ai.verdict.verdict)}</span> from <strong>${esc(ai.source)}</strong>${ai.verdict.provenance.model ? ` (${esc(ai.verdict.provenance.model)})` : ''}${ai.fallbackReason ? ` — fallback: ${esc(ai.fallbackReason)}` : ''}</p><p>${esc(ai.verdict.summary)}</p><ul>${ai.verdict.findings.map((f) => `<li class="${f.severity === 'critical' ? 'fail' : f.severity === 'warning' ? 'warn' : ''}">${esc(f.severity)}${f.service ? ` · ${esc(f.service)}` : ''}: ${esc(f.message)}</li>`).join('')}</ul>`) : ''}
${
  result.checks.length > 0
    ? section(
        'Checks',
        table(
          ['check', 'status', 'duration', 'reason'],
          result.checks.map((c) => [
            `${esc(c.id)}<br><small>${esc(c.title)}</small>`,
            `<span class="${esc(c.status)}">${esc(c.status)}</span>`,
            ms(c.durationMs),
            esc(c.reason),
          ]),
        ),
      )
    : ''
}
${
  monitoringLines(result).length > 0
    ? section(
        "Monitoring evidence (the cluster's Prometheus)",
        `<ul>${monitoringLines(result)
          .map((x) => `<li>${esc(x)}</li>`)
          .join('')}</ul>`,
      )
    : ''
}
${section('Pod readiness', latencyHistogram(latencies, podReady?.p95))}
${
  result.baseline
    ? section(
        `Baseline (grade ${result.baseline.overall})`,
        `<ul>${baselineContext(result.baseline)
          .map((x) => `<li>${esc(x)}</li>`)
          .join('')}</ul>` +
          table(
            ['metric', 'n', 'median', 'p95', 'p99', 'grade', 'vs history'],
            result.baseline.summaries.map((s) => {
              const g = result.baseline!.grades.find((x) => x.metric === s.metric);
              const r = result.baseline!.regressions.find((x) => x.metric === s.metric);
              return [
                esc(s.metric),
                String(s.n),
                ms(s.median),
                ms(s.p95),
                ms(s.p99),
                esc(g?.grade ?? ''),
                `<span class="${r?.outcome === 'regressed' ? 'fail' : ''}" title="${esc(r?.reason ?? '')}">${esc(r?.outcome ?? '')}</span>`,
              ];
            }),
          ) +
          (seriesRows(result.baseline).length > 0
            ? table(
                ['check figure', 'this run', 'history median', 'vs history'],
                seriesRows(result.baseline).map((x) => [
                  esc(x.name),
                  esc(x.value),
                  esc(x.history),
                  `<span class="${x.outcome === 'regressed' ? 'fail' : ''}" title="${esc(x.reason)}">${esc(x.outcome)}</span>`,
                ]),
              )
            : '') +
          trendChart('podReady', trendPoints),
      )
    : ''
}
${result.cleanup ? section('Cleanup', `<p>${result.cleanup.deleted.length} objects deleted, <span class="${result.cleanup.left.length ? 'fail' : 'ok'}">${result.cleanup.left.length} left</span>.</p>`) : ''}
</body></html>
`;
}
