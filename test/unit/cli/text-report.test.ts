import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../../src/cli/report/markdown';
import { stepRows } from '../../../src/cli/report/model';
import { renderText } from '../../../src/cli/report/text';
import { failedRun, passedRun } from './fixtures';

const lineWith = (text: string, ...parts: string[]): string | undefined =>
  text.split('\n').find((line) => parts.every((p) => line.includes(p)));

describe('renderText', () => {
  it('leads with the verdict and says the AI verdict came from the rules, and why', () => {
    const text = renderText(passedRun());
    assert.equal(text.split('\n')[0], 'kubeproof web-app-stack on local: PASS');
    assert.ok(lineWith(text, 'AI verdict: pass from rules', 'fallback: no AI provider configured'));
  });

  it('names the model and no fallback when an LLM judged the run', () => {
    const run = passedRun();
    const text = renderText({
      ...run,
      ai: {
        source: 'llm',
        explainsFailure: false,
        verdict: { ...run.ai!.verdict, provenance: { source: 'llm', model: 'gpt-x', latencyMs: 5, attempts: 1 } },
      },
    });
    assert.ok(lineWith(text, 'AI verdict: pass from llm (gpt-x)'));
    assert.ok(!text.includes('fallback'));
  });

  it('shows every step with its status and a human-readable duration', () => {
    const text = renderText(passedRun());
    assert.ok(lineWith(text, 'deploy', 'ok', '12.3s'));
    assert.ok(lineWith(text, 'ai', 'ok', '57ms'));
    assert.ok(lineWith(text, 'cleanup', 'ok', '4.1s'));
  });

  it('shows ready/desired, endpoints, restarts and warnings per service, with problems spelled out', () => {
    const text = renderText(failedRun('CrashLoopBackOff'));
    assert.ok(lineWith(text, 'frontend', '2/2', '2 ready', 'ok'));
    assert.ok(lineWith(text, 'database', '0/1', '0 ready, 1 not ready', '7', '1', 'FAILED'));
    assert.ok(lineWith(text, 'problem: CrashLoopBackOff'));
    assert.ok(lineWith(text, 'warning: BackOff (x4) on Pod/database-0'));
  });

  it('lists a control-plane notice as not counted, with why, and leaves the WARNINGS column at 0', () => {
    const run = passedRun();
    const frontend = run.health?.services[0];
    assert.ok(frontend);
    frontend.controlPlaneNotices = [
      {
        object: 'Service/frontend',
        reason: 'ClusterIPNotAllocated',
        message: 'Cluster IP [IPv4]: 10.96.0.7 is not allocated; repairing',
        count: 1,
        why: 'the repair loop raced the Service',
      },
    ];
    const text = renderText(run);
    assert.ok(lineWith(text, 'frontend', '2/2', '2 ready', '0', '0', 'ok'));
    assert.ok(
      lineWith(text, 'not counted: ClusterIPNotAllocated on Service/frontend', 'the repair loop raced the Service'),
    );
  });

  it('summarises the baseline as p50/p95/p99 per metric with its grade and target', () => {
    const text = renderText(passedRun());
    assert.ok(lineWith(text, 'Baseline: Good'));
    assert.ok(lineWith(text, 'podReady', '1.2s', '2.5s', '2.9s', '30.0s', 'Excellent'));
    assert.ok(lineWith(text, 'apiRoundTrip', '7ms', '12ms', '15ms', '500ms', 'Good'));
  });

  it('counts what cleanup deleted and lists what it left', () => {
    assert.ok(lineWith(renderText(passedRun()), 'Cleanup: deleted 2 objects', 'nothing left'));
    const leaky = passedRun({ cleanup: { deleted: [], left: ['Namespace/kp-1'], durationMs: 1 } });
    assert.ok(lineWith(renderText(leaky), '1 object LEFT: Namespace/kp-1'));
  });

  it('names the failed step, service and message, and marks the steps that never ran as skipped', () => {
    const text = renderText(failedRun('CrashLoopBackOff'));
    assert.equal(text.split('\n')[0], 'kubeproof web-app-stack on local: FAIL');
    assert.ok(
      lineWith(text, 'Failure: health step, service database (HealthCheckFailed): service database: CrashLoopBackOff'),
    );
    assert.ok(lineWith(text, 'baseline', 'skipped', 'not run: the health step failed'));
    assert.ok(!text.includes('AI verdict'));
    assert.ok(!text.includes('Baseline:'));
  });
});

describe('stepRows', () => {
  it('shows the cleanup of a failed run as the step it ran as, and the AI explanation after it', () => {
    const run = failedRun();
    assert.equal(stepRows(run).find((s) => s.name === 'cleanup')!.status, 'ok');
    const broken = stepRows({
      ...run,
      steps: [
        ...run.steps.filter((s) => s.name !== 'cleanup'),
        {
          name: 'cleanup',
          status: 'failed',
          startedAt: 0,
          durationMs: 5,
          error: 'undo steps failed: delete run namespace (forbidden)',
        },
      ],
    });
    assert.equal(broken.find((s) => s.name === 'cleanup')!.status, 'failed');
    assert.match(broken.find((s) => s.name === 'cleanup')!.message!, /delete run namespace \(forbidden\)/);
    const explained = stepRows({ ...run, ai: { ...passedRun().ai!, explainsFailure: true } });
    assert.match(explained.find((s) => s.name === 'ai')!.message!, /explained the failure after cleanup/);
  });

  it('marks a baseline that was skipped on purpose as skipped without blaming a failure', () => {
    const run = passedRun({ steps: passedRun().steps.filter((s) => s.name !== 'baseline') });
    const { baseline: _b, ...withoutBaseline } = run;
    assert.deepEqual(
      stepRows(withoutBaseline).find((s) => s.name === 'baseline'),
      {
        name: 'baseline',
        status: 'skipped',
        message: 'baseline skipped',
      },
    );
  });
});

describe('renderMarkdown', () => {
  it('renders tables whose cells cannot break the table and links the run in the Web UI', () => {
    const md = renderMarkdown(failedRun('bad | pipe\nnext line'), { link: 'http://ui/x' });
    assert.ok(md.startsWith('## ❌ kubeproof `web-app-stack` on `local`: **FAIL**'));
    assert.ok(md.includes('[history in the Temporal Web UI](http://ui/x)'));
    const row = md.split('\n').find((line) => line.startsWith('| database'))!;
    assert.ok(row.includes('bad \\| pipe next line'));
    assert.equal(row.split(' | ').length, 7);
    assert.ok(md.includes('| health | FAILED | 1.2s |'));
  });

  it('includes the baseline table and cleanup of a passed run', () => {
    const md = renderMarkdown(passedRun());
    assert.ok(md.includes('### Baseline: Good'));
    assert.ok(md.includes('| podReady | 5 | 1.2s | 2.5s | 2.9s | 30.0s | Excellent |'));
    assert.ok(md.includes('Deleted 2 objects in 4.0s; nothing left.'));
  });
});
