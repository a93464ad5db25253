/**
 * The environment the benches give a standalone worker: the caller's, plus the container image's MALLOC_ARENA_MAX
 * (read from the Dockerfile), so a measured worker allocates as a deployed one does. MALLOC_ARENA_MAX=default in
 * the caller's environment measures glibc's own default (up to eight arenas per core) instead.
 */
import fs from 'node:fs';
import path from 'node:path';

const DOCKERFILE = path.resolve(__dirname, '..', 'Dockerfile');

/** The runtime stage's MALLOC_ARENA_MAX. */
export function imageMallocArenaMax(): string {
  const value = /^ENV .*\bMALLOC_ARENA_MAX=(\d+)/m.exec(fs.readFileSync(DOCKERFILE, 'utf8'))?.[1];
  if (!value) throw new Error(`${DOCKERFILE} sets no MALLOC_ARENA_MAX: the benches run the worker as the image does`);
  return value;
}

export function workerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  if (env.MALLOC_ARENA_MAX === 'default') delete env.MALLOC_ARENA_MAX;
  else env.MALLOC_ARENA_MAX ??= imageMallocArenaMax();
  return env;
}

/** How the worker's arenas were set, for a bench's header line. */
export const describeArenas = (env: NodeJS.ProcessEnv): string =>
  env.MALLOC_ARENA_MAX ? `MALLOC_ARENA_MAX=${env.MALLOC_ARENA_MAX}` : "glibc's default malloc arenas";
