/** Bundles the workflow code once per `npm test`; every test file's workers load the same bundle. */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundlePath } from './env';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, code);
  console.error(`workflow bundle: ${bundlePath} (${(code.length / 1024).toFixed(0)} KiB)`);
}

void main();
