/** The health step's convergence policy: re-check an unhealthy report until healthy or the window closes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settleHealth } from '../../../src/k8s/settle';
import type { HealthReport } from '../../../src/k8s/types';

const report = (healthy: boolean): HealthReport => ({ checkedAt: '', healthy, services: [] });

describe('settleHealth', () => {
  it('returns the first healthy report', async () => {
    const answers = [false, false, true, false];
    let calls = 0;
    const result = await settleHealth(() => Promise.resolve(report(answers[calls++]!)), {
      settleMs: 60_000,
      intervalMs: 1,
    });
    assert.equal(result.healthy, true);
    assert.equal(calls, 3);
  });

  it('returns the last unhealthy report once the window has closed', async () => {
    let t = 0;
    let calls = 0;
    const result = await settleHealth(
      () => {
        calls++;
        t += 400;
        return Promise.resolve(report(false));
      },
      { settleMs: 1000, intervalMs: 1, now: () => t },
    );
    assert.equal(result.healthy, false);
    assert.equal(calls, 3);
  });

  it('takes exactly one report with settleMs 0', async () => {
    let calls = 0;
    await settleHealth(() => Promise.resolve(report(false)).finally(() => calls++), { settleMs: 0 });
    assert.equal(calls, 1);
  });
});
