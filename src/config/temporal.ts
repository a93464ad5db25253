/**
 * Where and how every kubeproof process connects to Temporal. The variables and the profile file are the SDK's own
 * environment configuration (@temporalio/envconfig), so kubeproof reads what the Temporal CLI reads:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_GRPC_META_*, and the profile
 * TEMPORAL_PROFILE of the TOML file TEMPORAL_CONFIG_FILE (default ~/.config/temporalio/temporal.toml); variables
 * win over the profile, the CLI's --temporal-address/--temporal-namespace over both.
 *
 * envconfig is lenient where a user deserves an answer: it ignores a TEMPORAL_CONFIG_FILE that does not exist, drops
 * a client certificate given without its key, and reports an unreadable file as a bare ENOENT. Here each of those is
 * a KubeproofError InvalidConfiguration saying what is wrong, where it was set, and what to do.
 */
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import {
  loadClientConfig,
  loadClientConfigProfile,
  toClientOptions,
  type ClientConfigProfile,
  type ClientConfigTLS,
  type ConfigDataSource,
} from '@temporalio/envconfig';
import { ErrorType, KubeproofError } from '../errors';

/** The local dev server and its namespace, when neither the environment nor a profile names them. */
export const TemporalDefaults = { address: '127.0.0.1:7233', namespace: 'default' } as const;

/** What both `Connection.connect` (client) and `NativeConnection.connect` (worker) accept, and nothing else. */
export interface TemporalConnectOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export interface TemporalTarget {
  address: string;
  namespace: string;
  connect: TemporalConnectOptions;
  /** How the connection is secured, for messages: `plaintext`, `TLS`, `mTLS`, `TLS + API key`. */
  security: string;
}

export interface TemporalFlags {
  address?: string | undefined;
  namespace?: string | undefined;
}

const invalid = (message: string, variables: string[]): KubeproofError =>
  new KubeproofError(ErrorType.InvalidConfiguration, message, { variables });

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Resolves the connection from an environment whose blank variables were already dropped (see `withoutBlanks`).
 * Reads the profile file and every certificate file once; throws KubeproofError InvalidConfiguration.
 */
export function resolveTemporal(env: Readonly<Record<string, string>>, flags: TemporalFlags = {}): TemporalTarget {
  const profile = loadProfile(env);
  const tls = profile.tls && readTlsFiles(profile.tls, env);
  const { connectionOptions } = toClientOptions({ ...profile, ...(tls ? { tls } : {}) });
  const address = profile.address ?? TemporalDefaults.address;
  const connect: TemporalConnectOptions = {
    address,
    ...(connectionOptions.tls !== undefined && connectionOptions.tls !== null ? { tls: connectionOptions.tls } : {}),
    ...(typeof connectionOptions.apiKey === 'string' ? { apiKey: connectionOptions.apiKey } : {}),
    ...(profile.grpcMeta && Object.keys(profile.grpcMeta).length > 0 ? { metadata: profile.grpcMeta } : {}),
  };
  const target = { address, namespace: profile.namespace ?? TemporalDefaults.namespace, connect };
  return withTemporalFlags({ ...target, security: securityOf(connect) }, flags);
}

/** The CLI's --temporal-address and --temporal-namespace over whatever the environment and profile said. */
export function withTemporalFlags(target: TemporalTarget, flags: TemporalFlags): TemporalTarget {
  const address = flags.address ?? target.address;
  return {
    ...target,
    address,
    namespace: flags.namespace ?? target.namespace,
    connect: { ...target.connect, address },
  };
}

function securityOf(connect: TemporalConnectOptions): string {
  if (!connect.tls) return connect.apiKey ? 'API key without TLS' : 'plaintext';
  const mutual = typeof connect.tls === 'object' && connect.tls.clientCertPair !== undefined;
  return `${mutual ? 'mTLS' : 'TLS'}${connect.apiKey ? ' + API key' : ''}`;
}

const fileHint = (env: Readonly<Record<string, string>>): string =>
  env.TEMPORAL_CONFIG_FILE
    ? `the profile file ${env.TEMPORAL_CONFIG_FILE} (TEMPORAL_CONFIG_FILE)`
    : 'the default profile file (~/.config/temporalio/temporal.toml; TEMPORAL_CONFIG_FILE names another)';

