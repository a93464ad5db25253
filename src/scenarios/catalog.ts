/**
 * The built-in scenarios as `kubeproof scenarios list` shows them. `npm run build` writes them to
 * dist/scenarios/catalog.json (scripts/write-catalog.ts, through the same loader and planner as below), so the
 * compiled CLI lists them without loading the scenario schema (zod) and the YAML parser: start-up is part of the
 * product (issue 14). A checkout has no catalog.json beside this file and computes the list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Scenarios from './index';
import type { Requirements } from './schema';

export interface CatalogEntry {
  name: string;
  description: string;
  services: string[];
  waves: string[][];
  requires: Requirements | null;
}

/** Beside the compiled module: dist/scenarios/catalog.json. */
export const catalogPath = join(__dirname, 'catalog.json');

/** Every built-in parsed through ScenarioSchema and planned, as at run time. */
export function computeCatalog(): CatalogEntry[] {
  // Lazy: a build's catalog.json spares `scenarios list` the schema (zod) this loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { builtinScenarioNames, loadScenario, planWaves } = require('./index') as typeof Scenarios;
  return builtinScenarioNames.map((name) => {
    const scenario = loadScenario(name);
    return {
      name,
      description: scenario.metadata.description ?? '',
      services: scenario.spec.services.map((s) => s.name),
      waves: planWaves(scenario),
      requires: scenario.spec.requires ?? null,
    };
  });
}

/** The build's catalog when there is one, else computed. */
export function builtinCatalog(): CatalogEntry[] {
  return existsSync(catalogPath) ? (JSON.parse(readFileSync(catalogPath, 'utf8')) as CatalogEntry[]) : computeCatalog();
}
