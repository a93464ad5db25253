import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtractionWork } from '../../../src/ai/json-extract';
import { extractFirstJsonObject, jsonObjectsIn } from '../../../src/ai/json-extract';
import { MAX_ANSWER_BYTES, parseVerdictText } from '../../../src/ai/provider';
import { defaultVerdict } from '../../fixtures/openai-server';

const all = (text: string, work?: ExtractionWork) => [...jsonObjectsIn(text, work ? { work } : {})];

describe('jsonObjectsIn', () => {
  it('finds every top-level object in prose, in order, without the objects nested inside a found one', () => {
    assert.deepEqual(all('a {"x":1} b {"y":{"z":2}} c'), [{ x: 1 }, { y: { z: 2 } }]);
  });

  it('finds an object nested inside a candidate that is not JSON', () => {
    assert.deepEqual(all('{ note: {"verdict":"pass"} and more }'), [{ verdict: 'pass' }]);
  });

  it('finds an object after an opening brace that never closes', () => {
    assert.deepEqual(all('{ unfinished thought, then {"a":1}'), [{ a: 1 }]);
  });

  it('ignores braces inside strings and escaped quotes', () => {
    assert.deepEqual(all('{"a":"x}y{","b":"q\\"}"}'), [{ a: 'x}y{', b: 'q"}' }]);
  });

  it('skips prose braces before the verdict, as in a model that adds {or not} to its answer', () => {
    const text = `Let me know {or not}. ${JSON.stringify(defaultVerdict)}`;
    assert.deepEqual(all(text), [defaultVerdict]);
  });

  it('reads each character of 256 KB of `{` once and parses nothing', () => {
    const work: ExtractionWork = { scanned: 0, parsed: 0 };
    const text = '{'.repeat(256 * 1024);
    assert.deepEqual(all(text, work), []);
    assert.equal(work.scanned, text.length);
    assert.equal(work.parsed, 0);
  });

  it('tries nested candidates that fail at their end until it finds the valid one inside', () => {
    assert.deepEqual(all('{"a":{"a":{"a":{} ,} ,} ,}'), [{}]);
  });

  it('stops searching once JSON.parse has been given four times the text, however deep the nesting', () => {
    const depth = 20_000;
    const text = '{"a":'.repeat(depth) + '{}' + ' ,}'.repeat(depth);
    const work: ExtractionWork = { scanned: 0, parsed: 0 };
    assert.deepEqual(all(text, work), []);
    assert.equal(work.scanned, text.length);
    assert.ok(work.parsed <= 4 * text.length, `parsed ${work.parsed} characters of a ${text.length}-character text`);
    assert.ok(work.parsed > 3 * text.length, 'the budget was used, not skipped');
  });

  it('keeps extractFirstJsonObject returning the first object or undefined', () => {
    assert.deepEqual(extractFirstJsonObject('x {"a":1} {"b":2}'), { a: 1 });
    assert.equal(extractFirstJsonObject('{"verdict": "pass", "summary": "cut'), undefined);
  });
});

describe('parseVerdictText', () => {
  it('refuses 256 KB of `{` as larger than a verdict needs, before searching it', () => {
    const started = Date.now();
    const parsed = parseVerdictText('{'.repeat(256 * 1024));
    assert.deepEqual(parsed, {
      ok: false,
      problem: `answer is 262144 bytes, more than the ${MAX_ANSWER_BYTES} a verdict needs`,
    });
    assert.ok(Date.now() - started < 2000);
  });

  it('searches 64 KB of `{` (the largest accepted answer) within a generous bound', () => {
    const started = Date.now();
    const parsed = parseVerdictText('{'.repeat(MAX_ANSWER_BYTES));
    assert.deepEqual(parsed, { ok: false, problem: 'no JSON object in the answer' });
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it('accepts a verdict padded with prose up to the cap and refuses one a byte over it', () => {
    const json = JSON.stringify(defaultVerdict);
    const fits = json + 'x'.repeat(MAX_ANSWER_BYTES - json.length);
    assert.equal(parseVerdictText(fits).ok, true);
    const over = fits + 'x';
    assert.match((parseVerdictText(over) as { problem: string }).problem, /more than the 65536 a verdict needs/);
  });
});
