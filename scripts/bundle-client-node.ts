/**
 * Build step after `tsc -p tsconfig.build.json`: replaces dist/k8s/client-node.js, which tsc wrote as a plain
 * re-export of @kubernetes/client-node, with the library and its dependencies bundled into one minified CommonJS
 * file. As published, the library is ≈ 2 500 ES modules (one per generated API model, all loaded whatever one
 * imports): one file of the same code costs every compiled worker and CLI process ≈ 30 MiB less memory and loads
 * in about a third of the time (BENCHMARKS.md, issue 14). The package then needs the library only to build, so it
 * is a dev dependency; test/integration/package.test.ts runs the packed CLI and worker without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(__dirname, '..');
const target = path.join(root, 'dist', 'k8s', 'client-node.js');

async function main(): Promise<void> {
  if (!fs.existsSync(target)) {
    console.error(`bundle-client-node: ${target} is missing; run \`npm run build\` (it compiles first)`);
    process.exit(2);
  }
  const { version } = JSON.parse(
    fs.readFileSync(require.resolve('@kubernetes/client-node/package.json', { paths: [root] }), 'utf8'),
  ) as { version: string };
  const result = await build({
    stdin: { contents: "export * from '@kubernetes/client-node';", resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    // The libraries' license notices stay, at the end of the file.
    legalComments: 'eof',
    banner: {
      js: `// @kubernetes/client-node ${version} and its dependencies, bundled by scripts/bundle-client-node.ts`,
    },
    outfile: target,
    allowOverwrite: true,
    logLevel: 'warning',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).length;
  const size = fs.statSync(target).size;
  console.error(
    `bundle-client-node: wrote dist/k8s/client-node.js (${Math.round(size / 1024)} KiB, ${inputs} modules of @kubernetes/client-node ${version} and its dependencies)`,
  );
}

main().catch((error: unknown) => {
  console.error(`bundle-client-node: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
