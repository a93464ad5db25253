/**
 * The AI step's time and size bounds: one deadline over connect, headers and body for both providers, answers
 * capped at a verdict's size, and 'auto' falling back to the labelled rules verdict with the reason.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JudgeResult } from '../../../src/ai';
import { HolmesGptProvider, OpenAiProvider, buildEvidence, judge, parseAiEnv, renderPrompt } from '../../../src/ai';
import { ResponseTooLarge, deadlineAfter, readCappedText } from '../../../src/ai/provider';
import { ErrorType, KubeproofError } from '../../../src/errors';
import type { HolmesGptServer, HolmesGptServerMode } from '../../fixtures/holmesgpt-server';
import { startHolmesGptServer } from '../../fixtures/holmesgpt-server';
import type { OpenAiServer, OpenAiServerMode } from '../../fixtures/openai-server';
import { startOpenAiServer } from '../../fixtures/openai-server';
import { input, service } from './sample-input';

const evidence = buildEvidence(input([service('web')]));
const prompt = renderPrompt(evidence);
/** The fixtures stall for 30 s; a bounded call returns long before that. */
const STALL_MS = 30_000;
const DEADLINE_MS = 700;
const WELL_BEFORE_STALL_MS = 10_000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

function assertRulesFallback(result: JudgeResult, reason: RegExp): void {
  assert.equal(result.verdict.provenance.source, 'rules');
  assert.match(result.verdict.provenance.fallbackReason ?? '', reason);
  assert.equal(result.verdict.verdict, 'pass', 'the rules verdict of healthy evidence');
}

describe("judge in 'auto' with an OpenAI-compatible model that misbehaves", () => {
  let server: OpenAiServer;
  before(async () => {
    server = await startOpenAiServer({ mode: 'valid', slowMs: STALL_MS });
  });
  after(async () => {
    await server.close();
  });
  const run = (mode: OpenAiServerMode, deadlineMs = DEADLINE_MS) => {
    server.setMode(mode);
    server.requests.length = 0;
    // A per-request timeout far above the deadline: only the deadline can end a stall in time.
    const env = parseAiEnv({ OPENAI_BASE_URL: server.url, KUBEPROOF_AI_TIMEOUT: '60000' });
    return timed(() => judge(evidence, { mode: 'auto', env, deadlineMs, openai: { retryBaseMs: 10 } }));
  };

  it('falls back to the rules saying the deadline passed when the body stalls after the headers', async () => {
    const { value, ms } = await run('stall-mid-body');
    assertRulesFallback(value, /^openai: AI deadline of 700 ms exceeded \(connect, headers and body\)/);
    assert.ok(ms >= DEADLINE_MS - 50 && ms < WELL_BEFORE_STALL_MS, `returned after ${ms} ms`);
    assert.equal(server.completions().length, 1);
  });

  it('falls back to the rules when every answer is 256 KB of `{`, naming the size', async () => {
    const { value, ms } = await run('huge-braces', 20_000);
    assertRulesFallback(value, /^openai: 3 answers did not match.*262144 bytes, more than the 65536 a verdict needs/);
    assert.ok(ms < WELL_BEFORE_STALL_MS, `returned after ${ms} ms`);
  });

  it('falls back to the rules after the retries of HTTP 500, naming the status', async () => {
    const { value } = await run('http-500');
    assertRulesFallback(value, /^openai: HTTP 500 after 3 attempts/);
    assert.equal(server.completions().length, 3);
  });

  it("throws TransientApi in 'required' when the deadline passes", async () => {
    server.setMode('stall-mid-body');
    const env = parseAiEnv({ OPENAI_BASE_URL: server.url });
    await assert.rejects(judge(evidence, { mode: 'required', env, deadlineMs: 300 }), (err: unknown) => {
      assert.ok(err instanceof KubeproofError);
      assert.equal(err.type, ErrorType.TransientApi);
      assert.match(err.message, /AI deadline of 300 ms exceeded/);
      return true;
    });
  });
});

