#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so a checkout works after `npm ci` without a build step.
'use strict';
require('tsx/cjs');
require('../src/cli/main.ts');
