/** Payload encryption: the codec, its keys, and the data converter that clients and workers share. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import type { KeyRing } from './keys';

export { AesGcmCodec, PayloadCodecError, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm-codec';
export type { KeyRing } from './keys';

/** The data converter for configured keys (the client's and the worker's must match), or none. */
export function codecDataConverter(keys: KeyRing | undefined): { dataConverter?: DataConverter } {
  return keys ? { dataConverter: { payloadCodecs: [new AesGcmCodec(keys)] } } : {};
}
