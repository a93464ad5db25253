/**
 * One environment schema for every kubeproof process: the CLI, the `kubeproof worker` process and the embedded
 * worker read the same variables to the same values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../src/cli/config';
import { CliError, ExitCode } from '../../../src/cli/exit';
import { parseEnv, resolveSettings } from '../../../src/config/env';
import { ErrorType, KubeproofError } from '../../../src/errors';
import { resolveWorkerConfig, workerConfig } from '../../../src/worker/config';

const isInvalid = (variable: string) => (error: unknown) =>
  error instanceof KubeproofError && error.type === ErrorType.InvalidConfiguration && error.message.includes(variable);

describe('KUBEPROOF_PROBE_LOOPBACK_ONLY', () => {
  const cases: [string | undefined, boolean][] = [
    ['true', true],
    ['1', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
    ['', false],
    [undefined, false],
  ];
  for (const [value, expected] of cases) {
    it(`means ${expected} for ${JSON.stringify(value)} in the CLI, the worker process and the embedded worker`, () => {
      const env = { KUBEPROOF_PROBE_LOOPBACK_ONLY: value };
      const cli = resolveConfig(env, {});
      assert.equal(cli.probeLoopbackOnly, expected, 'CLI');
      assert.equal(resolveWorkerConfig(env).probeLoopbackOnly, expected, 'kubeproof worker');
      // `run --embedded-worker` builds its worker from the CLI's resolved configuration.
      assert.equal(workerConfig(cli, env).probeLoopbackOnly, expected, 'embedded worker');
    });
  }

  it('refuses any other value, naming the variable and the values it takes', () => {
    assert.throws(
      () => parseEnv({ KUBEPROOF_PROBE_LOOPBACK_ONLY: 'yes' }),
      (error: unknown) =>
        isInvalid('KUBEPROOF_PROBE_LOOPBACK_ONLY')(error) && /true, false, 1 or 0/.test(String(error)),
    );
    assert.throws(
      () => resolveWorkerConfig({ KUBEPROOF_PROBE_LOOPBACK_ONLY: 'yes' }),
      isInvalid('KUBEPROOF_PROBE_LOOPBACK_ONLY'),
    );
  });
});

describe('the environment', () => {
  it('gives the worker and the CLI the same Temporal address, namespace and task queue, flags on top', () => {
    const env = { TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'ops', KUBEPROOF_TASK_QUEUE: 'q-env' };
    const worker = resolveWorkerConfig(env, { taskQueue: 'q-flag' });
    const cli = resolveConfig(env, { taskQueue: 'q-flag' });
    assert.deepEqual([worker.address, worker.namespace, worker.taskQueue], ['temporal:7233', 'ops', 'q-flag']);
    assert.deepEqual([cli.address, cli.namespace, cli.taskQueue], [worker.address, worker.namespace, worker.taskQueue]);
  });

  it('treats blank variables as unset for the worker as for the CLI', () => {
    const env = { TEMPORAL_ADDRESS: ' ', KUBEPROOF_TASK_QUEUE: '', KUBEPROOF_CLUSTER_NAME: '' };
    assert.equal(resolveWorkerConfig(env).address, '127.0.0.1:7233');
    assert.equal(resolveWorkerConfig(env).taskQueue, 'kubeproof');
    assert.deepEqual(resolveWorkerConfig(env).clusters.names(), ['local']);
    assert.equal(resolveConfig(env, {}).address, '127.0.0.1:7233');
  });

  it('refuses a cluster name that cannot be part of a workflow id', () => {
    assert.throws(() => parseEnv({ KUBEPROOF_CLUSTER_NAME: 'prod/eu' }), isInvalid('KUBEPROOF_CLUSTER_NAME'));
  });

  it('is a usage error (exit 2) for the CLI when a variable is invalid', () => {
    assert.throws(
      () => resolveConfig({ KUBEPROOF_PROBE_LOOPBACK_ONLY: 'maybe' }, {}),
      (error: unknown) => error instanceof CliError && error.exitCode === ExitCode.Usage,
    );
  });

  it('keeps the KUBECONFIG list and the clusters file as given, for the cluster registry to resolve', () => {
    const settings = resolveSettings(
      parseEnv({ KUBECONFIG: '/a:/b', KUBEPROOF_CONTEXT: 'ctx', KUBEPROOF_CLUSTERS_FILE: 'clusters.yaml' }),
    );
    assert.equal(settings.kubeconfig, '/a:/b');
    assert.equal(settings.context, 'ctx');
    assert.equal(settings.clustersFile, 'clusters.yaml');
    assert.equal(resolveSettings(parseEnv({ KUBECONFIG: '/a' }), { kubeconfig: '/flag' }).kubeconfig, '/flag');
  });
});
