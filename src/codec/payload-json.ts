/**
 * Payloads as the Web UI and the Temporal CLI send them to a codec server: protobuf-JSON, `{payloads: [{metadata:
 * {key: base64}, data: base64}]}`. The body is validated before any payload reaches the codec.
 */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, { error: 'must be base64' });

export const PayloadsBodySchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).optional(),
      data: base64.optional(),
    }),
  ),
});
export type PayloadsBody = z.output<typeof PayloadsBodySchema>;

export function fromJson(body: PayloadsBody): Payload[] {
  return body.payloads.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  }));
}

const toBase64 = (bytes: Uint8Array | null | undefined): string =>
  Buffer.from(bytes ?? new Uint8Array()).toString('base64');

export function toJson(payloads: Payload[]): PayloadsBody {
  return {
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, toBase64(v)])),
      data: toBase64(payload.data),
    })),
  };
}
