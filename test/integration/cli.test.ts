/**
 * The `kubeproof` command end to end: spawned as a user would run it, against the local stack (Temporal dev server
 * and the simulated cluster from .stack/env). Asserts exit codes, output, and what runs leave behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertExit, assertNoStackTrace, kubeproof } from '../helpers/cli';
import { leftovers } from '../helpers/cluster';
import { repoRoot, stack, uniqueTaskQueue } from '../helpers/env';
import { temporalClient } from '../helpers/worker';
import { parseXml } from '../unit/cli/xml';
import { ledgerWorkflowId } from '../../src/run/ledger';
import type { ValidationResult } from '../../src/run/contracts';

let dir: string;
before(() => {
  // Fail loudly when the stack is not there, rather than passing vacuously.
  void stack.temporalAddress;
  void stack.kubeconfig;
  dir = mkdtempSync(join(tmpdir(), 'kubeproof-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('kubeproof without a run', () => {
  it('prints help listing every command and exits 0', async () => {
    const result = await kubeproof(['--help']);
    assertExit(result, 0);
    for (const command of ['run', 'status', 'watch', 'cancel', 'list', 'report', 'scenarios', 'worker']) {
      assert.ok(result.stdout.includes(`  ${command} `), `help lists ${command}`);
    }
  });

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const result = await kubeproof(['--version']);
    assertExit(result, 0);
    assert.equal(result.stdout.trim(), version);
  });

  it('lists both built-in scenarios with their services', async () => {
    const result = await kubeproof(['scenarios', 'list']);
    assertExit(result, 0);
    assert.ok(result.stdout.includes('web-app-stack'));
    assert.ok(result.stdout.includes('microservices-stack'));
    assert.ok(result.stdout.includes('services: frontend, backend, database, cache'));
  });

  it('validates a good scenario file, counting services and waves', async () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: kubeproof.dev/v1',
        'kind: Scenario',
        'metadata: { name: demo }',
        'spec:',
        '  services:',
        '    - { name: web, image: "nginx:1.27", replicas: 2, ports: [{ port: 80 }], dependsOn: [{ service: db }] }',
        '    - { name: db, image: "postgres:16", replicas: 1, ports: [{ port: 5432 }] }',
        '',
      ].join('\n'),
    );
    const result = await kubeproof(['scenarios', 'validate', file]);
    assertExit(result, 0);
    assert.match(result.stdout, /^valid: 2 services in 2 waves/);
  });

  it('refuses an invalid scenario file with exit 2, naming the file, without contacting Temporal', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: kubeproof.dev/v1\nkind: Scenario\nmetadata: { name: bad }\nspec:\n  services: []\n',
    );
    // An unreachable Temporal would be exit 3: exit 2 shows the scenario was refused before anything started.
    const unreachable = { TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const validate = await kubeproof(['scenarios', 'validate', file], unreachable);
    assertExit(validate, 2);
    assert.ok(validate.stderr.includes(file), `stderr names the file: ${validate.stderr}`);
    assertNoStackTrace(validate);
    const run = await kubeproof(['run', file], unreachable);
    assertExit(run, 2);
    assert.ok(run.stderr.includes(file));
  });

  it('refuses an unknown scenario with exit 2 and lists the built-ins', async () => {
    const result = await kubeproof(['run', 'nonexistent-scenario']);
    assertExit(result, 2);
    assert.ok(result.stderr.includes('unknown scenario "nonexistent-scenario"'));
    assert.ok(result.stderr.includes('web-app-stack'));
    assertNoStackTrace(result);
  });

  it('refuses bad flags with exit 2 and names the flag', async () => {
    const samples = await kubeproof(['run', 'web-app-stack', '--samples', 'many']);
    assertExit(samples, 2);
    assert.ok(samples.stderr.includes('--samples'));
    const ai = await kubeproof(['run', 'web-app-stack', '--ai', 'maybe']);
    assertExit(ai, 2);
    assert.ok(ai.stderr.includes('--ai'));
    const format = await kubeproof(['report', 'any-id', '--format', 'pdf']);
    assertExit(format, 2);
    assert.ok(format.stderr.includes('--format'));
  });

  it('exits 3 with one sentence and no stack trace when Temporal is unreachable', async () => {
    const result = await kubeproof(['run', 'web-app-stack'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    assertExit(result, 3);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${result.stderr}`);
    assert.ok(lines[0]!.includes('cannot reach Temporal at 127.0.0.1:1'));
    assert.ok(lines[0]!.includes('npm run stack:up'));
    assertNoStackTrace(result);
  });

  it('exits 3 when the cluster in the kubeconfig is unreachable, before starting a run', async () => {
    const kubeconfig = join(dir, 'unreachable-kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: nowhere, cluster: { server: "https://127.0.0.1:1" } }]',
        'users: [{ name: nobody, user: { token: x } }]',
        'contexts: [{ name: nowhere, context: { cluster: nowhere, user: nobody } }]',
        'current-context: nowhere',
        '',
      ].join('\n'),
    );
    const result = await kubeproof(['run', 'web-app-stack', '--embedded-worker', '--kubeconfig', kubeconfig], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    assertExit(result, 3);
    assert.ok(result.stderr.includes('cannot reach the Kubernetes API at https://127.0.0.1:1'), result.stderr);
    assertNoStackTrace(result);
  });

  it('exits 2 for a run id that does not exist', async () => {
    const result = await kubeproof(['status', 'unknown-id']);
    assertExit(result, 2);
    assert.ok(result.stderr.includes('no run with id unknown-id in namespace'));
    assert.ok(result.stderr.includes('kubeproof list'));
    assertNoStackTrace(result);
  });
});

/** Terminates runs a test started but no worker will finish; a closed one is left as it is. */
async function terminate(workflowIds: string[]): Promise<void> {
  const { client, close } = await temporalClient();
  try {
    for (const id of workflowIds) {
      await client.workflow
        .getHandle(id)
        .terminate('kubeproof CLI test cleanup')
        .catch(() => undefined);
    }
  } finally {
    await close();
  }
}

