/** Running the `kubeproof` command as a user would, for integration tests. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './env';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const bin = join(repoRoot, 'bin', 'kubeproof.js');

/** Runs `node bin/kubeproof.js ...args` with the stack's environment (plus `env`), killing it after `timeoutMs`. */
export function kubeproof(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, KUBEPROOF_PROBE_LOOPBACK_ONLY: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The exit code, with the output in the assertion message so a failure explains itself. */
export function assertExit(result: CliResult, expected: number): void {
  assert.equal(
    result.code,
    expected,
    `exit ${result.code}, expected ${expected}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
  );
}

export function assertNoStackTrace(result: CliResult): void {
  assert.ok(!result.stderr.includes('    at '), `stack trace in stderr:\n${result.stderr}`);
}
