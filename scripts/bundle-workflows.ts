/**
 * Build step after `tsc -p tsconfig.build.json`: bundles the compiled workflow code once, so a packaged or
 * containerised worker loads dist/workflow-bundle.js (src/worker/create-worker.ts) instead of running webpack at
 * every start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';

const dist = path.join(__dirname, '..', 'dist');
const workflowsPath = path.join(dist, 'workflows', 'index.js');

async function main(): Promise<void> {
  if (!fs.existsSync(workflowsPath)) {
    console.error(`bundle-workflows: ${workflowsPath} is missing; run \`npm run build\` (it compiles first)`);
    process.exit(2);
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  fs.writeFileSync(path.join(dist, 'workflow-bundle.js'), code);
  console.error(`bundle-workflows: wrote dist/workflow-bundle.js (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(`bundle-workflows: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