describe("judge in 'auto' with a HolmesGPT server that misbehaves", () => {
  let server: HolmesGptServer;
  before(async () => {
    server = await startHolmesGptServer({ mode: 'json-analysis', slowMs: STALL_MS });
  });
  after(async () => {
    await server.close();
  });
  const run = (mode: HolmesGptServerMode) => {
    server.setMode(mode);
    const env = parseAiEnv({ HOLMESGPT_URL: server.url, KUBEPROOF_AI_TIMEOUT: '60000' });
    return timed(() => judge(evidence, { mode: 'auto', env, deadlineMs: DEADLINE_MS }));
  };

  it('falls back to the rules saying the deadline passed when the body stalls after the headers', async () => {
    const { value, ms } = await run('stall-mid-body');
    assertRulesFallback(value, /^holmesgpt: AI deadline of 700 ms exceeded/);
    assert.ok(ms >= DEADLINE_MS - 50 && ms < WELL_BEFORE_STALL_MS, `returned after ${ms} ms`);
  });

  it('falls back to the rules when the analysis is 256 KB of `{`', async () => {
    const { value } = await run('huge-braces');
    assertRulesFallback(value, /^holmesgpt: the analysis is 262144 bytes, more than the 65536 a verdict needs/);
  });

  it('falls back to the rules on HTTP 500', async () => {
    const { value } = await run('http-500');
    assertRulesFallback(value, /^holmesgpt: HTTP 500/);
  });
});

describe('provider time and size bounds', () => {
  it('applies the per-request timeout to the body, not only to the headers', async () => {
    const server = await startOpenAiServer({ mode: 'stall-mid-body', slowMs: STALL_MS });
    try {
      const provider = new OpenAiProvider({ baseURL: server.url, model: 'm', timeoutMs: 300, maxRetries: 1 });
      const { ms } = await timed(() =>
        assert.rejects(provider.verdictFor({ evidence, prompt }), (err: unknown) => {
          assert.ok(err instanceof KubeproofError);
          assert.equal(err.type, ErrorType.TransientApi);
          assert.equal(err.message, 'openai: no answer within 300 ms after 2 attempts');
          return true;
        }),
      );
      assert.ok(ms < WELL_BEFORE_STALL_MS, `returned after ${ms} ms`);
      assert.equal(server.completions().length, 2);
    } finally {
      await server.close();
    }
  });

  it('gives up when the deadline passes during a wait between retries', async () => {
    const server = await startOpenAiServer({ mode: 'rate-limited', retryAfter: '20' });
    try {
      const provider = new OpenAiProvider({ baseURL: server.url, model: 'm', timeoutMs: 5000, maxRetries: 2 });
      const { ms } = await timed(() =>
        assert.rejects(provider.verdictFor({ evidence, prompt, deadline: deadlineAfter(400) }), (err: unknown) => {
          assert.ok(err instanceof KubeproofError);
          assert.equal(err.type, ErrorType.TransientApi);
          assert.match(err.message, /^openai: AI deadline of 400 ms exceeded/);
          return true;
        }),
      );
      assert.ok(ms < WELL_BEFORE_STALL_MS, `returned after ${ms} ms (retry-after was 20 s)`);
    } finally {
      await server.close();
    }
  });

  it('lets a caller cancellation win over the deadline', async () => {
    const server = await startHolmesGptServer({ mode: 'stall-mid-body', slowMs: STALL_MS });
    try {
      const provider = new HolmesGptProvider({ url: server.url, timeoutMs: 60_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
      await assert.rejects(
        provider.verdictFor({ evidence, prompt, signal: controller.signal, deadline: deadlineAfter(5000) }),
        /activity cancelled/,
      );
    } finally {
      await server.close();
    }
  });

  it('stops reading a response body past its cap', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x7b));
      },
    });
    await assert.rejects(readCappedText(new Response(stream), 10 * 1024), ResponseTooLarge);
    assert.ok(pulled <= 12, `pulled ${pulled} KB from an endless body capped at 10 KB`);
    assert.equal(await readCappedText(new Response('{"a":1}'), 10), '{"a":1}');
  });
});
