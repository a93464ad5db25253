/**
 * What tests need from the running local stack (sourced from .stack/env by scripts/test.sh). A test that needs
 * the stack fails loudly when it is missing rather than passing vacuously.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const outputDir = path.join(repoRoot, 'test-output');
export const bundlePath = path.join(outputDir, 'workflow-bundle.js');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` (it starts the local stack)`);
  return value;
}

export const stack = {
  get kubeconfig() {
    return required('KUBECONFIG');
  },
  get temporalAddress() {
    return required('TEMPORAL_ADDRESS');
  },
  get temporalNamespace() {
    return process.env.TEMPORAL_NAMESPACE ?? 'default';
  },
  get uiUrl() {
    return process.env.TEMPORAL_UI_URL ?? '';
  },
};

/** A task queue of its own for every test, so workers of different tests never steal each other's tasks. */
export const uniqueTaskQueue = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function workflowBundle(): { code: string } {
  if (!fs.existsSync(bundlePath)) throw new Error(`no workflow bundle at ${bundlePath}: run \`npm test\``);
  return { code: fs.readFileSync(bundlePath, 'utf8') };
}