describe('kubeproof run with an embedded worker', () => {
  let result: ValidationResult;
  // A cluster name of its own: the run's baseline ledger then belongs to this test (and its task queue) alone.
  const clusterName = `cli-test-${uniqueTaskQueue('c').slice(2)}`;

  // The ledger workflow lives on the test's task queue, which no worker polls once the run's CLI has exited.
  after(() => terminate([ledgerWorkflowId(clusterName, 'web-app-stack')]));

  it('validates web-app-stack on the local cluster, passes, and leaves nothing behind', async () => {
    const run = await kubeproof(
      [
        'run',
        'web-app-stack',
        '--embedded-worker',
        '--samples',
        '1',
        '--task-queue',
        uniqueTaskQueue('cli-run'),
        '--cluster-name',
        clusterName,
        '--json',
      ],
      {},
      180_000,
    );
    assertExit(run, 0);
    result = JSON.parse(run.stdout) as ValidationResult;
    assert.ok(['pass', 'warn'].includes(result.verdict), `verdict ${result.verdict}`);
    assert.equal(result.cluster, clusterName);
    assert.deepEqual(result.cleanup?.left, []);
    assert.deepEqual(
      result.steps.map((s) => `${s.name}:${s.status}`),
      ['preflight:ok', 'deploy:ok', 'health:ok', 'ai:ok', 'baseline:ok', 'cleanup:ok'],
    );
    assert.deepEqual(await leftovers(result.workflowId), []);
  });

  it('renders the finished run as JUnit XML with a testcase per step, service and check', async (t) => {
    if (!result) return t.skip('the run above failed');
    const report = await kubeproof(['report', result.workflowId, '--format', 'junit']);
    assertExit(report, 0);
    parseXml(report.stdout);
    assert.ok(report.stdout.includes('<testsuite name="kubeproof web-app-stack"'));
    assert.ok(result.checks.length >= 13, `the run ran every readiness check (${result.checks.length})`);
    assert.equal(report.stdout.split('<testcase ').length - 1, 6 + 4 + result.checks.length);
    assert.equal(report.stdout.split('classname="checks"').length - 1, result.checks.length);
    const failedChecks = result.checks.filter((c) => c.status === 'fail').length;
    assert.equal(report.stdout.split('<failure').length - 1, failedChecks);
  });

  it('writes a Markdown report to a file with -o', async (t) => {
    if (!result) return t.skip('the run above failed');
    const file = join(dir, 'report.md');
    const report = await kubeproof(['report', result.workflowId, '--format', 'md', '-o', file]);
    assertExit(report, 0);
    assert.ok(readFileSync(file, 'utf8').includes('kubeproof `web-app-stack`'));
  });

  it('renders a self-contained HTML report with the pod-readiness plot', async (t) => {
    if (!result) return t.skip('the run above failed');
    const file = join(dir, 'report.html');
    const report = await kubeproof(['report', result.workflowId, '--format', 'html', '-o', file]);
    assertExit(report, 0);
    const html = readFileSync(file, 'utf8');
    assert.ok(html.startsWith('<!doctype html>'));
    assert.ok(html.includes('data-plot="pod-ready-histogram"'), 'the latency distribution is plotted');
    assert.ok(html.includes('data-plot="baseline-trend"'), 'the baseline trend is plotted');
    assert.ok(!/<script|src="http/.test(html), 'no script and no external asset');
  });

  it('shows the completed run in status and in list', async (t) => {
    if (!result) return t.skip('the run above failed');
    const status = await kubeproof(['status', result.workflowId, '--json']);
    assertExit(status, 0);
    const parsed = JSON.parse(status.stdout) as { status: string; result: ValidationResult };
    assert.equal(parsed.status, 'COMPLETED');
    assert.equal(parsed.result.runId, result.runId);

    // Visibility lags the run by a moment.
    let ids: string[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const list = await kubeproof(['list', '--scenario', 'web-app-stack', '--cluster-name', clusterName, '--json']);
      assertExit(list, 0);
      ids = (JSON.parse(list.stdout) as { workflowId: string }[]).map((r) => r.workflowId);
      if (ids.includes(result.workflowId)) break;
      await sleep(1000);
    }
    assert.deepEqual(ids, [result.workflowId], 'list shows the run and nothing of other clusters');
  });
});

describe('kubeproof run --no-wait and cancel', () => {
  let workflowId: string | undefined;

  // No worker polls the test's task queue, so the cancellation can never complete: terminate the run.
  after(() => terminate(workflowId ? [workflowId] : []));

  it('prints the workflow id as JSON, reports the run as running, and requests its cancellation', async () => {
    const taskQueue = uniqueTaskQueue('cli-nowait');
    const run = await kubeproof(['run', 'web-app-stack', '--no-wait', '--json', '--task-queue', taskQueue]);
    assertExit(run, 0);
    workflowId = (JSON.parse(run.stdout) as { workflowId: string }).workflowId;
    assert.match(workflowId, /^kubeproof\/.+\/web-app-stack\//);

    const status = await kubeproof(['status', workflowId, '--json']);
    assertExit(status, 0);
    const parsed = JSON.parse(status.stdout) as { status: string; taskQueue: string; progress: unknown };
    assert.equal(parsed.status, 'RUNNING');
    assert.equal(parsed.taskQueue, taskQueue);

    const report = await kubeproof(['report', workflowId]);
    assertExit(report, 2);
    assert.ok(report.stderr.includes('still running'));

    const cancel = await kubeproof(['cancel', workflowId, '--no-wait']);
    assertExit(cancel, 0);
    assert.ok(cancel.stdout.includes('cancellation of'));

    const { client, close } = await temporalClient();
    try {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      assert.ok(
        history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes),
        'a cancel request in the history',
      );
    } finally {
      await close();
    }
  });
});
