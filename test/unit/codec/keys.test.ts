/** Codec keys from KUBEPROOF_CODEC_KEYS or KUBEPROOF_CODEC_KEY_FILE: validated, with messages that name no key. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseEnv } from '../../../src/config/env';
import { ErrorType, KubeproofError } from '../../../src/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-codec-keys-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const short = randomBytes(16).toString('base64');

const refusal =
  (...parts: RegExp[]) =>
  (error: unknown) =>
    error instanceof KubeproofError &&
    error.type === ErrorType.InvalidConfiguration &&
    parts.every((part) => part.test(error.message)) &&
    !error.message.includes(short) &&
    !error.message.includes(k1);

describe('codec keys', () => {
  it('are absent when neither variable is set', () => {
    assert.equal(parseEnv({}).codecKeys, undefined);
  });

  it('come from KUBEPROOF_CODEC_KEYS in order, the first being the one that encrypts', () => {
    const keys = parseEnv({ KUBEPROOF_CODEC_KEYS: `new:${k1}, old:${k2}` }).codecKeys;
    assert.deepEqual(
      keys?.map((k) => [k.id, k.key.toString('base64')]),
      [
        ['new', k1],
        ['old', k2],
      ],
    );
  });

  it('come from a key file, one per line, with comments', () => {
    const file = path.join(dir, 'keys');
    fs.writeFileSync(file, `# rotated 2026-01\nnew:${k1}\n\nold:${k2} # until March\n`);
    assert.deepEqual(
      parseEnv({ KUBEPROOF_CODEC_KEY_FILE: file }).codecKeys?.map((k) => k.id),
      ['new', 'old'],
    );
  });

  it('refuse a key that is not 32 bytes, without echoing it', () => {
    assert.throws(
      () => parseEnv({ KUBEPROOF_CODEC_KEYS: `a:${short}` }),
      refusal(/KUBEPROOF_CODEC_KEYS/, /16 bytes; AES-256 needs 32/, /openssl rand -base64 32/),
    );
  });

  it('refuse a key that is not base64', () => {
    assert.throws(() => parseEnv({ KUBEPROOF_CODEC_KEYS: 'a:not*base64' }), refusal(/is not base64/));
  });

  it('refuse an entry without an id', () => {
    assert.throws(() => parseEnv({ KUBEPROOF_CODEC_KEYS: k1 }), refusal(/needs an id/));
  });

  it('refuse a repeated key id', () => {
    assert.throws(() => parseEnv({ KUBEPROOF_CODEC_KEYS: `a:${k1},a:${k2}` }), refusal(/repeats the key id "a"/));
  });

  it('refuse both variables at once', () => {
    assert.throws(
      () => parseEnv({ KUBEPROOF_CODEC_KEYS: `a:${k1}`, KUBEPROOF_CODEC_KEY_FILE: '/x' }),
      refusal(/both KUBEPROOF_CODEC_KEYS and KUBEPROOF_CODEC_KEY_FILE/),
    );
  });

  it('refuse a key file that cannot be read or holds a bad entry, naming the file and the entry', () => {
    assert.throws(
      () => parseEnv({ KUBEPROOF_CODEC_KEY_FILE: path.join(dir, 'missing') }),
      refusal(/cannot read the codec key file/, /missing/, /KUBEPROOF_CODEC_KEY_FILE/),
    );
    const file = path.join(dir, 'bad');
    fs.writeFileSync(file, `a:${k1}\nb:${short}\n`);
    assert.throws(
      () => parseEnv({ KUBEPROOF_CODEC_KEY_FILE: file }),
      refusal(/codec key file .*bad/, /entry 2 decodes to 16 bytes/),
    );
  });
});
