/** The clusters a worker serves: from a clusters file, or one cluster from KUBECONFIG; unknown names refused. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadClusterRegistry, type ClusterSettings } from '../../../src/config/clusters';
import { ErrorType, KubeproofError, nonRetryableErrorTypes } from '../../../src/errors';
import { connect } from '../../../src/k8s/client';

let dir: string;
let home: string;

const kubeconfig = (server: string, context: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${server}`,
    'users:',
    `- name: ${context}`,
    '  user:',
    '    token: t',
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${context}`,
    `current-context: ${context}`,
    '',
  ].join('\n');

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-clusters-'));
  home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, '.kube'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'conf', 'kube'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'conf', 'kube', 'eu.yaml'), kubeconfig('https://127.0.0.1:4001', 'eu'));
  fs.writeFileSync(path.join(home, '.kube', 'us.yaml'), kubeconfig('https://127.0.0.1:4002', 'us'));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

const settings = (overrides: Partial<ClusterSettings> = {}): ClusterSettings => ({
  clusterName: 'local',
  ...overrides,
});

function writeClusters(name: string, text: string): string {
  const file = path.join(dir, 'conf', name);
  fs.writeFileSync(file, text);
  return file;
}

function caught(fn: () => unknown): KubeproofError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KubeproofError, `expected a KubeproofError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('a worker without a clusters file', () => {
  it('serves one cluster named by KUBEPROOF_CLUSTER_NAME, from the KUBECONFIG list made absolute', () => {
    const registry = loadClusterRegistry(
      settings({ clusterName: 'local-kwok', kubeconfig: `kc/a${path.delimiter}~/b`, context: 'admin' }),
      { cwd: dir, home },
    );
    assert.deepEqual(registry.names(), ['local-kwok']);
    assert.deepEqual(registry.resolve('local-kwok'), {
      kubeconfig: [path.join(dir, 'kc', 'a'), path.join(home, 'b')],
      context: 'admin',
    });
  });

  it('uses ~/.kube/config when KUBECONFIG is unset, as kubectl does', () => {
    assert.deepEqual(loadClusterRegistry(settings(), { cwd: dir, home }).resolve('local'), {
      kubeconfig: [path.join(home, '.kube', 'config')],
    });
  });
});

describe('a clusters file', () => {
  it('lists the clusters served, with paths relative to the file and ~ expanded', () => {
    const file = writeClusters(
      'clusters.yaml',
      [
        'clusters:',
        '  - name: eu',
        '    kubeconfig: kube/eu.yaml',
        '  - name: us',
        '    kubeconfig: ~/.kube/us.yaml',
        '    context: us',
        '  - name: here',
        '    inCluster: true',
      ].join('\n'),
    );
    const registry = loadClusterRegistry(settings({ clustersFile: file, kubeconfig: '/ignored' }), { cwd: '/', home });
    assert.deepEqual(registry.names(), ['eu', 'us', 'here']);
    assert.deepEqual(registry.resolve('eu'), { kubeconfig: [path.join(dir, 'conf', 'kube', 'eu.yaml')] });
    assert.deepEqual(registry.resolve('us'), { kubeconfig: [path.join(home, '.kube', 'us.yaml')], context: 'us' });
    assert.deepEqual(registry.resolve('here'), { inCluster: true });
    // The refs are what connect() needs: each name reaches its own API server.
    assert.equal(connect(registry.resolve('eu')).server, 'https://127.0.0.1:4001');
    assert.equal(connect(registry.resolve('us')).server, 'https://127.0.0.1:4002');
  });

  it('may be JSON, and an entry without a kubeconfig uses the worker KUBECONFIG', () => {
    const file = writeClusters('clusters.json', JSON.stringify({ clusters: [{ name: 'eu', context: 'eu' }] }));
    const registry = loadClusterRegistry(settings({ clustersFile: file, kubeconfig: 'kube/eu.yaml' }), {
      cwd: path.join(dir, 'conf'),
      home,
    });
    assert.equal(connect(registry.resolve('eu')).server, 'https://127.0.0.1:4001');
  });

  it('is found relative to the working directory, ~ expanded', () => {
    fs.writeFileSync(path.join(home, 'clusters.yaml'), 'clusters: [{name: us, kubeconfig: .kube/us.yaml}]\n');
    const registry = loadClusterRegistry(settings({ clustersFile: '~/clusters.yaml' }), { cwd: '/', home });
    assert.deepEqual(registry.resolve('us'), { kubeconfig: [path.join(home, '.kube', 'us.yaml')] });
  });
});

describe('a run naming a cluster the worker does not serve', () => {
  it('fails with a non-retryable UnknownCluster error listing the clusters served', () => {
    const file = writeClusters('two.yaml', 'clusters: [{name: eu}, {name: us}]\n');
    const registry = loadClusterRegistry(settings({ clustersFile: file }), { cwd: dir, home });
    const error = caught(() => registry.resolve('prod'));
    assert.equal(error.type, ErrorType.UnknownCluster);
    assert.ok(nonRetryableErrorTypes.includes(ErrorType.UnknownCluster));
    assert.match(error.message, /"prod"/);
    assert.match(error.message, /eu, us/);
  });
});

describe('an invalid clusters file', () => {
  const refusals: [string, string, RegExp][] = [
    ['lists a name twice', 'clusters: [{name: eu}, {name: eu}]', /clusters\[1\]\.name "eu" is listed twice/],
    ['misspells a field', 'clusters: [{name: eu, kubeConfig: x}]', /kubeConfig/],
    [
      'gives an in-cluster entry a kubeconfig',
      'clusters: [{name: eu, inCluster: true, kubeconfig: x}]',
      /clusters\[0\]\.inCluster/,
    ],
    ['has a name that cannot be part of a workflow id', 'clusters: [{name: "eu/1"}]', /clusters\[0\]\.name/],
    ['lists no cluster', 'clusters: []', /at least one cluster/],
    ['is not YAML', 'clusters: [{name: eu', /not valid YAML or JSON/],
  ];
  for (const [what, text, message] of refusals) {
    it(`is refused at start-up when it ${what}, naming the file`, () => {
      const file = writeClusters(`bad-${what.replace(/\W+/g, '-')}.yaml`, text);
      const error = caught(() => loadClusterRegistry(settings({ clustersFile: file }), { cwd: dir, home }));
      assert.equal(error.type, ErrorType.InvalidConfiguration);
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, message);
    });
  }

  it('is refused when it does not exist', () => {
    const error = caught(() =>
      loadClusterRegistry(settings({ clustersFile: path.join(dir, 'nope.yaml') }), { cwd: dir, home }),
    );
    assert.equal(error.type, ErrorType.InvalidConfiguration);
    assert.match(error.message, /nope\.yaml.*does not exist/);
  });
});
