/** The AES-256-GCM payload codec: round trip, rotation, and refusals that say which key and what to do. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadCodecError } from '../../../src/codec';
import type { KeyRing } from '../../../src/codec';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const secret = { scenario: 'web-app-stack', pod: 'frontend-7d9f-abc', prompt: 'Explain why the pods are not ready' };
const payload = (): Payload => defaultPayloadConverter.toPayload(secret);

const refusedWith =
  (...parts: RegExp[]) =>
  (error: unknown) =>
    error instanceof PayloadCodecError && parts.every((part) => part.test(error.message));

describe('the AES-256-GCM payload codec', () => {
  it('round-trips a payload, and the encrypted form holds none of its text', async () => {
    const codec = new AesGcmCodec([key('k1')]);
    const [encrypted] = await codec.encode([payload()]);
    assert.ok(encrypted);
    assert.equal(text(encrypted.metadata?.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(encrypted.metadata?.[KEY_ID_METADATA]), 'k1');
    const raw = Buffer.from(encrypted.data ?? new Uint8Array()).toString('latin1');
    for (const value of Object.values(secret)) assert.ok(!raw.includes(value), `ciphertext contains ${value}`);
    const [decrypted] = await codec.decode([encrypted]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decrypted!), secret);
  });

  it('encrypts the same payload differently each time (a fresh nonce per payload)', async () => {
    const codec = new AesGcmCodec([key('k1')]);
    const [a, b] = await codec.encode([payload(), payload()]);
    assert.notDeepEqual(Buffer.from(a!.data!), Buffer.from(b!.data!));
  });

  it('encrypts with the first key and decrypts payloads of every configured key (rotation)', async () => {
    const oldKey = key('2025-q4');
    const newKey = key('2026-q1');
    const [before] = await new AesGcmCodec([oldKey]).encode([payload()]);
    const rotated = new AesGcmCodec([newKey, oldKey] satisfies KeyRing);
    const [after] = await rotated.encode([payload()]);
    assert.equal(text(after!.metadata?.[KEY_ID_METADATA]), '2026-q1');
    const decoded = await rotated.decode([before!, after!]);
    assert.deepEqual(
      decoded.map((p) => defaultPayloadConverter.fromPayload(p)),
      [secret, secret],
    );
  });

  it('refuses a payload of an unknown key id, naming it and the configured ones', async () => {
    const [encrypted] = await new AesGcmCodec([key('retired')]).encode([payload()]);
    await assert.rejects(
      new AesGcmCodec([key('current')]).decode([encrypted!]),
      refusedWith(/key "retired"/, /configured codec keys \(current\)/, /KUBEPROOF_CODEC_KEYS/),
    );
  });

  it('refuses a payload whose ciphertext was altered', async () => {
    const codec = new AesGcmCodec([key('k1')]);
    const [encrypted] = await codec.encode([payload()]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 0x01;
    await assert.rejects(codec.decode([{ ...encrypted!, data }]), refusedWith(/failed authentication/, /altered/));
  });

  it('refuses a payload whose key id was edited to another configured key', async () => {
    const a = key('a');
    const b = { id: 'b', key: a.key };
    const codec = new AesGcmCodec([a, b]);
    const [encrypted] = await codec.encode([payload()]);
    const edited = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    // Same key bytes under another id: only the authenticated key id tells them apart.
    await assert.rejects(codec.decode([edited]), refusedWith(/key "b" failed authentication/));
  });

  it('refuses a payload encrypted under the same id with a different key (wrong key)', async () => {
    const [encrypted] = await new AesGcmCodec([key('k1')]).encode([payload()]);
    await assert.rejects(
      new AesGcmCodec([key('k1')]).decode([encrypted!]),
      refusedWith(/key "k1" failed authentication/),
    );
  });

  it('refuses a truncated payload', async () => {
    const codec = new AesGcmCodec([key('k1')]);
    const [encrypted] = await codec.encode([payload()]);
    await assert.rejects(
      codec.decode([{ ...encrypted!, data: encrypted!.data!.subarray(0, 10) }]),
      refusedWith(/truncated/),
    );
  });

  it('passes payloads that were never encrypted through decode unchanged', async () => {
    const plain = payload();
    const [decoded] = await new AesGcmCodec([key('k1')]).decode([plain]);
    assert.equal(decoded, plain);
  });
});
