/** The codec endpoint over real HTTP on loopback: what the Web UI sends, what other origins and callers get. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec } from '../../../src/codec';
import { fromJson, toJson } from '../../../src/codec/payload-json';
import { startCodecServer } from '../../../src/codec/server';

const UI = 'http://127.0.0.1:8233';
const TOKEN = 'codec-token-0123456789';
const codec = new AesGcmCodec([{ id: 'k1', key: randomBytes(32) }]);
let open: { url: string; close: () => Promise<void> };
let guarded: { url: string; close: () => Promise<void> };

before(async () => {
  open = await startCodecServer({ codec, origins: [UI], host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024 });
  guarded = await startCodecServer({ codec, origins: [UI], authToken: TOKEN, host: '127.0.0.1', port: 0 });
});
after(async () => {
  await open.close();
  await guarded.close();
});

const post = (base: string, route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the codec server', () => {
  it('decodes what the codec encoded, as protobuf-JSON, with CORS for the UI origin', async () => {
    const encrypted = await codec.encode([defaultPayloadConverter.toPayload({ scenario: 'secret-scenario' })]);
    const res = await post(open.url, '/decode', toJson(encrypted), { Origin: UI });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), UI);
    const decoded = fromJson((await res.json()) as never);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded[0]!), { scenario: 'secret-scenario' });
  });

  it('encodes on /encode, so a round trip through the server gives the payload back', async () => {
    const plain = toJson([defaultPayloadConverter.toPayload('hello')]);
    const encoded = (await (await post(open.url, '/encode', plain)).json()) as never;
    assert.notDeepEqual(encoded, plain);
    const back = (await (await post(open.url, '/decode', encoded)).json()) as never;
    assert.equal(defaultPayloadConverter.fromPayload(fromJson(back)[0]!), 'hello');
  });

  it('answers the browser preflight for the UI origin, allowing X-Namespace', async () => {
    const res = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: UI, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-namespace' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), UI);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /X-Namespace/);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('refuses another origin with 403 and no CORS headers', async () => {
    const res = await post(open.url, '/decode', { payloads: [] }, { Origin: 'http://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('requires the bearer token when one is configured, and checks it', async () => {
    assert.equal((await post(guarded.url, '/decode', { payloads: [] })).status, 401);
    assert.equal((await post(guarded.url, '/decode', { payloads: [] }, { Authorization: 'Bearer wrong' })).status, 401);
    const ok = await post(guarded.url, '/decode', { payloads: [] }, { Authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
  });

  it('refuses a body over the limit with 413, and a malformed one with 400 saying what it expects', async () => {
    assert.equal((await post(open.url, '/decode', 'x'.repeat(128 * 1024))).status, 413);
    const bad = await post(open.url, '/decode', 'not json');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /payloads/);
    assert.equal((await post(open.url, '/decode', { payloads: [{ data: '***' }] })).status, 400);
  });

  it('reports a payload it cannot decrypt as 400 with the codec explanation', async () => {
    const foreign = await new AesGcmCodec([{ id: 'other', key: randomBytes(32) }]).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const res = await post(open.url, '/decode', toJson(foreign));
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /key "other"/);
  });

  it('knows only /encode and /decode', async () => {
    assert.equal((await post(open.url, '/other', { payloads: [] })).status, 404);
    assert.equal((await fetch(`${open.url}/decode`)).status, 405);
  });
});
