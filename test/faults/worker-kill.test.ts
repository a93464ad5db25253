/**
 * SIGKILL of the worker at every activity boundary of a run: a new worker resumes it from history, and the run
 * ends with its record and zero leftover objects by name and by label.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { outcomeOf, startValidation } from '../../src/client/validation';
import type { ServiceHealth } from '../../src/k8s/types';
import { loadScenario } from '../../src/scenarios';
import type { Scenario } from '../../src/scenarios/schema';
import { type OpenAiServer, startOpenAiServer } from '../fixtures/openai-server';
import { kube, leftovers } from '../helpers/cluster';
import { uniqueTaskQueue } from '../helpers/env';
import { temporalClient } from '../helpers/worker';
import {
  killHard,
  recordReliability,
  startWorkerProcess,
  untilActivityCompleted,
  untilActivityRunning,
} from './helpers';

const web = (): Scenario => {
  const s = loadScenario('web-app-stack');
  for (const svc of s.spec.services) svc.podAnnotations = { 'kubeproof.dev/ready-delay': '2s' };
  s.spec.samples = 2;
  // The readiness checks are not what this suite is about; they have tests of their own.
  s.spec.checks = [];
  return s;
};

/**
 * Health from ready pods takes a few hundred milliseconds, shorter than a describe poll can be relied on to see.
 * A probe URL on a loopback server that answers after `HEALTH_PROBE_DELAY_MS` keeps the health step running for
 * that long on each attempt, so there is a health step in flight to kill the worker during.
 */
const HEALTH_PROBE_DELAY_MS = 3000;
let slowProbeUrl = '';
const slowHealth = (): Scenario => {
  const s = web();
  s.spec.services.find((svc) => svc.name === 'frontend')!.probeUrl = slowProbeUrl;
  return s;
};

const neverReady = (): Scenario => {
  const s = web();
  const frontend = s.spec.services.find((svc) => svc.name === 'frontend')!;
  frontend.podLabels = { 'kubeproof.dev/simulate': 'never-ready' };
  s.spec.timeouts.ready = 5000;
  return s;
};

interface KillCase {
  name: string;
  scenario: () => Scenario;
  /** Waits until the moment to kill. */
  at: (handle: Parameters<typeof untilActivityRunning>[0]) => Promise<void>;
  expect: 'pass' | 'fail';
}

const cases: KillCase[] = [
  {
    name: 'after the namespace is created',
    scenario: web,
    at: (h) => untilActivityCompleted(h, 'applyNamespace'),
    expect: 'pass',
  },
  {
    name: 'mid-wave (a deploy in flight)',
    scenario: web,
    at: (h) => untilActivityRunning(h, 'deployWave'),
    expect: 'pass',
  },
  {
    name: 'during health',
    scenario: slowHealth,
    at: (h) => untilActivityRunning(h, 'checkHealth', 90_000),
    expect: 'pass',
  },
  { name: 'during the AI call', scenario: web, at: (h) => untilActivityRunning(h, 'judgeRun', 90_000), expect: 'pass' },
  {
    name: 'during baseline',
    scenario: web,
    at: (h) => untilActivityRunning(h, 'measureBaseline', 120_000),
    expect: 'pass',
  },
  {
    name: 'mid-compensation',
    scenario: neverReady,
    at: (h) => untilActivityRunning(h, 'cleanupRun', 120_000),
    expect: 'fail',
  },
];

describe('fault injection: SIGKILL of the worker', () => {
  let openai: OpenAiServer;
  let probeServer: http.Server;
  before(async () => {
    // A model that takes 3 s to answer, so there is an AI call in flight to kill the worker during.
    openai = await startOpenAiServer({ mode: 'slow', slowMs: 3000 });
    probeServer = http.createServer((_req, res) => {
      const timer = setTimeout(() => res.end('ok'), HEALTH_PROBE_DELAY_MS);
      res.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
    slowProbeUrl = `http://127.0.0.1:${(probeServer.address() as AddressInfo).port}/healthz`;
  });
  after(async () => {
    await openai.close();
    probeServer.closeAllConnections();
    await new Promise((resolve) => probeServer.close(resolve));
  });

  for (const c of cases) {
    it(`resumes on a new worker with zero leftovers when killed ${c.name}`, { timeout: 300_000 }, async () => {
      const taskQueue = uniqueTaskQueue('fault-kill');
      const env = { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-fault-test' };
      const { client, close } = await temporalClient();
      const first = startWorkerProcess(taskQueue, env);
      let second: ReturnType<typeof startWorkerProcess> | undefined;
      try {
        const scenario = c.scenario();
        const handle = await startValidation(client, { scenario, clusterName: 'local-kwok', ai: 'auto', taskQueue });
        await c.at(handle);
        await killHard(first);
        second = startWorkerProcess(taskQueue, env);
        const outcome = await outcomeOf(handle);
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        assert.equal(
          outcome.result.verdict === 'fail' ? 'fail' : 'pass',
          c.expect,
          outcome.result.verdictReasons.join('; '),
        );
        assert.deepEqual(outcome.result.cleanup?.left, []);
        const left = await leftovers(handle.workflowId);
        const byName = await kube()
          .core.readNamespace({ name: outcome.result.namespace })
          .then(
            (ns) => (ns.metadata?.deletionTimestamp ? 0 : 1),
            () => 0,
          );
        assert.deepEqual(left, []);
        assert.equal(byName, 0, 'the run namespace is gone by name too');
        if (c.expect === 'pass') {
          for (const svc of scenario.spec.services) {
            const report: ServiceHealth | undefined = outcome.result.health?.services.find(
              (s) => s.service === svc.name,
            );
            assert.equal(report?.readyReplicas, svc.replicas, `${svc.name}: exactly its replicas, no duplicates`);
          }
        }
        recordReliability({
          case: `worker SIGKILL ${c.name}`,
          injected: 'SIGKILL of the worker process, a new worker started',
          outcome: `completed, verdict ${outcome.result.verdict}, cleanup verified`,
          leftovers: left.length + byName,
          command: `npm run test:faults -- --test-name-pattern="killed ${c.name}"`,
        });
      } finally {
        await killHard(first);
        if (second) await killHard(second);
        await close();
      }
    });
  }
});
