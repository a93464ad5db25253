/** What the CLI says when a run's payloads cannot be read: encrypted without keys, or with the wrong ones. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { CliError, ExitCode } from '../../../src/cli/exit';
import { temporalError } from '../../../src/cli/temporal';
import { AesGcmCodec } from '../../../src/codec';

const cfg = { address: '127.0.0.1:7233', namespace: 'default' };
const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof CliError && error.exitCode === ExitCode.Usage && pattern.test(error.message);

describe('payloads the CLI cannot read', () => {
  it('are a usage error naming KUBEPROOF_CODEC_KEYS when the run is encrypted and no keys are configured', async () => {
    const [encrypted] = await new AesGcmCodec([{ id: 'k', key: randomBytes(32) }]).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    let thrown: unknown;
    try {
      defaultPayloadConverter.fromPayload(encrypted!);
    } catch (error) {
      thrown = error;
    }
    assert.ok(
      usage(/encrypted and no codec keys are configured; set KUBEPROOF_CODEC_KEYS/)(temporalError(thrown, cfg)),
    );
  });

  it('are a usage error with the codec explanation when the key is not configured', async () => {
    const [encrypted] = await new AesGcmCodec([{ id: 'old', key: randomBytes(32) }]).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const thrown = await new AesGcmCodec([{ id: 'new', key: randomBytes(32) }]).decode([encrypted!]).then(
      () => undefined,
      (error: unknown) => new Error('query failed', { cause: error }),
    );
    assert.ok(usage(/key "old", which is not among the configured codec keys \(new\)/)(temporalError(thrown, cfg)));
  });
});
