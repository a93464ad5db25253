import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HolmesGptProvider, buildEvidence, renderPrompt } from '../../../src/ai';
import { ErrorType, KubeproofError } from '../../../src/errors';
import type { HolmesGptServer, HolmesGptServerMode } from '../../fixtures/holmesgpt-server';
import { holmesVerdict, markdownAnalysis, startHolmesGptServer } from '../../fixtures/holmesgpt-server';
import { input, service } from './sample-input';

const evidence = buildEvidence(input([service('checkout', { restarts: 2 })]));
const prompt = renderPrompt(evidence);

describe('HolmesGptProvider against a fake HolmesGPT server', () => {
  let server: HolmesGptServer;
  before(async () => {
    server = await startHolmesGptServer({ mode: 'json-analysis' });
  });
  after(async () => {
    await server.close();
  });

  const ask = (mode: HolmesGptServerMode, timeoutMs = 5000) => {
    server.setMode(mode);
    server.requests.length = 0;
    return new HolmesGptProvider({ url: `${server.url}/`, timeoutMs }).verdictFor({ evidence, prompt });
  };

  it('posts an investigation with the evidence as context and uses the JSON verdict in the analysis', async () => {
    const answer = await ask('json-analysis');
    assert.deepEqual(answer.verdict, holmesVerdict);
    assert.equal(answer.attempts, 1);
    assert.equal(answer.model, undefined);
    const [request] = server.requests;
    assert.equal(request?.path, '/api/investigate');
    const body = request?.body as Record<string, unknown>;
    assert.equal(body['source'], 'kubeproof');
    assert.match(String(body['title']), /web-shop/);
    assert.match(String(body['description']), /untrusted data/);
    assert.deepEqual(body['subject'], { scenario: 'web-shop', cluster: 'kind-kubeproof' });
    assert.deepEqual(body['context'], { evidence });
    assert.equal(body['include_tool_calls'], false);
    assert.equal(body['include_tool_call_results'], false);
    assert.equal(answer.prompt.system, body['description']);
  });

  it('turns a markdown-only analysis into a low-confidence warn and says so instead of guessing', async () => {
    const answer = await ask('markdown-analysis');
    assert.equal(answer.verdict.verdict, 'warn');
    assert.equal(answer.verdict.confidence, 0.3);
    assert.equal(answer.verdict.summary, markdownAnalysis);
    assert.match(answer.verdict.findings[0]!.message, /without a JSON verdict; kubeproof did not infer pass or fail/);
    assert.equal(answer.rawAnswer, markdownAnalysis);
  });

  it('reports HTTP 500 as TransientApi with the server message', async () => {
    await assert.rejects(ask('http-500'), (err: unknown) => {
      assert.ok(err instanceof KubeproofError);
      assert.equal(err.type, ErrorType.TransientApi);
      assert.match(err.message, /^holmesgpt: HTTP 500: .*LLM backend unavailable/);
      return true;
    });
  });

  it('gives up after its timeout', async () => {
    await assert.rejects(ask('slow', 200), (err: unknown) => {
      assert.ok(err instanceof KubeproofError);
      assert.equal(err.type, ErrorType.TransientApi);
      assert.equal(err.message, 'holmesgpt: no answer within 200 ms');
      return true;
    });
  });
});
