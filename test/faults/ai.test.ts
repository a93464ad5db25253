/**
 * Models that misbehave inside real runs: one that stalls mid-body, one that answers 256 KB of `{`, one that
 * answers 500s. With `--ai auto` each run ends with the labelled rules verdict, within the AI deadline, and zero
 * leftovers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { loadScenario } from '../../src/scenarios';
import { type OpenAiServer, type OpenAiServerMode, startOpenAiServer } from '../fixtures/openai-server';
import { leftovers } from '../helpers/cluster';
import { uniqueTaskQueue } from '../helpers/env';
import { defaultDeps, temporalClient, withWorker } from '../helpers/worker';
import { recordReliability } from './helpers';

const modes: { mode: OpenAiServerMode; what: string }[] = [
  { mode: 'stall-mid-body', what: 'a model that sends headers and half a body, then stalls' },
  { mode: 'huge-braces', what: 'a model that answers 256 KB of `{`' },
  { mode: 'http-500', what: 'a model that answers HTTP 500 every time' },
];

describe('fault injection: misbehaving models', () => {
  let openai: OpenAiServer;
  before(async () => (openai = await startOpenAiServer({ mode: 'valid', slowMs: 120_000 })));
  after(() => openai.close());

  for (const { mode, what } of modes) {
    it(`falls back to the labelled rules verdict with ${what}`, { timeout: 240_000 }, async () => {
      openai.setMode(mode);
      const { client, close } = await temporalClient();
      const taskQueue = uniqueTaskQueue('fault-ai');
      try {
        const env = { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-fault-test', KUBEPROOF_AI_TIMEOUT: '3000' };
        const { outcome, workflowId } = await withWorker(
          taskQueue,
          async () => {
            const scenario = loadScenario('web-app-stack');
            scenario.spec.checks = [];
            const handle = await startValidation(client, {
              scenario,
              clusterName: 'local-kwok',
              ai: 'auto',
              taskQueue,
              skipBaseline: true,
            });
            return { outcome: await outcomeOf(handle), workflowId: handle.workflowId };
          },
          defaultDeps({ env }),
        );
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
        assert.equal(outcome.result.ai?.source, 'rules', 'the verdict says it is the fallback');
        assert.ok((outcome.result.ai?.fallbackReason ?? '').length > 0, 'and why');
        assert.ok(['pass', 'warn'].includes(outcome.result.verdict));
        const aiStep = outcome.result.steps.find((s) => s.name === 'ai');
        assert.ok(aiStep && aiStep.durationMs < 60_000, `the AI step took ${aiStep?.durationMs} ms`);
        const left = await leftovers(workflowId);
        assert.deepEqual(left, []);
        recordReliability({
          case: `model: ${mode}`,
          injected: what,
          outcome: `completed, rules fallback (${outcome.result.ai?.fallbackReason?.slice(0, 80)}), AI step ${Math.round((aiStep?.durationMs ?? 0) / 100) / 10} s`,
          leftovers: left.length,
          command: `npm run test:faults -- --test-name-pattern="${what.slice(0, 30)}"`,
        });
      } finally {
        await close();
      }
    });
  }
});
