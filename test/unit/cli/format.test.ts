import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../src/cli/config';
import { CliError, ExitCode } from '../../../src/cli/exit';
import { humanDuration, table, webUiLink } from '../../../src/cli/format';
import { progressBlock, progressChanges, retryLines } from '../../../src/cli/progress-view';
import type { Progress } from '../../../src/run/contracts';

describe('humanDuration', () => {
  it('uses ms below a second, tenths of seconds below a minute, then minutes and hours', () => {
    assert.equal(humanDuration(0), '0ms');
    assert.equal(humanDuration(412.4), '412ms');
    assert.equal(humanDuration(12_345), '12.3s');
    assert.equal(humanDuration(59_999), '59.9s');
    assert.equal(humanDuration(125_000), '2m 05s');
    assert.equal(humanDuration(3_720_000), '1h 02m');
    assert.equal(humanDuration(undefined), '-');
  });
});

describe('table', () => {
  it('aligns columns and trims trailing spaces', () => {
    assert.equal(
      table([
        ['a', 'bb', ''],
        ['ccc', 'd', ''],
      ]),
      'a    bb\nccc  d',
    );
  });
});

describe('webUiLink', () => {
  it('encodes the workflow id, whose slashes would otherwise become path segments', () => {
    assert.equal(
      webUiLink('http://127.0.0.1:8233/', 'default', 'kubeproof/local/web/1', 'r1'),
      'http://127.0.0.1:8233/namespaces/default/workflows/kubeproof%2Flocal%2Fweb%2F1/r1/history',
    );
  });
});

describe('resolveConfig', () => {
  it('takes flags over environment over defaults', () => {
    assert.deepEqual(resolveConfig({}, {}), {
      address: '127.0.0.1:7233',
      namespace: 'default',
      temporal: {
        address: '127.0.0.1:7233',
        namespace: 'default',
        connect: { address: '127.0.0.1:7233' },
        security: 'plaintext',
      },
      taskQueue: 'kubeproof',
      clusterName: 'local',
      probeLoopbackOnly: false,
    });
    const env = {
      TEMPORAL_ADDRESS: 'env:1',
      KUBEPROOF_TASK_QUEUE: 'env-q',
      KUBECONFIG: '/env/kc',
      TEMPORAL_UI_URL: 'http://ui:1/',
    };
    const cfg = resolveConfig(env, { taskQueue: 'flag-q', kubeconfig: '/flag/kc' });
    assert.equal(cfg.address, 'env:1');
    assert.equal(cfg.taskQueue, 'flag-q');
    assert.equal(cfg.kubeconfig, '/flag/kc');
    assert.equal(cfg.uiUrl, 'http://ui:1');
  });

  it('treats empty variables as unset and refuses an invalid one as a usage error', () => {
    assert.equal(resolveConfig({ TEMPORAL_ADDRESS: '', TEMPORAL_UI_URL: '' }, {}).address, '127.0.0.1:7233');
    assert.throws(
      () => resolveConfig({ TEMPORAL_UI_URL: 'not a url' }, {}),
      (error: unknown) =>
        error instanceof CliError && error.exitCode === ExitCode.Usage && error.message.includes('TEMPORAL_UI_URL'),
    );
  });
});

const progress = (overrides: Partial<Progress> = {}): Progress => ({
  workflowId: 'w',
  step: 'deploy',
  services: { database: 'pending', backend: 'pending' },
  startedAt: 1_000,
  elapsedMs: 0,
  namespace: '',
  steps: [],
  ...overrides,
});

describe('progressChanges', () => {
  it('prints the step and the services that left pending the first time, then only what changed', () => {
    assert.deepEqual(progressChanges(undefined, progress()), ['[deploy] step started']);
    const first = progress({ namespace: 'kp-1', services: { database: 'starting', backend: 'pending' } });
    assert.deepEqual(progressChanges(progress(), first), ['[deploy] namespace kp-1', '[deploy] database: starting']);
    assert.deepEqual(progressChanges(first, first), []);
    const next = progress({ step: 'health', namespace: 'kp-1', services: { database: 'ready', backend: 'pending' } });
    // Service states change while deploying: they are labelled with the deploy step, whatever step is current now.
    assert.deepEqual(progressChanges(first, next), ['[deploy] database: ready', '[health] step started']);
  });

  it('shows steps that started and finished between two polls, in order, with their outcome', () => {
    const before = progress({ step: 'health', namespace: 'kp-1' });
    const after = progress({
      step: 'baseline',
      namespace: 'kp-1',
      steps: [
        { name: 'deploy', status: 'ok', startedAt: 0, durationMs: 1200 },
        { name: 'health', status: 'ok', startedAt: 0, durationMs: 300 },
        { name: 'ai', status: 'ok', startedAt: 0, durationMs: 40 },
      ],
    });
    assert.deepEqual(progressChanges(before, after), [
      '[deploy] ok in 1.2s',
      '[health] ok in 300ms',
      '[ai] ok in 40ms',
      '[baseline] step started',
    ]);
  });
});

describe('progressBlock', () => {
  it('marks done, current and skipped steps and counts elapsed time on the local clock', () => {
    const lines = progressBlock('web on local', progress({ step: 'ai', namespace: 'kp-1' }), {
      skipped: ['baseline'],
      now: 13_300,
    });
    assert.deepEqual(lines, [
      'web on local  12.3s',
      '  [x] deploy  [x] health  [>] ai  [-] baseline  [ ] cleanup',
      '  namespace kp-1',
      '    database  pending',
      '    backend   pending',
    ]);
  });
});

describe('retryLines', () => {
  it('warns about each retrying activity with its attempt and last failure on one line', () => {
    assert.deepEqual(retryLines([{ activity: 'ledgerHistory', attempt: 4, lastFailure: 'no poller\nseen' }]), [
      '  ! ledgerHistory retrying (attempt 4): no poller seen',
    ]);
  });
});
