/**
 * A payload codec that encrypts every payload with AES-256-GCM (node:crypto). Each encrypted payload names the key
 * that encrypted it in its metadata, so keys rotate: the first configured key encrypts, any configured key decrypts.
 * The key id and a format version are authenticated data: a payload whose key id was edited fails to decrypt rather
 * than being tried with another key. Payloads that are not encrypted (written before the codec was turned on) pass
 * through decode unchanged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'aes-256-gcm';
/** GCM's recommended nonce size; random per payload (2^32 payloads per key stay far below the collision bound). */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload this codec cannot decrypt: the message says which key and what to do. */
export class PayloadCodecError extends Error {
  override readonly name = 'PayloadCodecError';
}

const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

const additionalData = (keyId: string): Buffer => Buffer.from(`kubeproof-codec/v1:${keyId}`, 'utf8');

export class AesGcmCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly encryptingId: string;

  constructor(ring: KeyRing) {
    const first = ring[0];
    if (!first) throw new PayloadCodecError('the payload codec needs at least one key');
    this.encryptingId = first.id;
    this.keys = new Map(ring.map(({ id, key }) => [id, key]));
  }

  // async: a payload that cannot be decrypted rejects the promise rather than throwing at the call.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.encryptingId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(keyId),
        [CIPHER_METADATA]: Buffer.from(CIPHER),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (keyId === undefined) throw new PayloadCodecError(`an encrypted payload has no ${KEY_ID_METADATA} metadata`);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadCodecError(
        `a payload was encrypted with key "${keyId}", which is not among the configured codec keys (${[...this.keys.keys()].join(', ')}); add that key to KUBEPROOF_CODEC_KEYS (or the key file) to read it`,
      );
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadCodecError(`a payload encrypted with key "${keyId}" is truncated (${sealed.length} bytes)`);
    }
    const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError(
        `a payload encrypted with key "${keyId}" failed authentication: it was altered, or the key configured as "${keyId}" is not the one that encrypted it`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
