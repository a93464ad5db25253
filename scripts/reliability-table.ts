/**
 * Prints the fault-injection suite's outcomes (test-output/reliability.jsonl, written by test/faults) as the
 * Markdown table RELIABILITY.md keeps: case, what was injected, outcome, leftovers, the command that reproduces it.
 *   node --import tsx scripts/reliability-table.ts
 */
import fs from 'node:fs';
import path from 'node:path';

interface Row {
  case: string;
  injected: string;
  outcome: string;
  leftovers: number;
  command: string;
  at: string;
}

const file = path.join(__dirname, '..', 'test-output', 'reliability.jsonl');
if (!fs.existsSync(file)) {
  console.error(`no ${path.relative(process.cwd(), file)}: run \`npm run test:faults\` first`);
  process.exit(2);
}
const rows = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as Row);
const cell = (text: string | number) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log('| case | injected | outcome | leftovers | reproduce |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${cell(r.case)} | ${cell(r.injected)} | ${cell(r.outcome)} | ${r.leftovers} | \`${cell(r.command)}\` |`,
  );
}
console.log(
  `\n${rows.length} cases, ${rows.reduce((n, r) => n + r.leftovers, 0)} leftover objects in total; recorded ${rows[0]?.at ?? '-'} to ${rows.at(-1)?.at ?? '-'}.`,
);
