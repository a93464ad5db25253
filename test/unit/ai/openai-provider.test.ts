import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OpenAiProviderConfig, ProviderAnswer } from '../../../src/ai';
import { OpenAiProvider, buildEvidence, renderPrompt } from '../../../src/ai';
import { ErrorType, KubeproofError } from '../../../src/errors';
import type { OpenAiServer, OpenAiServerMode } from '../../fixtures/openai-server';
import { defaultVerdict, startOpenAiServer } from '../../fixtures/openai-server';
import { input, service } from './sample-input';

const evidence = buildEvidence(input([service('web')]));
const prompt = renderPrompt(evidence);

interface Messages {
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema: { name: string; strict: boolean; schema: JsonSchema } };
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
}

function expectKubeproofError(type: ErrorType, message: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof KubeproofError, `expected KubeproofError, got ${String(err)}`);
    assert.equal(err.type, type);
    assert.match(err.message, message);
    return true;
  };
}

describe('OpenAiProvider against a fake OpenAI server', () => {
  let server: OpenAiServer;
  before(async () => {
    server = await startOpenAiServer({ mode: 'valid' });
  });
  after(async () => {
    await server.close();
  });

  const ask = async (mode: OpenAiServerMode, config: Partial<OpenAiProviderConfig> = {}) => {
    server.setMode(mode);
    server.requests.length = 0;
    const provider = new OpenAiProvider({
      baseURL: server.url,
      apiKey: 'test-api-key-0001',
      model: 'gpt-4o-mini',
      timeoutMs: 5000,
      maxRetries: 2,
      retryBaseMs: 10,
      ...config,
    });
    return provider.verdictFor({ evidence, prompt });
  };
  const bodies = () => server.completions().map((r) => r.body as Messages);

  it('reads a structured answer and reports model, attempts, latency and the raw answer', async () => {
    const answer: ProviderAnswer = await ask('valid');
    assert.deepEqual(answer.verdict, defaultVerdict);
    assert.equal(answer.model, 'gpt-4o-mini');
    assert.equal(answer.attempts, 1);
    assert.equal(answer.rawAnswer, JSON.stringify(defaultVerdict));
    assert.ok(answer.latencyMs >= 0);
    const [request] = server.completions();
    assert.equal(request?.headers.authorization, 'Bearer test-api-key-0001');
    const body = request?.body as Messages;
    assert.deepEqual(
      body.messages.map((m) => [m.role, m.content]),
      [
        ['system', prompt.system],
        ['user', prompt.user],
      ],
    );
  });

  it('asks for strict structured output in which every property is required', async () => {
    await ask('valid');
    const format = bodies()[0]?.response_format;
    assert.equal(format?.type, 'json_schema');
    assert.equal(format?.json_schema.name, 'verdict');
    assert.equal(format?.json_schema.strict, true);
    const check = (schema: JsonSchema, path: string) => {
      if (schema.properties) {
        assert.deepEqual([...(schema.required ?? [])].sort(), Object.keys(schema.properties).sort(), path);
        assert.equal(schema.additionalProperties, false, path);
        for (const [key, inner] of Object.entries(schema.properties)) check(inner, `${path}.${key}`);
      }
      if (schema.items) check(schema.items, `${path}[]`);
      assert.ok(!('maxLength' in schema), `${path} uses maxLength, which strict mode rejects`);
    };
    check(format.json_schema.schema, 'verdict');
    assert.deepEqual(format.json_schema.schema.properties?.['findings']?.items?.properties?.['service']?.type, [
      'string',
      'null',
    ]);
  });

  it('extracts the verdict from JSON wrapped in prose', async () => {
    const answer = await ask('prose-wrapped');
    assert.deepEqual(answer.verdict, defaultVerdict);
    assert.equal(answer.attempts, 1);
    assert.match(answer.rawAnswer, /^Sure! Here is my assessment/);
  });

  it('falls back to a plain request when the server rejects response_format', async () => {
    const answer = await ask('no-response-format');
    assert.deepEqual(answer.verdict, defaultVerdict);
    assert.equal(answer.attempts, 2);
    const [first, second] = bodies();
    assert.ok(first?.response_format);
    assert.equal(second?.response_format, undefined);
    assert.match(second!.messages[0]!.content, /Answer with exactly one JSON object/);
  });

  it('re-asks after invalid JSON, then gives up with AiUnavailable', async () => {
    await assert.rejects(
      ask('invalid-json'),
      expectKubeproofError(ErrorType.AiUnavailable, /^openai: 3 answers did not match the verdict schema/),
    );
    assert.equal(server.completions().length, 3);
    const retry = bodies()[1]!.messages;
    assert.equal(retry.length, 3);
    assert.match(retry[2]!.content, /Your previous answer was rejected/);
  });

  it('re-asks after schema-invalid answers up to maxInvalidAnswers times and names the problem', async () => {
    await assert.rejects(
      ask('schema-invalid', { maxInvalidAnswers: 1 }),
      expectKubeproofError(ErrorType.AiUnavailable, /2 answers did not match.*verdict/s),
    );
    assert.equal(server.completions().length, 2);
  });

  it('retries HTTP 500 with backoff and then fails as TransientApi', async () => {
    await assert.rejects(
      ask('http-500'),
      expectKubeproofError(ErrorType.TransientApi, /^openai: HTTP 500 after 3 attempts: The server had an error/),
    );
    assert.equal(server.completions().length, 3);
  });

  it('honours retry-after on 429 before retrying', async () => {
    const started = Date.now();
    const answer = await ask('rate-limited');
    const waited = Date.now() - started;
    assert.deepEqual(answer.verdict, defaultVerdict);
    assert.equal(answer.attempts, 2);
    assert.ok(waited >= 950, `waited only ${waited} ms for retry-after: 1`);
  });

  it('caps a long retry-after at maxRetryWaitMs', async () => {
    const slowServer = await startOpenAiServer({ mode: 'rate-limited', retryAfter: '3600' });
    try {
      const provider = new OpenAiProvider({
        baseURL: slowServer.url,
        model: 'm',
        timeoutMs: 5000,
        maxRetries: 1,
        maxRetryWaitMs: 100,
      });
      const started = Date.now();
      const answer = await provider.verdictFor({ evidence, prompt });
      assert.equal(answer.attempts, 2);
      assert.ok(Date.now() - started < 2000);
      assert.equal(slowServer.completions()[0]?.headers.authorization, 'Bearer kubeproof-no-api-key');
    } finally {
      await slowServer.close();
    }
  });

  it('times out a slow server per request, retries, and fails as TransientApi', async () => {
    await assert.rejects(
      ask('slow', { timeoutMs: 200, maxRetries: 1 }),
      expectKubeproofError(ErrorType.TransientApi, /^openai: no answer within 200 ms after 2 attempts$/),
    );
    assert.equal(server.completions().length, 2);
  });

  it('reports connection failures as TransientApi', async () => {
    const gone = await startOpenAiServer({ mode: 'valid' });
    await gone.close();
    const provider = new OpenAiProvider({
      baseURL: gone.url,
      model: 'm',
      timeoutMs: 1000,
      maxRetries: 1,
      retryBaseMs: 10,
    });
    await assert.rejects(
      provider.verdictFor({ evidence, prompt }),
      expectKubeproofError(ErrorType.TransientApi, /^openai: connection failed.* after 2 attempts$/),
    );
  });

  it('stops at once when the caller aborts', async () => {
    server.setMode('slow');
    const provider = new OpenAiProvider({ baseURL: server.url, model: 'm', timeoutMs: 10_000, maxRetries: 2 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    await assert.rejects(provider.verdictFor({ evidence, prompt, signal: controller.signal }), /cancelled by test/);
    assert.ok(Date.now() - started < 2000);
  });
});
