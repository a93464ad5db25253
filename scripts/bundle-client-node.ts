/**
 * Build step after `tsc -p tsconfig.build.json`: replaces dist/k8s/client-node.js, which tsc wrote as a plain
 * re-export of @kubernetes/client-node, with the library and its dependencies bundled into one minified CommonJS
 * file. As published, the library is ≈ 970 ES modules (850 of them generated API models, all loaded whatever one
 * imports): one file of the same code costs every compiled process that loads it ≈ 30 MiB less memory and loads
 * in about a third of the time (BENCHMARKS.md, issue 14). The package then needs the library only to build, so it
 * is a dev dependency; test/integration/package.test.ts runs the packed CLI and worker without it. A bundle carries
 * none of the packages' LICENSE files, so their texts are written beside it, in client-node.LICENSES.txt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(__dirname, '..');
const target = path.join(root, 'dist', 'k8s', 'client-node.js');
const licenses = path.join(root, 'dist', 'k8s', 'client-node.LICENSES.txt');

/** The package directories the bundle's input files come from (`node_modules/a/…`, `node_modules/@s/b/…`). */
function packagesOf(inputs: string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const [scope, name] = input.slice(at + 'node_modules/'.length).split('/');
    dirs.add(input.slice(0, at) + (scope!.startsWith('@') ? `node_modules/${scope}/${name}` : `node_modules/${scope}`));
  }
  return [...dirs].sort();
}

/** Each bundled package's name, version, declared license and license file, one after another. */
function licenseTexts(dirs: string[]): string {
  return dirs
    .map((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        license?: string;
      };
      const file = fs.readdirSync(path.join(root, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = file
        ? fs.readFileSync(path.join(root, dir, file), 'utf8').trim()
        : '(no license file in the package)';
      return `${pkg.name} ${pkg.version} (${pkg.license ?? 'license not declared'})\n\n${text}\n`;
    })
    .join(`\n${'-'.repeat(80)}\n\n`);
}

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
    banner: {
      js: `// @kubernetes/client-node ${version} and its dependencies, bundled by scripts/bundle-client-node.ts`,
    },
    outfile: target,
    allowOverwrite: true,
    logLevel: 'warning',
    metafile: true,
  });
  // tsc's source map described the re-export the bundle replaced.
  fs.rmSync(`${target}.map`, { force: true });
  const inputs = Object.keys(result.metafile.inputs);
  const packages = packagesOf(inputs);
  fs.writeFileSync(licenses, licenseTexts(packages));
  const size = fs.statSync(target).size;
  console.error(
    `bundle-client-node: wrote dist/k8s/client-node.js (${Math.round(size / 1024)} KiB, ${inputs.length} modules of ` +
      `@kubernetes/client-node ${version} and ${packages.length - 1} other packages) and their licenses`,
  );
}

main().catch((error: unknown) => {
  console.error(`bundle-client-node: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
