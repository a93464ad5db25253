/**
 * The servers a run depends on fail under it: the Temporal dev server killed and restarted on the same SQLite
 * file, Prometheus killed and restarted (every job scraped once stack:up returns), the kube-apiserver killed and
 * restarted mid-deploy, the kube-apiserver frozen while the namespace create
 * is in flight and the run cancelled meanwhile. Each run ends with its record and zero leftovers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { loadScenario } from '../../src/scenarios';
import { loadStackConfig } from '../../scripts/stack/config';
import { readPid, untilDead } from '../../scripts/stack/processes';
import { leftovers } from '../helpers/cluster';
import { repoRoot, uniqueTaskQueue } from '../helpers/env';
import { temporalClient } from '../helpers/worker';
import { killHard, recordReliability, startWorkerProcess, untilActivityRunning } from './helpers';
import { holdNamespaceCreates } from './namespace-hold';

const cfg = loadStackConfig();

/** SIGKILLs a stack component's process group (as recorded by stack:up) and waits until it is dead. */
async function killComponent(name: string): Promise<void> {
  const pid = readPid(cfg, name);
  assert.ok(pid, `${name} is running`);
  process.kill(-pid, 'SIGKILL');
  assert.ok(await untilDead(pid, 10_000), `${name} (pid ${pid}) died of SIGKILL within 10 s`);
}

