/**
 * Build step after `tsc -p tsconfig.build.json`: writes dist/scenarios/catalog.json, the built-in scenarios as
 * `kubeproof scenarios list` shows them, computed by the compiled loader and planner (src/scenarios/catalog.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as Catalog from '../src/scenarios/catalog';

const compiled = path.join(__dirname, '..', 'dist', 'scenarios', 'catalog.js');

function main(): void {
  if (!fs.existsSync(compiled)) {
    console.error(`write-catalog: ${compiled} is missing; run \`npm run build\` (it compiles first)`);
    process.exit(2);
  }
  // The compiled module, so the catalog is what dist/ computes, next to where dist/ reads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { catalogPath, computeCatalog } = require(compiled) as typeof Catalog;
  const catalog = computeCatalog();
  fs.writeFileSync(catalogPath, `${JSON.stringify(catalog, null, 2)}\n`);
  console.error(`write-catalog: wrote dist/scenarios/catalog.json (${catalog.length} built-in scenarios)`);
}

main();
