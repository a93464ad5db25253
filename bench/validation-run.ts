/**
 * Where the time of one validation goes: runs a built-in scenario once on the local stack with an in-process
 * worker and prints each step's duration and its share of the run.
 * `source .stack/env && node --import tsx bench/validation-run.ts [scenario] [samples]`
 */
import { outcomeOf, startValidation } from '../src/client/validation';
import { loadScenario } from '../src/scenarios';
import { temporalClient, withWorker } from '../test/helpers/worker';

async function main(): Promise<void> {
  const scenario = loadScenario(process.argv[2] ?? 'web-app-stack');
  const samples = Number(process.argv[3] ?? scenario.spec.samples);
  const { client, close } = await temporalClient();
  const taskQueue = `bench-${Date.now()}`;
  const started = Date.now();
  const outcome = await withWorker(taskQueue, async () =>
    outcomeOf(await startValidation(client, { scenario, clusterName: 'bench', ai: 'off', samples, taskQueue })),
  );
  const total = Date.now() - started;
  await close();
  if (!outcome.ok) throw new Error(outcome.message);
  console.log(
    `${scenario.metadata.name}, ${samples} samples: ${(total / 1000).toFixed(1)} s wall (workflow ${(outcome.result.durationMs / 1000).toFixed(1)} s)`,
  );
  for (const step of outcome.result.steps) {
    console.log(
      `  ${step.name.padEnd(9)} ${(step.durationMs / 1000).toFixed(2).padStart(6)} s  ${((100 * step.durationMs) / outcome.result.durationMs).toFixed(0).padStart(3)} %`,
    );
  }
  for (const s of outcome.result.baseline?.summaries ?? []) {
    console.log(
      `  metric ${s.metric.padEnd(15)} n=${String(s.n).padStart(3)} median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
