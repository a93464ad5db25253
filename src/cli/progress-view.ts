/**
 * How a run's progress is shown while the CLI waits: a block redrawn in place on a terminal, or one plain line
 * per change elsewhere (CI logs). Pure: Progress in, lines out.
 */
import { STEP_ORDER, type Progress, type StepName } from '../run/contracts';
import { humanDuration, oneLine } from './format';

const stepNotes: Partial<Record<Progress['step'], string>> = {
  compensating: 'undoing what the run created',
  done: 'finished',
};

/**
 * Lines describing what changed between two progress snapshots (all of it when there is no previous one). Steps
 * that started and finished between two polls still appear, from the record's finished steps; service states
 * change only while deploying, so they are labelled with the deploy step.
 */
export function progressChanges(prev: Progress | undefined, next: Progress): string[] {
  const lines: string[] = [];
  if (next.namespace && prev?.namespace !== next.namespace) lines.push(`[deploy] namespace ${next.namespace}`);
  for (const [service, state] of Object.entries(next.services)) {
    const before = prev?.services[service];
    if (before === state || (before === undefined && state === 'pending')) continue;
    lines.push(`[deploy] ${service}: ${state}`);
  }
  const finished = next.steps.slice(prev?.steps.length ?? 0);
  for (const s of finished) {
    const took = s.status === 'skipped' ? 'skipped' : `${s.status} in ${humanDuration(s.durationMs)}`;
    lines.push(`[${s.name}] ${took}${s.error ? `: ${oneLine(s.error)}` : ''}`);
  }
  const alreadyFinished = next.steps.some((s) => s.name === next.step);
  if (prev?.step !== next.step && !alreadyFinished)
    lines.push(`[${next.step}] ${stepNotes[next.step] ?? 'step started'}`);
  return lines;
}

function stepLine(p: Progress, skipped: readonly StepName[]): string {
  // Preflight is shown only in runs that have one.
  const order = STEP_ORDER.filter((s) => s !== 'preflight' || p.step === s || p.steps.some((r) => r.name === s));
  const current = order.indexOf(p.step as StepName);
  if (current < 0) return `${p.step}: ${stepNotes[p.step] ?? ''}`.trimEnd();
  const mark = (name: StepName, i: number) =>
    skipped.includes(name) ? '-' : i < current ? 'x' : i === current ? '>' : ' ';
  return order.map((name, i) => `[${mark(name, i)}] ${name}`).join('  ');
}

export interface BlockOptions {
  /** Steps this run skips (e.g. baseline with --skip-baseline): progress alone cannot tell. */
  skipped?: readonly StepName[];
  /** The local clock: a query answers with the time of the workflow's last task, which stands still between tasks. */
  now?: number;
}

/** The block drawn on a terminal: title, steps, namespace, one line per service. */
export function progressBlock(title: string, p: Progress, opts: BlockOptions = {}): string[] {
  const services = Object.entries(p.services);
  const width = Math.max(0, ...services.map(([name]) => name.length));
  const elapsed = Math.max(p.elapsedMs, (opts.now ?? Date.now()) - p.startedAt);
  return [
    `${title}  ${humanDuration(elapsed)}`,
    `  ${stepLine(p, opts.skipped ?? [])}`,
    ...(p.namespace ? [`  namespace ${p.namespace}`] : []),
    ...services.map(([name, state]) => `    ${name.padEnd(width)}  ${state}`),
  ];
}

/** An activity of the run that failed at least once and is being retried. */
export interface Retrying {
  activity: string;
  attempt: number;
  lastFailure?: string | undefined;
}

/** One warning line per retrying activity: a run that only retries otherwise looks stuck. */
export function retryLines(retrying: readonly Retrying[]): string[] {
  return retrying.map(
    (r) => `  ! ${r.activity} retrying (attempt ${r.attempt})${r.lastFailure ? `: ${oneLine(r.lastFailure)}` : ''}`,
  );
}