function loadProfile(env: Readonly<Record<string, string>>): ClientConfigProfile {
  const file = env.TEMPORAL_CONFIG_FILE;
  if (file !== undefined && !fs.existsSync(file)) {
    throw invalid(
      `TEMPORAL_CONFIG_FILE names ${file}, which does not exist; create it (\`temporal config set\` writes one) or unset the variable`,
      ['TEMPORAL_CONFIG_FILE'],
    );
  }
  try {
    return loadClientConfigProfile({ overrideEnvVars: { ...env } });
  } catch (error) {
    const profile = env.TEMPORAL_PROFILE;
    if (profile !== undefined && /not found/i.test(reason(error))) {
      const names = Object.keys(loadClientConfig({ overrideEnvVars: { ...env } }).profiles);
      throw invalid(
        `TEMPORAL_PROFILE is "${profile}", but ${fileHint(env)} has ${names.length ? `only the profiles ${names.join(', ')}` : 'no profiles'}; set TEMPORAL_PROFILE to one of them or add [profile.${profile}]`,
        ['TEMPORAL_PROFILE'],
      );
    }
    throw invalid(
      `cannot use ${fileHint(env)}: ${reason(error)}; fix the file or point TEMPORAL_CONFIG_FILE elsewhere`,
      ['TEMPORAL_CONFIG_FILE'],
    );
  }
}

/** Each file the TLS settings name, the variable that sets it and the profile key it may come from instead. */
const TlsFiles = {
  clientCert: { variable: 'TEMPORAL_TLS_CLIENT_CERT_PATH', key: 'tls.client_cert_path', what: 'client certificate' },
  clientKey: { variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH', key: 'tls.client_key_path', what: 'client key' },
  serverCACert: { variable: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', key: 'tls.server_ca_cert_path', what: 'server CA' },
} as const;

/**
 * Replaces every file the TLS settings name with its contents (PEM), so a missing or unreadable file is reported
 * here with where it was set, rather than as a bare ENOENT from inside the SDK.
 */
function readTlsFiles(tls: ClientConfigTLS, env: Readonly<Record<string, string>>): ClientConfigTLS {
  const read = (field: keyof typeof TlsFiles, source: ConfigDataSource | undefined): ConfigDataSource | undefined => {
    if (source === undefined) return undefined;
    const { variable, key, what } = TlsFiles[field];
    const dataVariable = variable.replace(/_PATH$/, '_DATA');
    const where =
      env[variable] !== undefined
        ? variable
        : env[dataVariable] !== undefined
          ? dataVariable
          : `${key} of the Temporal profile (${fileHint(env)})`;
    let text: string;
    try {
      text = 'path' in source ? fs.readFileSync(source.path, 'utf8') : Buffer.from(source.data).toString('utf8');
    } catch (error) {
      const path = 'path' in source ? source.path : '';
      throw invalid(`cannot read the TLS ${what} ${path} (set by ${where}): ${reason(error)}; fix the path`, [
        variable,
      ]);
    }
    if (!text.includes('-----BEGIN ')) {
      throw invalid(`the TLS ${what} set by ${where} is not PEM (no "-----BEGIN" line); give a PEM file`, [variable]);
    }
    return { data: text };
  };
  const clientCert = read('clientCert', tls.clientCert);
  const clientKey = read('clientKey', tls.clientKey);
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    const missing = clientCert ? TlsFiles.clientKey : TlsFiles.clientCert;
    throw invalid(
      `a TLS client ${clientCert ? 'certificate' : 'key'} is configured without its ${missing.what}; set ${missing.variable} (or ${missing.key} in the profile) too`,
      [missing.variable],
    );
  }
  const serverCACert = read('serverCACert', tls.serverCACert);
  return {
    ...(tls.disabled !== undefined ? { disabled: tls.disabled } : {}),
    ...(tls.serverName !== undefined ? { serverName: tls.serverName } : {}),
    ...(clientCert ? { clientCert } : {}),
    ...(clientKey ? { clientKey } : {}),
    ...(serverCACert ? { serverCACert } : {}),
  };
}
