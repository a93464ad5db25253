/**
 * Loading kubeconfigs as kubectl loads them: a KUBECONFIG list merges with the first file winning each name, and
 * every configuration problem is its own ClusterConfig error (never Forbidden), with no file content in it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorType, KubeproofError, nonRetryableErrorTypes } from '../../../src/errors';
import { connect, loadKubeConfig } from '../../../src/k8s/client';

interface KubeconfigSpec {
  clusters: { name: string; server: string; ca?: string }[];
  users: { name: string; token: string }[];
  contexts: { name: string; cluster: string; user: string }[];
  current?: string;
}

/** A real kubeconfig file, written as kubectl writes one. */
function kubeconfigYaml(spec: KubeconfigSpec): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of spec.clusters) {
    lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`);
    if (c.ca) lines.push(`    certificate-authority: ${c.ca}`);
  }
  lines.push('users:');
  for (const u of spec.users) lines.push(`- name: ${u.name}`, '  user:', `    token: ${u.token}`);
  lines.push('contexts:');
  for (const x of spec.contexts) {
    lines.push(`- name: ${x.name}`, '  context:', `    cluster: ${x.cluster}`, `    user: ${x.user}`);
  }
  if (spec.current) lines.push(`current-context: ${spec.current}`);
  return lines.join('\n') + '\n';
}

let dir: string;
let fileA: string;
let fileB: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-kubeconfig-'));
  fs.mkdirSync(path.join(dir, 'a'));
  fs.mkdirSync(path.join(dir, 'b'));
  fileA = path.join(dir, 'a', 'config');
  fileB = path.join(dir, 'b', 'config');
  // Both files define cluster "shared" and context "both": kubectl takes the first file's.
  fs.writeFileSync(
    fileA,
    kubeconfigYaml({
      clusters: [
        { name: 'shared', server: 'https://127.0.0.1:1001', ca: 'ca-a.crt' },
        { name: 'only-a', server: 'https://127.0.0.1:1002' },
      ],
      users: [{ name: 'user-a', token: 'token-a' }],
      contexts: [
        { name: 'both', cluster: 'shared', user: 'user-a' },
        { name: 'ctx-a', cluster: 'only-a', user: 'user-a' },
      ],
    }),
  );
  fs.writeFileSync(
    fileB,
    kubeconfigYaml({
      clusters: [
        { name: 'shared', server: 'https://127.0.0.1:2001' },
        { name: 'only-b', server: 'https://127.0.0.1:2002', ca: 'ca-b.crt' },
      ],
      users: [
        { name: 'user-a', token: 'token-from-b' },
        { name: 'user-b', token: 'token-b' },
      ],
      contexts: [
        { name: 'both', cluster: 'only-b', user: 'user-b' },
        { name: 'ctx-b', cluster: 'only-b', user: 'user-b' },
      ],
      current: 'ctx-b',
    }),
  );
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** client-node reads the service address from process.env itself, so the test sets it there and restores it. */
function withServiceEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const keys = ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;
  const saved = keys.map((k) => process.env[k]);
  for (const k of keys) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    keys.forEach((k, i) => {
      const v = saved[i];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    });
  }
}

const list = (...files: string[]) => files.join(path.delimiter);

function assertClusterConfig(fn: () => unknown, ...mustMention: string[]): KubeproofError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof KubeproofError, `expected a KubeproofError, got ${String(caught)}`);
  assert.equal(caught.type, ErrorType.ClusterConfig);
  for (const text of mustMention) assert.ok(caught.message.includes(text), `"${caught.message}" lacks "${text}"`);
  return caught;
}

describe('a KUBECONFIG list', () => {
  it('merges both files: contexts of either can be used', () => {
    const config = loadKubeConfig({ kubeconfig: list(fileA, fileB) });
    assert.deepEqual(
      config
        .getContexts()
        .map((c) => c.name)
        .sort(),
      ['both', 'ctx-a', 'ctx-b'],
    );
    assert.equal(
      loadKubeConfig({ kubeconfig: list(fileA, fileB), context: 'ctx-a' }).getCurrentCluster()?.server,
      'https://127.0.0.1:1002',
    );
  });

  it('lets the first file win a cluster, user or context defined in both', () => {
    const config = loadKubeConfig({ kubeconfig: list(fileA, fileB), context: 'both' });
    assert.equal(config.getCurrentCluster()?.server, 'https://127.0.0.1:1001');
    assert.equal(config.getCurrentUser()?.token, 'token-a');
    const reversed = loadKubeConfig({ kubeconfig: list(fileB, fileA), context: 'both' });
    assert.equal(reversed.getCurrentCluster()?.server, 'https://127.0.0.1:2002');
  });

  it('takes the current-context from the first file that sets one', () => {
    // a sets none, so b's counts.
    assert.equal(loadKubeConfig({ kubeconfig: list(fileA, fileB) }).getCurrentContext(), 'ctx-b');
    const fileC = path.join(dir, 'c-config');
    fs.writeFileSync(
      fileC,
      kubeconfigYaml({
        clusters: [{ name: 'only-c', server: 'https://127.0.0.1:3001' }],
        users: [{ name: 'user-c', token: 'token-c' }],
        contexts: [{ name: 'ctx-c', cluster: 'only-c', user: 'user-c' }],
        current: 'ctx-c',
      }),
    );
    assert.equal(loadKubeConfig({ kubeconfig: list(fileA, fileC, fileB) }).getCurrentContext(), 'ctx-c');
  });

  it('resolves relative certificate paths against the directory of the file that holds them', () => {
    const a = loadKubeConfig({ kubeconfig: list(fileA, fileB), context: 'both' });
    assert.equal(a.getCurrentCluster()?.caFile, path.join(dir, 'a', 'ca-a.crt'));
    const b = loadKubeConfig({ kubeconfig: list(fileA, fileB), context: 'ctx-b' });
    assert.equal(b.getCurrentCluster()?.caFile, path.join(dir, 'b', 'ca-b.crt'));
  });

  it('accepts the same files as an array, and skips a missing file as kubectl does', () => {
    const config = loadKubeConfig({ kubeconfig: [path.join(dir, 'missing'), fileB], context: 'ctx-b' });
    assert.equal(config.getCurrentCluster()?.server, 'https://127.0.0.1:2002');
  });

  it('connects to the cluster of the merged current context', () => {
    assert.equal(connect({ kubeconfig: list(fileA, fileB) }).server, 'https://127.0.0.1:2002');
    assert.equal(connect({ kubeconfig: list(fileA, fileB), context: 'both' }).server, 'https://127.0.0.1:1001');
  });
});

describe('kubeconfig problems', () => {
  it('are ClusterConfig errors, which are never retried and are not Forbidden', () => {
    assert.ok(nonRetryableErrorTypes.includes(ErrorType.ClusterConfig));
    const error = assertClusterConfig(() => loadKubeConfig({ kubeconfig: fileA, context: 'nope' }));
    assert.notEqual(error.type, ErrorType.Forbidden);
  });

  it('names an unknown context and the contexts there are', () => {
    assertClusterConfig(
      () => loadKubeConfig({ kubeconfig: list(fileA, fileB), context: 'prod' }),
      '"prod"',
      'both, ctx-a, ctx-b',
      fileA,
      fileB,
    );
  });

  it('names a kubeconfig that does not exist', () => {
    const missing = path.join(dir, 'nowhere', 'config');
    assertClusterConfig(() => loadKubeConfig({ kubeconfig: missing }), missing, 'does not exist');
  });

  it('names a kubeconfig that cannot be read', () => {
    // A directory cannot be read as a file, even by root (for whom chmod 000 would not stop a read).
    assertClusterConfig(
      () => loadKubeConfig({ kubeconfig: list(fileA, path.join(dir, 'b')) }),
      path.join(dir, 'b'),
      'directory',
    );
  });

  it('says a broken file is not valid YAML without quoting its content', () => {
    const broken = path.join(dir, 'broken');
    fs.writeFileSync(broken, 'users:\n- name: u\n  user:\n    token: "s3cret-Token-Value\n  bad: [\n');
    const error = assertClusterConfig(() => loadKubeConfig({ kubeconfig: broken }), broken, 'not valid YAML');
    assert.ok(!error.message.includes('s3cret'), error.message);
  });

  it('says a file without a current-context needs a context named', () => {
    assertClusterConfig(() => loadKubeConfig({ kubeconfig: fileA }), 'sets no current-context');
  });

  it('refuses in-cluster credentials outside a pod', () => {
    withServiceEnv({}, () => assertClusterConfig(() => loadKubeConfig({ inCluster: true }), 'KUBERNETES_SERVICE_HOST'));
  });

  it('loads in-cluster credentials from the mounted service account', () => {
    const root = path.join(dir, 'pod');
    const sa = path.join(root, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
    fs.mkdirSync(sa, { recursive: true });
    fs.writeFileSync(path.join(sa, 'token'), 'sa-token');
    const config = withServiceEnv({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, () =>
      loadKubeConfig({ inCluster: true }, { inClusterPathPrefix: root }),
    );
    assert.equal(config.getCurrentCluster()?.server, 'https://10.0.0.1:443');
    assert.equal(config.getCurrentCluster()?.caFile, path.join(sa, 'ca.crt'));
  });
});
