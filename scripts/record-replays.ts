/**
 * Records the replay corpus (test/replay/*.json) that test/workflows/replay.test.ts replays: a passing run and a
 * run compensated after a failed health check, both with the stub activities of the workflow tests, so nothing
 * touches a cluster. Re-record only on purpose (a deliberate, `patched()`-guarded workflow change); a corpus
 * recorded from new code cannot catch the change that broke old histories.
 *
 *   source .stack/env && node --import tsx scripts/record-replays.ts [name ...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import * as prettier from 'prettier';
import { startValidation } from '../src/client/validation';
import { repoRoot, uniqueTaskQueue } from '../test/helpers/env';
import {
  type Activities,
  chainScenario,
  healthReport,
  passingStubs,
  stubActivities,
  tellApplied,
  withStubWorker,
} from '../test/workflows/helpers';

export const replayDir = path.join(repoRoot, 'test', 'replay');

/** Each recording: its file (and workflow id), the stubs it runs with, and whether the run should fail. */
const recordings: { name: string; activities: Activities; verdict: 'pass' | 'fail' }[] = [
  { name: 'passing-run', activities: stubActivities().activities, verdict: 'pass' },
  {
    name: 'compensated-run',
    activities: stubActivities({
      checkHealth: () =>
        Promise.resolve(healthReport(['a', 'b', 'c'], { b: ['0/1 endpoints ready', 'readiness probe failing'] })),
    }).activities,
    verdict: 'fail',
  },
  {
    // Waves that say when they are applied, so the next one starts early (src/workflows/deploy-waves.ts).
    name: 'pipelined-run',
    activities: stubActivities({
      deployWave: async (input) => {
        if (input.wave !== undefined) await tellApplied(input);
        return passingStubs.deployWave(input);
      },
    }).activities,
    verdict: 'pass',
  },
];

async function main(): Promise<void> {
  // Bundled here from the current source, not read from test-output, so the corpus never comes from stale code.
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  fs.mkdirSync(replayDir, { recursive: true });
  // Names on the command line record only those: a recording kept from older code must not be re-recorded by the way.
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !recordings.some((r) => r.name === name));
  if (unknown.length > 0) throw new Error(`no recording named ${unknown.join(', ')}`);
  for (const { name, activities, verdict } of recordings.filter((r) => only.length === 0 || only.includes(r.name))) {
    const taskQueue = uniqueTaskQueue(`record-${name}`);
    const history = await withStubWorker(
      taskQueue,
      activities,
      async (client) => {
        const handle = await startValidation(client, {
          scenario: chainScenario,
          clusterName: 'test-cluster',
          ai: 'off',
          taskQueue,
          // The replay test replays under the same id; a closed workflow's id may be reused.
          workflowId: `kubeproof-replay-${name}`,
        });
        // Both runs complete (kubeproof did its job); the compensated one with verdict fail.
        const result = await handle.result();
        if (result.verdict !== verdict) throw new Error(`${name}: expected verdict ${verdict}, got ${result.verdict}`);
        return handle.fetchHistory();
      },
      bundle,
    );
    const file = path.join(replayDir, `${name}.json`);
    // Formatted as `npm run lint` (prettier --check .) expects, so the corpus passes the lint as recorded.
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    fs.writeFileSync(file, await prettier.format(historyToJSON(history), options));
    console.error(`${path.relative(repoRoot, file)}: ${history.events?.length ?? 0} events`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
