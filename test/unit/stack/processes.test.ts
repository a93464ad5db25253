import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { isAlive, untilDead } from '../../../scripts/stack/processes';

const state = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[0];

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
    // bash starts a child that exits at once, then becomes `sleep`, which never reaps it: a zombie for 30 s.
    const parent = spawn('bash', ['-c', 'true & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number(line.toString().trim());
      const deadline = Date.now() + 5000;
      while (state(zombie) !== 'Z' && Date.now() < deadline) await sleep(20);
      assert.equal(state(zombie), 'Z', 'the child became a zombie');
      assert.doesNotThrow(() => process.kill(zombie, 0), 'signal 0 reaches a zombie');
      assert.equal(isAlive(zombie), false);
    } finally {
      parent.kill('SIGKILL');
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
