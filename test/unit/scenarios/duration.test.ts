import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatDuration, parseDuration } from '../../../src/scenarios';

describe('parseDuration', () => {
  it('reads milliseconds, seconds, minutes and hours', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
  });

  it('reads fractions and rounds to whole milliseconds', () => {
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('0.25m'), 15_000);
    assert.equal(parseDuration('1.0004s'), 1000);
  });

  it('refuses words, missing units, signs and unknown units', () => {
    for (const text of ['5 minutes', '30', '-1s', '1d', 's', '', '1.s', '1h30m']) {
      assert.equal(parseDuration(text), undefined, text);
    }
  });
});

describe('formatDuration', () => {
  it('uses the largest unit that divides the value exactly', () => {
    assert.equal(formatDuration(3_600_000), '1h');
    assert.equal(formatDuration(120_000), '2m');
    assert.equal(formatDuration(90_000), '90s');
    assert.equal(formatDuration(1500), '1500ms');
    assert.equal(formatDuration(0), '0s');
  });

  it('produces text that parses back to the same milliseconds', () => {
    for (const ms of [1, 500, 1000, 61_000, 900_000, 7_200_000]) {
      assert.equal(parseDuration(formatDuration(ms)), ms);
    }
  });
});
