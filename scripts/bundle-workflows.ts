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

/**
 * The bundle without the sources' text in its inline source map (675 KiB of the 1.8 MiB). Every Worker parses
 * that map in the main thread and again in its workflow thread; stack traces still map to file, line and column
 * through `mappings`. The text only serves the enhanced stack trace query's `showStackTraceSources`, which
 * kubeproof's workers leave off. Measured: ≈ 20 MiB less peak RSS at worker start (BENCHMARKS.md, memory).
 */
function withoutSourcesContent(code: string): string {
  const at = code.lastIndexOf('//# sourceMappingURL=data:');
  const data = code.indexOf('base64,', at) + 'base64,'.length;
  if (at < 0 || data < at) throw new Error('the workflow bundle has no inline source map (the SDK requires one)');
  const map = JSON.parse(Buffer.from(code.slice(data).trim(), 'base64').toString('utf8')) as {
    sourcesContent?: unknown;
  };
  delete map.sourcesContent;
  return `${code.slice(0, data)}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

async function main(): Promise<void> {
  if (!fs.existsSync(workflowsPath)) {
    console.error(`bundle-workflows: ${workflowsPath} is missing; run \`npm run build\` (it compiles first)`);
    process.exit(2);
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const bundle = withoutSourcesContent(code);
  fs.writeFileSync(path.join(dist, 'workflow-bundle.js'), bundle);
  console.error(`bundle-workflows: wrote dist/workflow-bundle.js (${Math.round(bundle.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(`bundle-workflows: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
