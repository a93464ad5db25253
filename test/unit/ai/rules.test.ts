import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerdictSchema, buildEvidence, rulesVerdict } from '../../../src/ai';
import { input, latency, service, unhealthy } from './sample-input';

const verdictOf = (...args: Parameters<typeof input>) => rulesVerdict(buildEvidence(input(...args)), 'ai off');

describe('rulesVerdict', () => {
  it('passes a healthy run with confidence 1 and says why the rules decided', () => {
    const verdict = verdictOf([service('web'), service('db')]);
    assert.equal(verdict.verdict, 'pass');
    assert.equal(verdict.confidence, 1);
    assert.deepEqual(verdict.provenance, { source: 'rules', latencyMs: 0, attempts: 0, fallbackReason: 'ai off' });
    assert.doesNotThrow(() => VerdictSchema.parse(verdict));
  });

  it('fails with one critical finding per unhealthy service', () => {
    const verdict = verdictOf([service('web'), unhealthy('db'), unhealthy('cache')]);
    assert.equal(verdict.verdict, 'fail');
    const critical = verdict.findings.filter((f) => f.severity === 'critical');
    assert.deepEqual(
      critical.map((f) => f.service),
      ['db', 'cache'],
    );
    assert.match(critical[0]!.message, /0\/2 replicas ready/);
  });

  it('fails a service with fewer ready replicas than desired even when it is flagged healthy', () => {
    assert.equal(verdictOf([service('web', { readyReplicas: 1 })]).verdict, 'fail');
  });

  it('fails when a step failed even though every service is healthy', () => {
    const verdict = verdictOf([service('web')], {
      failedStep: { step: 'scale-out', service: 'web', reason: 'timed out after 120 s' },
    });
    assert.equal(verdict.verdict, 'fail');
    assert.equal(verdict.findings[0]?.service, 'web');
    assert.match(verdict.findings[0].message, /scale-out.*timed out/);
  });

  it('fails when the health report is unhealthy although no service says why', () => {
    const evidenceInput = input([service('web')]);
    evidenceInput.health.healthy = false;
    assert.equal(rulesVerdict(buildEvidence(evidenceInput), 'x').verdict, 'fail');
  });

  it('warns about restarts and about warning events', () => {
    assert.equal(verdictOf([service('web', { restarts: 1 })]).verdict, 'warn');
    const events = [{ object: 'pod/web-1', reason: 'BackOff', message: 'Back-off pulling image', count: 3 }];
    const verdict = verdictOf([service('web', { warningEvents: events })]);
    assert.equal(verdict.verdict, 'warn');
    assert.match(verdict.findings[0]!.evidence, /BackOff x3/);
  });

  it('warns when a latency p95 is over its target and passes when it is within', () => {
    const over = verdictOf([service('web')], { latency: [latency('podReady', 12_000)] });
    assert.equal(over.verdict, 'warn');
    assert.match(over.findings[0]!.message, /podReady p95 is 12000 ms, above its target of 10000 ms/);
    assert.equal(verdictOf([service('web')], { latency: [latency('podReady', 9000)] }).verdict, 'pass');
  });

  it('keeps the fallback reason it was given', () => {
    const verdict = rulesVerdict(buildEvidence(input([service('web')])), 'openai: HTTP 500 after 3 attempts');
    assert.equal(verdict.provenance.fallbackReason, 'openai: HTTP 500 after 3 attempts');
  });
});
