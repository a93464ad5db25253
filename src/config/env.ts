/**
 * kubeproof's environment: one schema for every variable the CLI, the worker and the embedded worker read, parsed
 * once at start-up into plain values. Defaults live here and nowhere else. The AI variables have their own schema
 * in src/ai/ai-env.ts: a bad AI setting must not stop a worker whose runs do not need the AI.
 */
import { z } from 'zod';
import { codecKeysVariable, loadKeyFile, type KeyRing } from '../codec/keys';
import { ErrorType, KubeproofError } from '../errors';
import { resolveTemporal, withTemporalFlags, type TemporalTarget } from './temporal';

/**
 * `export FOO=` leaves an empty string behind, and .env files often hold `FOO=`: a blank value counts as unset,
 * for every variable and every reader.
 */
export function withoutBlanks(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''),
  );
}

/** `true`/`false`/`1`/`0` (any case), the same for every reader. */
export const booleanVariable = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }))
  .transform((v) => v === 'true' || v === '1');

/**
 * A cluster's name travels in workflow ids (`kubeproof/<cluster>/...`), schedule and ledger ids and search
 * attributes, so it may not contain `/` or spaces.
 */
export const clusterName = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
  error: 'must be letters, digits, "-", "_" or "." (starting and ending with a letter or digit), e.g. prod-eu',
});

/**
 * kubeproof's own variables. The Temporal connection's (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, ...)
 * belong to the SDK's environment configuration and are read by src/config/temporal.ts.
 */
export const EnvSchema = z.object({
  KUBEPROOF_TASK_QUEUE: z.string().default('kubeproof'),
  /** The cluster a command names, and the one cluster a worker serves when it has no clusters file. */
  KUBEPROOF_CLUSTER_NAME: clusterName.default('local'),
  /** Base URL of the Temporal Web UI; when set, reports link to the run's history there. */
  TEMPORAL_UI_URL: z.url({ error: 'must be a URL such as http://127.0.0.1:8233' }).optional(),
  /** A kubeconfig file, or a list of them separated by the path delimiter (`:`), merged as kubectl merges them. */
  KUBECONFIG: z.string().optional(),
  KUBEPROOF_CONTEXT: z.string().optional(),
  /** The clusters a worker serves (YAML or JSON, see src/config/clusters.ts); unset: one cluster from KUBECONFIG. */
  KUBEPROOF_CLUSTERS_FILE: z.string().optional(),
  /** Set by the local stack: health probes may only target loopback. */
  KUBEPROOF_PROBE_LOOPBACK_ONLY: booleanVariable.default(false),
  /** Payload encryption keys, `id:base64key` separated by commas; the first encrypts, all decrypt (src/codec). */
  KUBEPROOF_CODEC_KEYS: codecKeysVariable.optional(),
  /** A file holding the keys instead (same format, one per line; `#` starts a comment). */
  KUBEPROOF_CODEC_KEY_FILE: z.string().optional(),
  /** `kubeproof codec-server` requires `Authorization: Bearer <this>` on every request when it is set. */
  KUBEPROOF_CODEC_AUTH_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
});

/** The parsed environment: kubeproof's variables, and the Temporal connection they describe. */
export type Env = z.output<typeof EnvSchema> & { temporal: TemporalTarget; codecKeys?: KeyRing };

/**
 * Parses kubeproof's variables out of an environment (usually `process.env`); other variables are ignored.
 * Throws KubeproofError InvalidConfiguration naming each bad variable and what it expects.
 */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const present = withoutBlanks(env);
  const parsed = EnvSchema.safeParse(present);
  if (parsed.success) {
    const { KUBEPROOF_CODEC_KEYS: keys, KUBEPROOF_CODEC_KEY_FILE: keyFile } = parsed.data;
    if (keys && keyFile) {
      throw new KubeproofError(
        ErrorType.InvalidConfiguration,
        'both KUBEPROOF_CODEC_KEYS and KUBEPROOF_CODEC_KEY_FILE are set; keep one of them',
        { variables: ['KUBEPROOF_CODEC_KEYS', 'KUBEPROOF_CODEC_KEY_FILE'] },
      );
    }
    const codecKeys = keys ?? (keyFile ? loadKeyFile(keyFile) : undefined);
    return { ...parsed.data, temporal: resolveTemporal(present), ...(codecKeys ? { codecKeys } : {}) };
  }
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new KubeproofError(
    ErrorType.InvalidConfiguration,
    `invalid environment: ${problems.join('; ')}; fix or unset the variable`,
    { variables: parsed.error.issues.map((issue) => issue.path.join('.')) },
  );
}

/** Flags that override the environment; absent ones leave it alone. Commands parse their own flags. */
export interface SettingsFlags {
  temporalAddress?: string | undefined;
  temporalNamespace?: string | undefined;
  taskQueue?: string | undefined;
  clusterName?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/**
 * The resolved settings every kubeproof process works from: the CLI's configuration, and what a worker (the
 * `kubeproof worker` process, `kubeproof dev`, or `run --embedded-worker`) is built from.
 */
export interface Settings {
  /** The Temporal frontend and namespace, as `temporal` has them (for messages). */
  address: string;
  namespace: string;
  /** How to connect: options for both Connection.connect and NativeConnection.connect. */
  temporal: TemporalTarget;
  /** Payload encryption keys, when configured: the CLI's client and every worker encrypt with the first. */
  codecKeys?: KeyRing;
  /** The bearer token `kubeproof codec-server` requires, when set. */
  codecAuthToken?: string;
  taskQueue: string;
  clusterName: string;
  uiUrl?: string;
  /** KUBECONFIG as given: one file or a path-delimiter separated list (resolved by src/config/clusters.ts). */
  kubeconfig?: string;
  context?: string;
  clustersFile?: string;
  probeLoopbackOnly: boolean;
}

/** Flags over environment over the schema's defaults. */
export function resolveSettings(env: Env, flags: SettingsFlags = {}): Settings {
  const kubeconfig = flags.kubeconfig ?? env.KUBECONFIG;
  const context = flags.context ?? env.KUBEPROOF_CONTEXT;
  const temporal = withTemporalFlags(env.temporal, {
    address: flags.temporalAddress,
    namespace: flags.temporalNamespace,
  });
  return {
    address: temporal.address,
    namespace: temporal.namespace,
    temporal,
    ...(env.codecKeys ? { codecKeys: env.codecKeys } : {}),
    ...(env.KUBEPROOF_CODEC_AUTH_TOKEN ? { codecAuthToken: env.KUBEPROOF_CODEC_AUTH_TOKEN } : {}),
    taskQueue: flags.taskQueue ?? env.KUBEPROOF_TASK_QUEUE,
    clusterName: flags.clusterName ?? env.KUBEPROOF_CLUSTER_NAME,
    ...(env.TEMPORAL_UI_URL ? { uiUrl: env.TEMPORAL_UI_URL.replace(/\/+$/, '') } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
    ...(env.KUBEPROOF_CLUSTERS_FILE ? { clustersFile: env.KUBEPROOF_CLUSTERS_FILE } : {}),
    probeLoopbackOnly: env.KUBEPROOF_PROBE_LOOPBACK_ONLY,
  };
}
