import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJunit, xmlEscape } from '../../../src/cli/report/junit';
import { failedRun, passedRun } from './fixtures';
import { parseXml } from './xml';

/** The XML of each testcase, keyed by "classname/name". */
function testcases(xml: string): Map<string, string> {
  const cases = new Map<string, string>();
  for (const chunk of xml.split('<testcase ').slice(1)) {
    const classname = chunk.split('classname="')[1]!.split('"')[0]!;
    const name = chunk.split(' name="')[1]!.split('"')[0]!;
    cases.set(`${classname}/${name}`, chunk.split('</testsuite>')[0]!);
  }
  return cases;
}

describe('renderJunit', () => {
  it('writes one testsuite named after the scenario with a testcase per step and per service', () => {
    const xml = renderJunit(passedRun());
    const names = parseXml(xml);
    assert.equal(names.filter((n) => n === 'testsuite').length, 1);
    assert.ok(xml.includes('<testsuite name="kubeproof web-app-stack"'));
    assert.deepEqual(
      [...testcases(xml).keys()],
      [
        'steps/deploy',
        'steps/health',
        'steps/ai',
        'steps/baseline',
        'steps/cleanup',
        'services/frontend',
        'services/backend',
        'services/database',
        'services/cache',
      ],
    );
    assert.equal(xml.split('<failure').length - 1, 0);
    assert.ok(xml.includes('tests="9" failures="0" errors="0" skipped="0"'));
  });

  it('marks only the failed step and the failed service as failures, and the steps that never ran as skipped', () => {
    const xml = renderJunit(failedRun());
    parseXml(xml);
    const cases = testcases(xml);
    const failed = [...cases].filter(([, body]) => body.includes('<failure')).map(([key]) => key);
    assert.deepEqual(failed, ['steps/health', 'services/database']);
    const skipped = [...cases].filter(([, body]) => body.includes('<skipped')).map(([key]) => key);
    assert.deepEqual(skipped, ['steps/ai', 'steps/baseline']);
    // Cleanup ran as compensation after the failure: it passed.
    assert.ok(!cases.get('steps/cleanup')!.includes('<failure'));
    assert.ok(!cases.get('steps/cleanup')!.includes('<skipped'));
  });

  it('escapes <, &, " and \' in failure messages and details', () => {
    const xml = renderJunit(failedRun(`a <b> & "c" 'd'`));
    parseXml(xml);
    assert.ok(!xml.includes(`a <b> & "c" 'd'`));
    assert.ok(xml.includes('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;'));
    const health = testcases(xml).get('steps/health')!;
    assert.ok(health.includes('<failure message="service database: a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;">'));
  });

  it('drops characters XML cannot carry and escapes the suite name', () => {
    assert.equal(xmlEscape('bell\u0007 and tab\t'), 'bell and tab\t');
    const xml = renderJunit(passedRun({ scenario: 'a&b' }));
    assert.ok(xml.includes('<testsuite name="kubeproof a&amp;b"'));
    parseXml(xml);
  });

  it('reports every service as skipped but the one that failed when the deploy step failed', () => {
    const { health: _health, ...run } = failedRun();
    const xml = renderJunit({
      ...run,
      steps: [{ name: 'deploy', status: 'failed', startedAt: 0, durationMs: 5, error: 'service database: timeout' }],
      failure: { step: 'deploy', service: 'database', type: 'ServiceNotReady', message: 'service database: timeout' },
    });
    parseXml(xml);
    const cases = testcases(xml);
    assert.ok(cases.get('services/database')!.includes('<failure'));
    for (const name of ['frontend', 'backend', 'cache']) assert.ok(cases.get(`services/${name}`)!.includes('<skipped'));
  });
});
