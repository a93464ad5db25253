/**
 * Connections to a Temporal that requires mutual TLS, configured the standard way (TEMPORAL_TLS_* variables, or a
 * Temporal CLI profile file). The dev server has no TLS, so a loopback terminator that demands a client certificate
 * from a test CA stands in front of it. The CLI and a worker get through with the certificate and are refused,
 * with a clear message and a non-zero exit, without it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal as proto } from '@temporalio/proto';
import { resolveTemporal } from '../../src/config/temporal';
import { assertExit, assertNoStackTrace, kubeproof } from '../helpers/cli';
import { stack, uniqueTaskQueue } from '../helpers/env';
import { makeTestPki, startTlsTerminator, type TestPki, type TlsTerminator } from '../helpers/tls-terminator';
import { temporalClient, withWorker } from '../helpers/worker';

let pki: TestPki;
let terminator: TlsTerminator;
let profileFile: string;

before(async () => {
  pki = makeTestPki();
  terminator = await startTlsTerminator(pki, stack.temporalAddress);
  profileFile = path.join(pki.dir, 'temporal.toml');
  fs.writeFileSync(
    profileFile,
    [
      '[profile.mtls]',
      `address = "${terminator.address}"`,
      `namespace = "${stack.temporalNamespace}"`,
      '[profile.mtls.tls]',
      `client_cert_path = "${pki.clientCert}"`,
      `client_key_path = "${pki.clientKey}"`,
      `server_ca_cert_path = "${pki.caCert}"`,
      '',
    ].join('\n'),
  );
});
after(async () => {
  await terminator.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

/** The variables a user sets for mTLS; the stack's own TEMPORAL_ADDRESS is replaced by the terminator's. */
const mtlsEnv = (): NodeJS.ProcessEnv => ({
  TEMPORAL_ADDRESS: terminator.address,
  TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
});
/** TLS that trusts the server, but no client certificate. */
const noClientCertEnv = (): NodeJS.ProcessEnv => ({
  TEMPORAL_ADDRESS: terminator.address,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
});

describe('the CLI against a Temporal that requires mTLS', () => {
  it('lists runs through the terminator with TEMPORAL_TLS_* client certificate, key and CA', async () => {
    const accepted = terminator.accepted();
    const result = await kubeproof(['list', '--limit', '1', '--json'], mtlsEnv());
    assertExit(result, 0);
    assert.ok(Array.isArray(JSON.parse(result.stdout)), 'a JSON list of runs');
    assert.ok(terminator.accepted() > accepted, 'the connection went through the mTLS terminator');
  });

  it('is refused without a client certificate: exit 3, a message naming the TLS settings, no stack trace', async () => {
    const refused = terminator.refused();
    const result = await kubeproof(['list', '--limit', '1'], noClientCertEnv());
    assertExit(result, 3);
    assertNoStackTrace(result);
    assert.match(result.stderr, new RegExp(`cannot reach Temporal at ${terminator.address} \\(TLS\\)`));
    assert.match(result.stderr, /TEMPORAL_TLS_CLIENT_CERT_PATH/);
    assert.ok(terminator.refused() > refused, 'the terminator refused the handshake');
  });

  it('is refused with a client certificate from another CA', async () => {
    const result = await kubeproof(['list'], {
      ...mtlsEnv(),
      TEMPORAL_TLS_CLIENT_CERT_PATH: pki.strangerCert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: pki.strangerKey,
    });
    assertExit(result, 3);
    assertNoStackTrace(result);
    assert.match(result.stderr, /cannot reach Temporal .*\(mTLS\)/);
  });

  it('refuses an unreadable certificate file with exit 2 before connecting, naming the variable and the path', async () => {
    const missing = path.join(pki.dir, 'missing.pem');
    const accepted = terminator.accepted() + terminator.refused();
    const result = await kubeproof(['list'], { ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: missing });
    assertExit(result, 2);
    assertNoStackTrace(result);
    assert.match(
      result.stderr,
      /cannot read the TLS client certificate .*missing\.pem \(set by TEMPORAL_TLS_CLIENT_CERT_PATH\)/,
    );
    assert.equal(terminator.accepted() + terminator.refused(), accepted, 'nothing was dialled');
  });

  it('connects with a Temporal CLI profile file (TEMPORAL_CONFIG_FILE + TEMPORAL_PROFILE)', async () => {
    const result = await kubeproof(['list', '--limit', '1', '--json'], {
      TEMPORAL_ADDRESS: '',
      TEMPORAL_CONFIG_FILE: profileFile,
      TEMPORAL_PROFILE: 'mtls',
    });
    assertExit(result, 0);
  });
});

describe('a worker against a Temporal that requires mTLS', () => {
  it('connects with the options of the profile file and polls its task queue through the terminator', async () => {
    const target = resolveTemporal({ TEMPORAL_CONFIG_FILE: profileFile, TEMPORAL_PROFILE: 'mtls' });
    assert.equal(target.security, 'mTLS');
    assert.equal(target.address, terminator.address);
    const taskQueue = uniqueTaskQueue('mtls');
    const { client, close } = await temporalClient();
    try {
      const pollers = await withWorker(
        taskQueue,
        async () => {
          // The server sees the worker's long polls once it is running; ask it (over plaintext) who polls.
          for (let attempt = 0; attempt < 40; attempt++) {
            const { pollers } = await client.workflowService.describeTaskQueue({
              namespace: stack.temporalNamespace,
              taskQueue: { name: taskQueue },
              taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            });
            if (pollers && pollers.length > 0) return pollers.length;
            await sleep(250);
          }
          return 0;
        },
        undefined,
        { temporal: target.connect },
      );
      assert.ok(pollers > 0, 'the worker polls its task queue');
    } finally {
      await close();
    }
  });

  it('`kubeproof worker` without a client certificate exits 3 with a clear message', async () => {
    const result = await kubeproof(['worker', '--task-queue', uniqueTaskQueue('mtls-refused')], noClientCertEnv());
    assertExit(result, 3);
    assertNoStackTrace(result);
    assert.match(result.stderr, new RegExp(`cannot reach Temporal at ${terminator.address} \\(TLS\\)`));
  });
});
