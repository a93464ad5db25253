/**
 * The Temporal connection from the SDK's environment configuration: the options handed to both Connection.connect
 * and NativeConnection.connect, and the messages for configuration that cannot work.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../../../src/cli/config';
import { CliError, ExitCode } from '../../../src/cli/exit';
import { resolveTemporal } from '../../../src/config/temporal';
import { ErrorType, KubeproofError } from '../../../src/errors';
import { resolveWorkerConfig } from '../../../src/worker/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-temporal-config-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const cert = file('client.pem', pem('CERTIFICATE', 'Y2VydA=='));
const key = file('client.key', pem('PRIVATE KEY', 'a2V5'));
const ca = file('ca.pem', pem('CERTIFICATE', 'Y2E='));

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const refusal =
  (...parts: RegExp[]) =>
  (error: unknown) =>
    error instanceof KubeproofError &&
    error.type === ErrorType.InvalidConfiguration &&
    parts.every((part) => part.test(error.message));

describe('the Temporal connection', () => {
  it('is the plaintext local dev server when nothing is configured', () => {
    const target = resolveTemporal({});
    assert.deepEqual(target, {
      address: '127.0.0.1:7233',
      namespace: 'default',
      connect: { address: '127.0.0.1:7233' },
      security: 'plaintext',
    });
  });

  it('takes TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, with the flags winning over both', () => {
    const env = { TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'ops' };
    assert.equal(resolveTemporal(env).address, 'temporal:7233');
    const flagged = resolveTemporal(env, { address: 'other:7233', namespace: 'flag-ns' });
    assert.deepEqual(
      [flagged.address, flagged.namespace, flagged.connect.address],
      ['other:7233', 'flag-ns', 'other:7233'],
    );
  });

  it('turns on TLS for TEMPORAL_API_KEY and passes the key, as envconfig does', () => {
    const target = resolveTemporal({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret' });
    assert.deepEqual(target.connect, { address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'secret' });
    assert.equal(target.security, 'TLS + API key');
  });

  it('keeps TLS off for an API key when TEMPORAL_TLS=false says so explicitly', () => {
    const target = resolveTemporal({ TEMPORAL_API_KEY: 'secret', TEMPORAL_TLS: 'false' });
    assert.equal(target.connect.tls, false);
    assert.equal(target.security, 'API key without TLS');
  });

  it('reads the client certificate, key and server CA named by TEMPORAL_TLS_* into an mTLS configuration', () => {
    const target = resolveTemporal({
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: key,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    assert.deepEqual(target.connect.tls, {
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: bytes(fs.readFileSync(ca, 'utf8')),
      clientCertPair: { crt: bytes(fs.readFileSync(cert, 'utf8')), key: bytes(fs.readFileSync(key, 'utf8')) },
    });
    assert.equal(target.security, 'mTLS');
  });

  it('passes TEMPORAL_GRPC_META_* as gRPC metadata', () => {
    assert.deepEqual(resolveTemporal({ TEMPORAL_GRPC_META_X_TEAM: 'platform' }).connect.metadata, {
      'x-team': 'platform',
    });
  });

  it('uses the profile TEMPORAL_PROFILE of TEMPORAL_CONFIG_FILE, variables winning over it', () => {
    const config = file(
      'temporal.toml',
      [
        '[profile.default]',
        'address = "default:7233"',
        '[profile.prod]',
        'address = "prod.example:7233"',
        'namespace = "prod-ns"',
        '[profile.prod.tls]',
        `client_cert_path = "${cert}"`,
        `client_key_path = "${key}"`,
        '',
      ].join('\n'),
    );
    const prod = resolveTemporal({ TEMPORAL_CONFIG_FILE: config, TEMPORAL_PROFILE: 'prod' });
    assert.deepEqual([prod.address, prod.namespace, prod.security], ['prod.example:7233', 'prod-ns', 'mTLS']);
    assert.equal(resolveTemporal({ TEMPORAL_CONFIG_FILE: config }).address, 'default:7233');
    const overridden = resolveTemporal({
      TEMPORAL_CONFIG_FILE: config,
      TEMPORAL_PROFILE: 'prod',
      TEMPORAL_ADDRESS: 'x:1',
    });
    assert.deepEqual([overridden.address, overridden.namespace], ['x:1', 'prod-ns']);
  });

  it('refuses a TEMPORAL_PROFILE the file does not have, listing the profiles it has', () => {
    const config = file('one-profile.toml', '[profile.staging]\naddress = "s:7233"\n');
    assert.throws(
      () => resolveTemporal({ TEMPORAL_CONFIG_FILE: config, TEMPORAL_PROFILE: 'prod' }),
      refusal(/TEMPORAL_PROFILE is "prod"/, /only the profiles staging/, /add \[profile\.prod\]/),
    );
  });

  it('refuses a TEMPORAL_CONFIG_FILE that does not exist rather than silently connecting elsewhere', () => {
    const missing = path.join(dir, 'nope.toml');
    assert.throws(
      () => resolveTemporal({ TEMPORAL_CONFIG_FILE: missing }),
      refusal(/TEMPORAL_CONFIG_FILE/, /nope\.toml/),
    );
  });

  it('refuses a profile file that is not TOML, naming the file', () => {
    const config = file('broken.toml', '[profile.default\naddress = \n');
    assert.throws(() => resolveTemporal({ TEMPORAL_CONFIG_FILE: config }), refusal(/broken\.toml/, /fix the file/));
  });

  it('names the variable and the path of a certificate file it cannot read', () => {
    const missing = path.join(dir, 'missing.pem');
    assert.throws(
      () => resolveTemporal({ TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: key }),
      refusal(/client certificate/, /missing\.pem/, /TEMPORAL_TLS_CLIENT_CERT_PATH/, /ENOENT/, /fix the path/),
    );
  });

  it('names the profile key when the unreadable file comes from the profile', () => {
    const config = file(
      'bad-ca.toml',
      `[profile.default.tls]\nserver_ca_cert_path = "${path.join(dir, 'gone.pem')}"\n`,
    );
    assert.throws(
      () => resolveTemporal({ TEMPORAL_CONFIG_FILE: config }),
      refusal(/server CA/, /gone\.pem/, /tls\.server_ca_cert_path of the Temporal profile/),
    );
  });

  it('refuses a client certificate without its key (envconfig would silently drop it)', () => {
    assert.throws(
      () => resolveTemporal({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert }),
      refusal(/without its client key/, /TEMPORAL_TLS_CLIENT_KEY_PATH/),
    );
  });

  it('refuses a certificate file that is not PEM', () => {
    const der = file('cert.der', 'not a pem file');
    assert.throws(
      () => resolveTemporal({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: der }),
      refusal(/server CA/, /not PEM/, /TEMPORAL_TLS_SERVER_CA_CERT_PATH/),
    );
  });

  it('gives the CLI and the worker the same connection, and is a usage error (exit 2) for the CLI', () => {
    const env = { TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret', TEMPORAL_NAMESPACE: 'ns' };
    assert.deepEqual(resolveConfig(env, {}).temporal, resolveWorkerConfig(env).temporal);
    assert.throws(
      () => resolveConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'missing.pem') }, {}),
      (error: unknown) => error instanceof CliError && error.exitCode === ExitCode.Usage,
    );
  });
});
