/**
 * JUnit XML for CI test tabs: one testsuite per run, a testcase per step (classname "steps"), per check ("checks") and per service
 * health check (classname "services"). Pure: a function of the result.
 */
import type { ValidationResult } from '../../run/contracts';
import { oneLine } from '../format';
import { serviceRows, stepRows, type RowStatus } from './model';

/** Characters XML 1.0 does not allow at all (control characters other than tab, newline, carriage return). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const invalidXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML attribute values and element content. */
export function xmlEscape(text: string): string {
  return text
    .replace(invalidXmlChars, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

interface Case {
  classname: 'steps' | 'services' | 'checks';
  name: string;
  status: RowStatus;
  durationMs?: number | undefined;
  message?: string | undefined;
  details?: string | undefined;
}

function testcase(c: Case): string {
  const open = `    <testcase classname="${c.classname}" name="${xmlEscape(c.name)}" time="${seconds(c.durationMs)}"`;
  if (c.status === 'ok') return `${open}/>`;
  const inner =
    c.status === 'failed'
      ? `<failure message="${xmlEscape(oneLine(c.message ?? 'failed'))}">${xmlEscape(c.details ?? c.message ?? '')}</failure>`
      : c.message
        ? `<skipped message="${xmlEscape(oneLine(c.message))}"/>`
        : '<skipped/>';
  return `${open}>\n      ${inner}\n    </testcase>`;
}

export function renderJunit(r: ValidationResult): string {
  const cases: Case[] = [
    ...stepRows(r).map((s) => ({ classname: 'steps' as const, ...s })),
    ...serviceRows(r).map((s) => {
      const h = s.health;
      const details = h
        ? [
            `ready ${h.readyReplicas}/${h.desiredReplicas}, endpoints ${h.endpoints.ready} ready / ${h.endpoints.notReady} not ready, restarts ${h.restarts}`,
            ...h.problems,
            ...h.warningEvents.map((w) => `warning ${w.reason} (x${w.count}) on ${w.object}: ${w.message}`),
            ...(h.controlPlaneNotices ?? []).map(
              (n) => `not counted: ${n.reason} on ${n.object}: ${n.message} (${n.why})`,
            ),
          ].join('\n')
        : undefined;
      return { classname: 'services' as const, name: s.name, status: s.status, message: s.message, details };
    }),
    // One testcase per readiness or monitoring check; a warning passes (JUnit has no warning) with its reason kept.
    ...r.checks.map(
      (c): Case => ({
        classname: 'checks',
        name: c.id,
        status: c.status === 'fail' ? 'failed' : c.status === 'skipped' ? 'skipped' : 'ok',
        durationMs: c.durationMs,
        message: c.reason,
        details: `${c.status}: ${c.reason}\n${JSON.stringify(c.evidence)}`,
      }),
    ),
  ];
  const failures = cases.filter((c) => c.status === 'failed').length;
  const skipped = cases.filter((c) => c.status === 'skipped').length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(r.durationMs)}"`;
  const properties = [
    ['workflowId', r.workflowId],
    ['runId', r.runId],
    ['cluster', r.cluster],
    ['namespace', r.namespace],
    ['verdict', r.verdict],
    ...(r.ai ? [['aiSource', r.ai.source]] : []),
    ...(r.baseline ? [['baselineGrade', r.baseline.overall]] : []),
  ].map(([name, value]) => `      <property name="${xmlEscape(name ?? '')}" value="${xmlEscape(value ?? '')}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kubeproof" ${counts}>`,
    `  <testsuite name="${xmlEscape(`kubeproof ${r.scenario}`)}" ${counts} timestamp="${xmlEscape(r.startedAt)}">`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
