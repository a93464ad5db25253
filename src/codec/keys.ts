/**
 * The payload codec's keys: `id:base64key` entries, from KUBEPROOF_CODEC_KEYS (separated by commas) or the file
 * KUBEPROOF_CODEC_KEY_FILE (one per line, `#` starts a comment). The first key encrypts; every key decrypts, so a
 * key is rotated by putting the new one first and keeping the old ones until no history needs them.
 * Messages name the entry and the problem, never the key material.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { ErrorType, KubeproofError } from '../errors';

/** AES-256 takes exactly 32 bytes of key. */
export const KEY_BYTES = 32;

const keyId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: 'needs an id of 1-64 letters, digits, ".", "_" or "-" before the colon (id:base64key)',
});

const keyBytes = z.string().transform((text, ctx) => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    ctx.addIssue({ code: 'custom', message: 'is not base64 (make a key with `openssl rand -base64 32`)' });
    return z.NEVER;
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    ctx.addIssue({
      code: 'custom',
      message: `decodes to ${key.length} bytes; AES-256 needs ${KEY_BYTES} (make one with \`openssl rand -base64 32\`)`,
    });
    return z.NEVER;
  }
  return key;
});

export const KeyRingSchema = z
  .array(z.object({ id: keyId, key: keyBytes }))
  .min(1, { error: 'holds no key; give at least one id:base64key' })
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    for (const [index, { id }] of keys.entries()) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `repeats the key id "${id}"` });
      seen.add(id);
    }
  });

/** The configured keys, the encrypting one first. */
export type KeyRing = z.output<typeof KeyRingSchema>;

/** `a:K1, b:K2` or one entry per line; blank entries and `#` comments are skipped. */
export function keyEntries(text: string): { id: string; key: string }[] {
  return text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((entry) => {
      const colon = entry.indexOf(':');
      return colon < 0
        ? { id: '', key: entry }
        : { id: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() };
    });
}

/** KUBEPROOF_CODEC_KEYS as a schema of the environment (src/config/env.ts). */
export const codecKeysVariable = z.string().transform(keyEntries).pipe(KeyRingSchema);

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const [index, field] = issue.path;
  return typeof index === 'number'
    ? `entry ${index + 1}${field === 'id' ? ' (its id)' : ''} ${issue.message}`
    : issue.message;
};

/** Reads and validates a key file; a missing file or bad entry is KubeproofError InvalidConfiguration. */
export function loadKeyFile(file: string): KeyRing {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeproofError(
      ErrorType.InvalidConfiguration,
      `cannot read the codec key file ${file} (KUBEPROOF_CODEC_KEY_FILE): ${error instanceof Error ? error.message : String(error)}; fix the path or unset the variable`,
      { variables: ['KUBEPROOF_CODEC_KEY_FILE'] },
    );
  }
  const parsed = KeyRingSchema.safeParse(keyEntries(text));
  if (parsed.success) return parsed.data;
  throw new KubeproofError(
    ErrorType.InvalidConfiguration,
    `the codec key file ${file} (KUBEPROOF_CODEC_KEY_FILE): ${parsed.error.issues.map(describeIssue).join('; ')}`,
    { variables: ['KUBEPROOF_CODEC_KEY_FILE'] },
  );
}
