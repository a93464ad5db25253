import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { isAlive, untilDead } from '../../../scripts/stack/processes';

/** The process's state letter from /proc (R, S, Z, ...), or undefined once it is gone. */
function state(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[0];
  } catch {
    return undefined;
  }
}

const comm = (pid: number) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

describe('isAlive', () => {
  it('is true for a running process and false once it has exited', async () => {
    assert.equal(isAlive(process.pid), true, 'this test process, with its many threads');
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    assert.ok(child.pid);
    assert.equal(isAlive(child.pid), true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.equal(isAlive(child.pid), false);
  });

  it('counts a zombie (dead, not yet reaped by its parent) as not alive, though signal 0 still reaches it', async () => {
    // bash starts a child, then becomes `sleep`, which never reaps it. The child is killed only after the exec, so
    // bash cannot have reaped it first: from then on it is a zombie until its parent is killed.
    const parent = spawn('bash', ['-c', 'sleep 30 & echo $!; exec sleep 31'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let zombie: number | undefined;
    try {
      assert.ok(parent.pid);
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const child = Number(line.toString().trim());
      zombie = child;
      const parentPid = parent.pid;
      const execDeadline = Date.now() + 5000;
      while (comm(parentPid) !== 'sleep' && Date.now() < execDeadline) await sleep(20);
      assert.equal(comm(parentPid), 'sleep', 'bash has become sleep');
      process.kill(child, 'SIGKILL');
      const deadline = Date.now() + 5000;
      while (state(child) !== 'Z' && Date.now() < deadline) await sleep(20);
      assert.equal(state(child), 'Z', 'the child became a zombie');
      assert.doesNotThrow(() => process.kill(child, 0), 'signal 0 reaches a zombie');
      assert.equal(isAlive(child), false);
    } finally {
      parent.kill('SIGKILL');
      if (zombie !== undefined && isAlive(zombie)) process.kill(zombie, 'SIGKILL');
    }
  });
});

describe('untilDead', () => {
  it('resolves true once a killed process is gone, and false at the deadline while it still runs', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    assert.ok(child.pid);
    assert.equal(await untilDead(child.pid, 200), false);
    child.kill('SIGKILL');
    assert.equal(await untilDead(child.pid, 5000), true);
  });
});
