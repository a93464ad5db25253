/** `kubeproof list`: recent runs from Temporal visibility, filtered by kubeproof's search attributes. */
import { Option, type Command } from 'commander';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { SearchAttr } from '../../search-attributes';
import type { RunVerdict } from '../../run/contracts';
import { ExitCode } from '../exit';
import { humanDuration, table } from '../format';
import { commandConfig, out, printJson } from '../output';
import { withTemporal } from '../temporal';

const Verdicts = ['pass', 'warn', 'fail'] as const satisfies readonly RunVerdict[];

/** Filter values go into a visibility query between quotes, so quotes and backslashes are refused. */
const filterValue = z
  .string()
  .min(1)
  .regex(/^[^'"\\]+$/, { error: 'must not contain quotes or backslashes' });

const ListFlags = z.object({
  scenario: filterValue.optional(),
  clusterName: filterValue.optional(),
  verdict: z.enum(Verdicts).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' })),
  json: z.boolean().default(false),
});
type ListFlags = z.output<typeof ListFlags>;

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list recent runs, newest first')
    .option('--scenario <name>', 'only runs of this scenario')
    .option('--cluster-name <name>', 'only runs on this cluster')
    .addOption(new Option('--verdict <verdict>', 'only runs with this verdict').choices(Verdicts))
    .option('--limit <n>', 'most runs to show', '20')
    .option('--json', 'print the runs as JSON')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await list(command);
    });
}

export function visibilityQuery(flags: Pick<ListFlags, 'scenario' | 'clusterName' | 'verdict'>): string {
  const clauses = [`WorkflowType = 'validateScenario'`];
  if (flags.scenario) clauses.push(`${SearchAttr.Scenario.name} = '${flags.scenario}'`);
  if (flags.clusterName) clauses.push(`${SearchAttr.Cluster.name} = '${flags.clusterName}'`);
  if (flags.verdict) clauses.push(`${SearchAttr.Verdict.name} = '${flags.verdict}'`);
  return clauses.join(' AND ');
}

interface RunRow {
  workflowId: string;
  runId: string;
  status: string;
  scenario: string | null;
  cluster: string | null;
  verdict: string | null;
  grade: string | null;
  startTime: string;
  closeTime: string | null;
  durationMs: number;
}

function toRow(info: WorkflowExecutionInfo): RunRow {
  const attr = (key: (typeof SearchAttr)[keyof typeof SearchAttr]) => info.typedSearchAttributes.get(key) ?? null;
  const end = info.closeTime ?? new Date();
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    status: info.status.name,
    scenario: attr(SearchAttr.Scenario),
    cluster: attr(SearchAttr.Cluster),
    verdict: attr(SearchAttr.Verdict),
    grade: attr(SearchAttr.Grade),
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    durationMs: end.getTime() - info.startTime.getTime(),
  };
}

async function list(command: Command): Promise<ExitCode> {
  const { flags, cfg } = commandConfig(command, ListFlags);
  const query = visibilityQuery(flags);
  const rows = await withTemporal(cfg, async (client) => {
    const found: RunRow[] = [];
    for await (const info of client.workflow.list({ query, pageSize: Math.min(flags.limit, 100) })) {
      found.push(toRow(info));
      if (found.length >= flags.limit) break;
    }
    return found;
  });
  if (flags.json) {
    printJson(rows);
    return ExitCode.Ok;
  }
  if (rows.length === 0) {
    out(`no runs match (${query}) in namespace ${cfg.namespace}`);
    return ExitCode.Ok;
  }
  out(
    table([
      ['WORKFLOW ID', 'STATUS', 'VERDICT', 'GRADE', 'SCENARIO', 'CLUSTER', 'STARTED', 'DURATION'],
      ...rows.map((r) => [
        r.workflowId,
        r.status,
        r.verdict ?? '-',
        r.grade ?? '-',
        r.scenario ?? '-',
        r.cluster ?? '-',
        r.startTime.replace(/\.\d+Z$/, 'Z'),
        humanDuration(r.durationMs),
      ]),
    ]),
  );
  return ExitCode.Ok;
}
