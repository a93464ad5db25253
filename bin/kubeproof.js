#!/usr/bin/env node
// Runs the compiled CLI (dist/, from `npm run build`: what the package and the image ship). In a checkout
// (src/ beside it, tsx installed) it runs the TypeScript sources through tsx, so a stale dist/ never shadows
// the code being edited; KUBEPROOF_COMPILED=1 forces dist/ there.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'cli', 'main.js');

function tsxAvailable() {
  try {
    require.resolve('tsx/cjs');
    return true;
  } catch {
    return false;
  }
}

const checkout = fs.existsSync(path.join(root, 'src', 'cli', 'main.ts')) && tsxAvailable();
if (fs.existsSync(compiled) && (!checkout || process.env.KUBEPROOF_COMPILED === '1')) {
  require(compiled);
} else if (checkout) {
  require('tsx/cjs');
  require('../src/cli/main.ts');
} else {
  console.error('kubeproof: dist/cli/main.js is missing; run `npm run build` (or install the published package)');
  process.exit(2);
}
