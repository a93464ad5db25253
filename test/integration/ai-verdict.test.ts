/**
 * The AI step inside real validation runs: the worker's real openai client (and HolmesGPT provider) talk to
 * OpenAI-compatible and HolmesGPT-shaped servers on loopback; the run's history is the audit trail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { parseScenarioData } from '../../src/scenarios';
import type { Scenario } from '../../src/scenarios/schema';
import { type HolmesGptServer, startHolmesGptServer } from '../fixtures/holmesgpt-server';
import { type OpenAiServer, startOpenAiServer } from '../fixtures/openai-server';
import { leftovers } from '../helpers/cluster';
import { uniqueTaskQueue } from '../helpers/env';
import { defaultDeps, temporalClient, withWorker } from '../helpers/worker';

const API_KEY = 'sk-kubeproof-test-0123456789abcdef';

const scenario: Scenario = parseScenarioData(
  {
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name: 'ai-probe' },
    spec: {
      timeouts: { total: '5m', ready: '30s' },
      services: [{ name: 'web', image: 'nginx:1.27', replicas: 2, ports: [{ port: 80 }] }],
    },
  },
  'ai-probe.yaml',
);

async function runWith(env: Record<string, string>, ai: 'auto' | 'required') {
  const { client, close } = await temporalClient();
  const taskQueue = uniqueTaskQueue('ai');
  try {
    return await withWorker(
      taskQueue,
      async () => {
        const handle = await startValidation(client, {
          scenario,
          clusterName: 'local-kwok',
          ai,
          taskQueue,
          skipBaseline: true,
        });
        const outcome = await outcomeOf(handle);
        const history = await handle.fetchHistory();
        return { outcome, history, workflowId: handle.workflowId };
      },
      defaultDeps({ env }),
    );
  } finally {
    await close();
  }
}

/** Every payload in a history, decoded to text, so the audit trail can be searched like a person would read it. */
function decodedPayloads(history: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (node instanceof Uint8Array) return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as { metadata?: unknown; data?: unknown };
      if (o.metadata && o.data instanceof Uint8Array) out.push(Buffer.from(o.data).toString('utf8'));
      else Object.values(node).forEach(walk);
    }
  };
  walk(history);
  return out.join('\n');
}

describe('the AI step in a validation run', () => {
  let openai: OpenAiServer;
  let holmes: HolmesGptServer;
  before(async () => {
    openai = await startOpenAiServer({ mode: 'valid' });
    holmes = await startHolmesGptServer({ mode: 'json-analysis' });
  });
  after(async () => {
    await openai.close();
    await holmes.close();
  });

  it('asks the OpenAI-compatible model for a structured verdict and keeps prompt and answer in history, never the key', async () => {
    const { outcome, history, workflowId } = await runWith(
      { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: API_KEY, KUBEPROOF_AI_MODEL: 'fixture-model' },
      'required',
    );
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    assert.equal(outcome.result.ai?.source, 'llm');
    assert.equal(outcome.result.ai?.verdict.provenance.model, 'fixture-model');
    assert.equal(openai.completions().length >= 1, true, 'the model was asked');
    const request = openai.completions().at(-1)!.body as { model?: string; response_format?: { type: string } };
    assert.equal(request.model, 'fixture-model');
    assert.equal(request.response_format?.type, 'json_schema', 'structured output was requested');
    const audit = decodedPayloads(history);
    assert.match(audit, /<<<EVIDENCE/, 'the prompt is in the run history');
    assert.match(audit, /All services are healthy and latencies are within target/, 'the answer is in the run history');
    assert.ok(
      !JSON.stringify(history).includes(API_KEY) && !audit.includes(API_KEY),
      'the API key never reaches history',
    );
    assert.deepEqual(await leftovers(workflowId), []);
  });

  it('uses HolmesGPT when HOLMESGPT_URL is set', async () => {
    const { outcome } = await runWith({ HOLMESGPT_URL: holmes.url }, 'required');
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    assert.equal(outcome.result.ai?.source, 'holmesgpt');
    assert.equal(holmes.requests.length >= 1, true);
  });

  it('falls back to a labelled rules verdict when the model keeps failing, in auto mode', async () => {
    openai.setMode('http-500');
    try {
      const { outcome } = await runWith({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: API_KEY }, 'auto');
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.equal(outcome.result.ai?.source, 'rules');
      assert.match(outcome.result.ai?.fallbackReason ?? '', /500/);
    } finally {
      openai.setMode('valid');
    }
  });

  it('fails the run at the ai step, and cleans up, when AI is required but none is configured', async () => {
    const { outcome, workflowId } = await runWith({}, 'required');
    assert.ok(outcome.ok);
    assert.equal(outcome.result.verdict, 'fail');
    assert.equal(outcome.result.failure?.type, 'AiUnavailable');
    assert.equal(outcome.result.failure?.step, 'ai');
    assert.match(outcome.result.failure?.message ?? '', /OPENAI_BASE_URL|HOLMESGPT_URL/);
    // The explanation of the failure still comes, from the labelled rules fallback.
    assert.equal(outcome.result.ai?.source, 'rules');
    assert.equal(outcome.result.ai?.explainsFailure, true);
    assert.deepEqual(await leftovers(workflowId), []);
  });
});
