/**
 * Starting and stopping the stack's processes. Each one runs in its own process group (detached) and its PID
 * is recorded, so `stack:down` stops exactly what `stack:up` started — never anything found by name.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackConfig } from './config';
import { log } from './config';

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * The fields of /proc/<pid>/stat (or of one thread's, /proc/<pid>/task/<tid>/stat) after the command name, which
 * may contain spaces: index 0 is the state (field 3), index 19 the start time (field 22).
 */
function statFields(statFile: string): string[] | undefined {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * Some thread of the process still runs. A killed component is reparented to PID 1, and PID 1 on these machines
 * (and in many containers) reaps orphans late: the dead process lingers as a zombie for a second or more, and
 * signal 0 still reaches it. Counting it as alive made stack:up keep a dead Prometheus as "already running". The
 * leader shows as a zombie as soon as its own thread exits, while other threads may still be tearing down (and
 * holding the listening socket), so every thread is looked at.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let threads: string[];
  try {
    threads = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return true; // No procfs to ask: signal 0 is all there is.
  }
  return threads.some((tid) => {
    const state = statFields(`/proc/${pid}/task/${tid}/stat`)?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  });
}

/**
 * The kernel's start time of a process (clock ticks since boot). Recorded with the PID so a PID reused by an
 * unrelated process after a reboot is never mistaken for ours.
 */
function startTime(pid: number): string | undefined {
  return statFields(`/proc/${pid}/stat`)?.[19];
}

export function readPid(cfg: StackConfig, name: string): number | undefined {
  try {
    const [pidText, recordedStart] = fs
      .readFileSync(path.join(cfg.pids, `${name}.pid`), 'utf8')
      .trim()
      .split(/\s+/);
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 1) return undefined;
    // Alive but started at another time: not the process we started.
    if (recordedStart && isAlive(pid) && startTime(pid) !== recordedStart) return undefined;
    return pid;
  } catch {
    return undefined;
  }
}

export function runningPid(cfg: StackConfig, name: string): number | undefined {
  const pid = readPid(cfg, name);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

export function startProcess(cfg: StackConfig, opts: StartOptions): number {
  fs.mkdirSync(cfg.logs, { recursive: true });
  fs.mkdirSync(cfg.pids, { recursive: true });
  const logFile = path.join(cfg.logs, `${opts.name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd ?? cfg.state,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.command}): see ${logFile}`);
  child.unref();
  fs.writeFileSync(path.join(cfg.pids, `${opts.name}.pid`), `${child.pid} ${startTime(child.pid) ?? ''}\n`);
  log(`started ${opts.name} (pid ${child.pid}, log ${path.relative(process.cwd(), logFile)})`);
  return child.pid;
}

/** Polls until the process is dead (see isAlive); false if it still runs after `timeoutMs`. */
export async function untilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Stops one recorded process group: SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess(cfg: StackConfig, name: string, graceMs = 10_000): Promise<void> {
  const pid = readPid(cfg, name);
  const pidFile = path.join(cfg.pids, `${name}.pid`);
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  if (isAlive(pid)) {
    signalGroup('SIGTERM');
    if (!(await untilDead(pid, graceMs))) {
      log(`${name} (pid ${pid}) ignored SIGTERM, sending SIGKILL`);
      signalGroup('SIGKILL');
      await untilDead(pid, 5000);
    }
    log(`stopped ${name} (pid ${pid})`);
  }
  // Children that outlived their leader still belong to the group.
  signalGroup('SIGKILL');
  fs.rmSync(pidFile, { force: true });
}

/** Polls `probe` until it resolves true; fails with the tail of the component's log. */
export async function waitFor(
  cfg: StackConfig,
  name: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const pid = readPid(cfg, name);
    if (pid !== undefined && !isAlive(pid)) break;
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  const logFile = path.join(cfg.logs, `${name}.log`);
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n') : '';
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`${name} did not become healthy within ${timeoutMs / 1000}s${reason}. Log tail:\n${tail}`);
}
