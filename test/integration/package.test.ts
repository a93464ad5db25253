/**
 * The packed tarball, installed into an empty directory with production dependencies only, runs the CLI and a
 * worker; and the Dockerfile's entrypoint command (no container engine here) runs the compiled worker there.
 * The install is cached under ~/.cache/kubeproof/package-<tarball sha256> (npm install from the registry is slow).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { computeCatalog } from '../../src/scenarios/catalog';
import { repoRoot, stack, uniqueTaskQueue } from '../helpers/env';

const cacheRoot = path.join(os.homedir(), '.cache', 'kubeproof');
let installDir = '';
let packageDir = '';

/** `npm pack` (its prepack runs the build), then an install of that exact tarball, reused when already done. */
function packAndInstall(): void {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  const tarball = path.join(packDir, path.basename(filename));
  const hash = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16);
  installDir = path.join(cacheRoot, `package-${hash}`);
  packageDir = path.join(installDir, 'node_modules', 'kubeproof');
  const done = path.join(installDir, '.installed');
  if (!fs.existsSync(done)) {
    fs.rmSync(installDir, { recursive: true, force: true });
    fs.mkdirSync(installDir, { recursive: true });
    fs.writeFileSync(path.join(installDir, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: installDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    fs.writeFileSync(done, `${new Date().toISOString()}\n`);
  }
  fs.rmSync(packDir, { recursive: true, force: true });
}

/** Runs a command until it logs that it polls, then SIGTERMs it; resolves with its exit code and output. */
function runUntilPolling(
  command: string,
  args: string[],
  cwd: string,
  taskQueue: string,
): Promise<{ polled: boolean; code: number | null; output: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: stack.kubeconfig,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporalNamespace,
    KUBEPROOF_TASK_QUEUE: taskQueue,
    ...(process.env.KUBEPROOF_CLUSTER_NAME ? { KUBEPROOF_CLUSTER_NAME: process.env.KUBEPROOF_CLUSTER_NAME } : {}),
  };
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let polled = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (!polled && output.includes(`polling task queue "${taskQueue}"`)) {
      polled = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ polled, code, output });
    });
  });
}

describe('the npm package', { timeout: 900_000 }, () => {
  before(packAndInstall, { timeout: 900_000 });

  it('ships compiled JavaScript and the prebundled workflows, and installs without any dev dependency', () => {
    assert.ok(fs.existsSync(path.join(packageDir, 'dist', 'cli', 'main.js')));
    assert.ok(fs.existsSync(path.join(packageDir, 'dist', 'workflow-bundle.js')));
    assert.ok(!fs.existsSync(path.join(packageDir, 'src')), 'no TypeScript sources in the package');
    for (const dev of ['tsx', 'typescript', 'eslint', '@temporalio/testing']) {
      assert.ok(!fs.existsSync(path.join(installDir, 'node_modules', dev)), `${dev} was installed`);
    }
  });

  it('prints the help and lists the built-in scenarios', () => {
    const bin = path.join(installDir, 'node_modules', '.bin', 'kubeproof');
    const help = execFileSync(bin, ['--help'], { cwd: installDir, encoding: 'utf8' });
    assert.match(help, /Usage: kubeproof/);
    const list = execFileSync(bin, ['scenarios', 'list'], { cwd: installDir, encoding: 'utf8' });
    assert.match(list, /web-app-stack/);
  });

  it('lists the built-ins from the catalog its build wrote, the same as the loader and planner give', () => {
    assert.ok(fs.existsSync(path.join(packageDir, 'dist', 'scenarios', 'catalog.json')), 'no catalog.json');
    const bin = path.join(installDir, 'node_modules', '.bin', 'kubeproof');
    const listed: unknown = JSON.parse(
      execFileSync(bin, ['scenarios', 'list', '--json'], { cwd: installDir, encoding: 'utf8' }),
    );
    assert.deepEqual(listed, computeCatalog());
  });

  it('runs a worker that polls the local Temporal and stops cleanly on SIGTERM', async () => {
    const bin = path.join(installDir, 'node_modules', '.bin', 'kubeproof');
    const queue = uniqueTaskQueue('package');
    const { polled, code, output } = await runUntilPolling(bin, ['worker'], installDir, queue);
    assert.ok(polled, `the worker never polled:\n${output}`);
    assert.equal(code, 0, output);
  });
});

describe('the Dockerfile', { timeout: 900_000 }, () => {
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in one stage and runs production dependencies only, as a non-root user, in another', () => {
    assert.equal(dockerfile.match(/^FROM /gm)?.length, 2);
    assert.match(dockerfile, /^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim/m, 'base pinned to an exact version');
    assert.match(runtime, /RUN npm ci --omit=dev/);
    assert.match(runtime, /COPY --from=build \/app\/dist \.\/dist/);
    assert.doesNotMatch(runtime, /COPY src|VOLUME/);
    assert.match(runtime, /^USER (?!root|0\b)\w+/m);
  });

  it('runs its entrypoint command, the compiled worker, against the local Temporal', async () => {
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(runtime)?.[1] ?? '[]') as string[];
    assert.deepEqual(entrypoint, ['node', 'dist/worker/main.js']);
    if (!packageDir) packAndInstall();
    const queue = uniqueTaskQueue('image');
    // The installed package has the image's layout: dist/ and bin/ beside production node_modules.
    const { polled, code, output } = await runUntilPolling(process.execPath, entrypoint.slice(1), packageDir, queue);
    assert.ok(polled, `the entrypoint never polled:\n${output}`);
    assert.equal(code, 0, output);
  });
});