/** stack:up is idempotent: it restarts exactly the components that are down, on the same data. */
function restartStack(): void {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/stack/up.ts'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
  } catch (error) {
    // stack:up logs to stderr; its last lines say which component did not come back and why.
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const output = `${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`stack:up failed:\n${output}`, { cause: error });
  }
}

/** A web-app-stack run whose pods take 4 s to get Ready, so a fault lands while it deploys. */
function startSlowRun(client: Client, taskQueue: string) {
  const scenario = loadScenario('web-app-stack');
  for (const svc of scenario.spec.services) svc.podAnnotations = { 'kubeproof.dev/ready-delay': '4s' };
  // The readiness checks are not what this suite is about; they have tests of their own.
  scenario.spec.checks = [];
  return startValidation(client, { scenario, clusterName: 'local-kwok', ai: 'off', taskQueue, skipBaseline: true });
}

describe('fault injection: servers', () => {
  it(
    'finishes the run when the Temporal server is killed and restarted on the same database mid-run',
    { timeout: 300_000 },
    async () => {
      const taskQueue = uniqueTaskQueue('fault-temporal');
      let worker = startWorkerProcess(taskQueue);
      const { client, close } = await temporalClient();
      try {
        const handle = await startSlowRun(client, taskQueue);
        await untilActivityRunning(handle, 'deployWave');
        await killComponent('temporal');
        await sleep(1000);
        restartStack();
        // The worker reconnects by itself; one that gave up is replaced, as a supervisor would.
        if (worker.exitCode !== null) worker = startWorkerProcess(taskQueue);
        const { client: fresh, close: closeFresh } = await temporalClient();
        try {
          const outcome = await outcomeOf(fresh.workflow.getHandle(handle.workflowId));
          assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
          const left = await leftovers(handle.workflowId);
          assert.deepEqual(left, []);
          recordReliability({
            case: 'Temporal dev server killed and restarted mid-run',
            injected:
              'SIGKILL of the temporal process group during deploy; stack:up restarts it on the same SQLite file',
            outcome: `completed, verdict ${outcome.result.verdict}, cleanup verified`,
            leftovers: left.length,
            command: 'npm run test:faults -- --test-name-pattern="Temporal server is killed"',
          });
        } finally {
          await closeFresh();
        }
      } finally {
        await killHard(worker);
        await close().catch(() => undefined);
      }
    },
  );

  it('has every control-plane job scraped by the time stack:up returns after Prometheus was killed', async () => {
    await killComponent('prometheus');
    restartStack();
    // What a run started right away sees: Prometheus publishes new targets only seconds after it starts, so
    // stack:up waits until each one has been scraped (scripts/stack/monitoring.ts).
    const res = await fetch(`http://127.0.0.1:${cfg.ports.prometheus}/api/v1/query?query=up`);
    const body = (await res.json()) as { data: { result: { metric: { job?: string } }[] } };
    const jobs = new Set(body.data.result.map((r) => r.metric.job));
    for (const job of ['apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler']) {
      assert.ok(jobs.has(job), `an up series for ${job} (has: ${[...jobs].join(', ')})`);
    }
  });

  it('finishes the run when the kube-apiserver is killed and restarted mid-deploy', { timeout: 300_000 }, async () => {
    const taskQueue = uniqueTaskQueue('fault-apiserver');
    const worker = startWorkerProcess(taskQueue);
    const { client, close } = await temporalClient();
    try {
      const handle = await startSlowRun(client, taskQueue);
      await untilActivityRunning(handle, 'deployWave');
      await killComponent('kube-apiserver');
      await sleep(2000);
      restartStack();
      const outcome = await outcomeOf(handle);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      const left = await leftovers(handle.workflowId);
      assert.deepEqual(left, []);
      recordReliability({
        case: 'kube-apiserver killed and restarted mid-deploy',
        injected: 'SIGKILL of kube-apiserver while services deploy; stack:up restarts it',
        outcome: `completed, verdict ${outcome.result.verdict}${outcome.result.failure ? ` (${outcome.result.failure.type})` : ''}, cleanup verified`,
        leftovers: left.length,
        command: 'npm run test:faults -- --test-name-pattern="kube-apiserver is killed"',
      });
    } finally {
      await killHard(worker);
      await close();
    }
  });

  it(
    'cleans up a namespace whose create was in flight on a frozen API server when the run was cancelled',
    { timeout: 300_000 },
    async () => {
      const taskQueue = uniqueTaskQueue('fault-freeze');
      // The create is held at the API server by a webhook, so the freeze lands while it is in flight, every time
      // (freezing when the history shows preflight done raced the create, which takes milliseconds).
      const hold = await holdNamespaceCreates(`kubeproof-fault-freeze-${Date.now().toString(36)}`);
      const worker = startWorkerProcess(taskQueue);
      const { client, close } = await temporalClient();
      const apiserver = readPid(cfg, 'kube-apiserver');
      assert.ok(apiserver);
      try {
        const handle = await startSlowRun(client, taskQueue);
        hold.target(handle.workflowId);
        const namespace = await hold.inFlight(120_000);
        process.kill(apiserver, 'SIGSTOP');
        try {
          // The webhook's answer waits in the frozen API server's socket; the create lands only after SIGCONT.
          hold.release();
          await untilActivityRunning(handle, 'applyNamespace', 10_000);
          await sleep(1000);
          await handle.cancel();
          await sleep(3000);
        } finally {
          process.kill(apiserver, 'SIGCONT');
        }
        const outcome = await outcomeOf(handle);
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        assert.equal(outcome.result.ending, 'cancelled');
        assert.ok(
          outcome.result.cleanup?.deleted.includes(`Namespace/${namespace}`),
          `cleanup deleted the namespace whose create landed after the cancel: ${JSON.stringify(outcome.result.cleanup)}`,
        );
        const left = await leftovers(handle.workflowId);
        assert.deepEqual(left, [], 'the create that landed after the cancel was cleaned up');
        recordReliability({
          case: 'API server frozen during the namespace create, then cancel',
          injected:
            'a webhook holds the run namespace create at the API server; SIGSTOP of kube-apiserver, run cancelled while applyNamespace hangs, SIGCONT after 4 s',
          outcome: `completed as ${outcome.result.ending}, cleanup verified after the create landed`,
          leftovers: left.length,
          command: 'npm run test:faults -- --test-name-pattern="frozen API server"',
        });
      } finally {
        process.kill(apiserver, 'SIGCONT');
        await hold.close();
        await killHard(worker);
        await close();
      }
    },
  );
});
