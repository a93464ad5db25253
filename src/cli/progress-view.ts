/**
 * How a run's progress is shown while the CLI waits: a block redrawn in place on a terminal, or one plain line
 * per change elsewhere (CI logs). Pure: Progress in, lines out.
 */
import { StepName, type Progress } from '../workflows/types';
import { humanDuration, oneLine } from './format';

const stepNotes: Partial<Record<Progress['step'], string>> = {
  compensating: 'undoing what the run created',
  done: 'finished',
  failed: 'failed; cleanup done',
};

/** Lines describing what changed between two progress snapshots (all of it when there is no previous one). */
export function progressChanges(prev: Progress | undefined, next: Progress): string[] {
  const lines: string[] = [];
  const tag = `[${next.step}]`;
  if (prev?.step !== next.step) lines.push(`${tag} ${stepNotes[next.step] ?? 'step started'}`);
  if (next.namespace && prev?.namespace !== next.namespace) lines.push(`${tag} namespace ${next.namespace}`);
  for (const [service, state] of Object.entries(next.services)) {
    const before = prev?.services[service];
    if (before === state || (before === undefined && state === 'pending')) continue;
    lines.push(`${tag} ${service}: ${state}`);
  }
  return lines;
}

function stepLine(step: Progress['step'], skipped: readonly StepName[]): string {
  const current = (StepName as readonly string[]).indexOf(step);
  if (current < 0) return `${step}: ${stepNotes[step] ?? ''}`.trimEnd();
  const mark = (name: StepName, i: number) =>
    skipped.includes(name) ? '-' : i < current ? 'x' : i === current ? '>' : ' ';
  return StepName.map((name, i) => `[${mark(name, i)}] ${name}`).join('  ');
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
    `  ${stepLine(p.step, opts.skipped ?? [])}`,
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
