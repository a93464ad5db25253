/** The Markdown report (for pull-request comments and job summaries). Pure: a function of the result. */
import { RegressionOutcome } from '../../baseline/regression';
import type { ValidationResult } from '../../run/contracts';
import { humanDuration, oneLine, plural } from '../format';
import { serviceRows, statusWord, stepRows } from './model';
import { baselineContext, monitoringLines, seriesRows } from './sections';

/** Table cells: one line, pipes and backslashes escaped, HTML-ish characters neutralised. */
export function mdCell(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const mdTable = (head: string[], rows: string[][]): string[] => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => ' --- ').join('|')}|`,
  ...rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
];

const icon: Record<string, string> = { pass: '✅', warn: '⚠️', fail: '❌' };

export function renderMarkdown(r: ValidationResult, opts: { link?: string } = {}): string {
  const out: string[] = [
    `## ${icon[r.verdict] ?? ''} kubeproof \`${r.scenario}\` on \`${r.cluster}\`: **${r.verdict.toUpperCase()}**`,
    '',
    `- Run: \`${r.workflowId}\` (run \`${r.runId}\`)${opts.link ? ` — [history in the Temporal Web UI](${opts.link})` : ''}`,
    `- Namespace: \`${r.namespace || '-'}\``,
    `- Started ${r.startedAt}, took ${humanDuration(r.durationMs)}`,
    `- Deploy waves: ${r.waves.map((w) => w.map((s) => `\`${s}\``).join(', ')).join(' → ')}`,
  ];
  if (r.failure) {
    const f = r.failure;
    out.push(
      '',
      `> **Failure** in the ${f.step} step${f.service ? `, service \`${f.service}\`` : ''} (${f.type}): ${mdCell(f.message)}`,
    );
  }
  if (r.ai) {
    const v = r.ai.verdict;
    const fallback = r.ai.fallbackReason ? ` (fallback: ${mdCell(r.ai.fallbackReason)})` : '';
    out.push(
      '',
      '### AI verdict',
      '',
      `**${v.verdict}** from ${r.ai.source}${fallback}, confidence ${Math.round(v.confidence * 100)}%`,
    );
    if (v.summary) out.push('', mdCell(v.summary));
    if (v.findings.length > 0) {
      out.push(
        '',
        ...v.findings.map((f) => `- **${f.severity}**${f.service ? ` \`${f.service}\`` : ''}: ${mdCell(f.message)}`),
      );
    }
    if (v.recommendations.length > 0)
      out.push('', '**Recommendations**', '', ...v.recommendations.map((x) => `- ${mdCell(x)}`));
  }
  out.push(
    '',
    '### Steps',
    '',
    ...mdTable(
      ['Step', 'Status', 'Duration', 'Notes'],
      stepRows(r).map((s) => [
        s.name,
        statusWord[s.status],
        s.status === 'skipped' ? '' : humanDuration(s.durationMs),
        s.message ?? '',
      ]),
    ),
  );
  out.push(
    '',
    '### Services',
    '',
    ...mdTable(
      ['Service', 'Ready', 'Endpoints', 'Restarts', 'Warnings', 'Status', 'Problems'],
      serviceRows(r).map((s) => {
        const h = s.health;
        return [
          s.name,
          h ? `${h.readyReplicas}/${h.desiredReplicas}` : '-',
          h ? `${h.endpoints.ready} ready, ${h.endpoints.notReady} not ready` : '-',
          h ? String(h.restarts) : '-',
          h ? h.warningEvents.map((w) => `${w.reason} (x${w.count})`).join(', ') || '0' : '-',
          statusWord[s.status],
          s.message ?? '',
        ];
      }),
    ),
  );
  if (r.checks.length > 0) {
    out.push(
      '',
      '### Checks',
      '',
      ...mdTable(
        ['Check', 'Status', 'Duration', 'Reason'],
        r.checks.map((c) => [
          `${c.id} (${c.title})`,
          `${icon[c.status] ?? ''} ${c.status}`.trim(),
          humanDuration(c.durationMs),
          c.reason,
        ]),
      ),
    );
  }
  const monitoring = monitoringLines(r);
  if (monitoring.length > 0) {
    out.push('', "### Monitoring evidence (the cluster's Prometheus)", '', ...monitoring.map((x) => `- ${mdCell(x)}`));
  }
  if (r.baseline) {
    const b = r.baseline;
    out.push(
      '',
      `### Baseline: ${b.overall}${b.regressed ? ' (regressed)' : ''}`,
      '',
      ...baselineContext(b).map((x) => `- ${mdCell(x)}`),
      '',
      ...mdTable(
        ['Metric', 'n', 'p50', 'p95', 'p99', 'Target', 'Grade'],
        b.summaries.map((s) => {
          const g = b.grades.find((x) => x.metric === s.metric);
          return [
            s.metric,
            String(s.n),
            humanDuration(s.p50),
            humanDuration(s.p95),
            humanDuration(s.p99),
            g?.target !== undefined ? humanDuration(g.target) : '-',
            g?.grade ?? '-',
          ];
        }),
      ),
    );
    const notable: string[] = [RegressionOutcome.Regressed, RegressionOutcome.Improved];
    const changes = b.regressions.filter((x) => notable.includes(x.outcome));
    if (changes.length > 0) out.push('', ...changes.map((x) => `- \`${x.metric}\` ${x.outcome}: ${mdCell(x.reason)}`));
    const series = seriesRows(b);
    if (series.length > 0) {
      out.push(
        '',
        '**Check figures vs earlier runs**',
        '',
        ...mdTable(
          ['Figure', 'This run', 'History median', 'Outcome', 'Why'],
          series.map((x) => [x.name, x.value, x.history, x.outcome, x.reason]),
        ),
      );
    }
  }
  if (r.cleanup) {
    const { deleted, left, durationMs } = r.cleanup;
    out.push(
      '',
      '### Cleanup',
      '',
      `Deleted ${plural(deleted.length, 'object')} in ${humanDuration(durationMs)}; ` +
        (left.length === 0
          ? 'nothing left.'
          : `**${plural(left.length, 'object')} left**: ${left.map((x) => `\`${x}\``).join(', ')}`),
    );
  }
  return out.join('\n') + '\n';
}
