import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVIDENCE_MAX_BYTES, buildEvidence, evidenceBytes } from '../../../src/ai';
import { input, latency, service, unhealthy } from './sample-input';

describe('buildEvidence', () => {
  it('keeps per-service health, resource usage and latency summaries with their targets', () => {
    const evidence = buildEvidence(
      input([service('web'), service('db', { readinessProbeConfigured: false })], {
        latency: [latency('podReady', 12_000), latency('scaleOut', 2000, { n: 0 })],
        targets: { podReadyP95: 10_000, scaleOutP95: 1000 },
      }),
    );
    const web = evidence.services.find((s) => s.name === 'web');
    assert.deepEqual(web?.replicas, { ready: 2, desired: 2 });
    assert.deepEqual(web?.resourceUsage, { cpuMillicores: 12.3, memoryMiB: 64 });
    assert.equal(evidence.services.find((s) => s.name === 'db')?.readinessProbe, 'missing');
    assert.deepEqual(
      evidence.latency.map((m) => [m.metric, m.p95Ms, m.targetP95Ms, m.overTarget]),
      [
        ['podReady', 12_000, 10_000, true],
        ['scaleOut', 2000, 1000, null],
      ],
    );
    assert.deepEqual(evidence.overall, {
      healthy: true,
      services: 2,
      unhealthy: 0,
      withRestarts: 0,
      withWarningEvents: 0,
    });
    assert.deepEqual(evidence.omitted, []);
  });

  it('says why resource usage is unavailable', () => {
    const evidence = buildEvidence(
      input([service('web', { resourceUsage: { available: false, reason: 'metrics-server not installed' } })]),
    );
    assert.equal(evidence.services[0]?.resourceUsage, 'unavailable: metrics-server not installed');
  });

  it('lists unhealthy services first and counts a service with too few ready replicas as unhealthy', () => {
    const evidence = buildEvidence(input([service('a'), service('b', { readyReplicas: 1 }), unhealthy('c')]));
    assert.deepEqual(
      evidence.services.map((s) => s.name),
      ['b', 'c', 'a'],
    );
    assert.equal(evidence.overall.unhealthy, 2);
    assert.equal(evidence.overall.healthy, false);
  });

  it('keeps the 10 most frequent warning events per service with messages cut to about 300 characters', () => {
    const events = Array.from({ length: 25 }, (_, i) => ({
      object: `pod/web-${i}`,
      reason: 'BackOff',
      message: `Back-off restarting failed container ${i} `.padEnd(1000, 'x'),
      count: i,
    }));
    const evidence = buildEvidence(input([service('web', { warningEvents: events })]));
    const web = evidence.services[0]!;
    assert.equal(web.warningEvents.length, 10);
    assert.equal(web.warningEventsTotal, 25);
    assert.deepEqual(
      web.warningEvents.map((e) => e.count),
      [24, 23, 22, 21, 20, 19, 18, 17, 16, 15],
    );
    assert.ok(web.warningEvents.every((e) => e.message.length <= 300));
  });

  it('strips control, escape and invisible characters from cluster text', () => {
    const evidence = buildEvidence(
      input([
        service('web', {
          warningEvents: [
            {
              object: 'pod/web\u0000-1',
              reason: 'Bad\u001b[31mRed',
              message: 'line1\nline2\r\u202eevil\u200b',
              count: 1,
            },
          ],
        }),
      ]),
    );
    const event = evidence.services[0]!.warningEvents[0]!;
    assert.equal(event.object, 'pod/web -1');
    assert.equal(event.reason, 'BadRed');
    assert.equal(event.message, 'line1 line2 evil');
  });

  it('redacts secret-looking strings in every cluster-originated field', () => {
    const secrets = [
      'sk-proj-abcdefghijklmnop1234',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
      'AKIAIOSFODNN7EXAMPLE',
      'hunter2hunter2',
      's3cr3tvalue',
      'ghp_0123456789abcdefghij0123',
    ];
    const evidence = buildEvidence(
      input(
        [
          service('web', {
            problems: [`env DB_PASSWORD=${secrets[3]} leaked`],
            warningEvents: [
              {
                object: 'pod/web',
                reason: 'Leak',
                message: `Authorization: Bearer ${secrets[1]} key ${secrets[0]}`,
                count: 1,
              },
              {
                object: 'pod/web',
                reason: 'Leak',
                message: `aws ${secrets[2]} url https://admin:${secrets[4]}@db:5432`,
                count: 1,
              },
              { object: 'pod/web', reason: 'Leak', message: `"api_key": "${secrets[5]}"`, count: 1 },
            ],
          }),
        ],
        { failedStep: { step: 'deploy', reason: `password: ${secrets[3]}` } },
      ),
    );
    const text = JSON.stringify(evidence);
    for (const secret of secrets) assert.ok(!text.includes(secret), `leaked ${secret}`);
    assert.match(text, /\[REDACTED\]/);
    assert.match(text, /Bearer \[REDACTED\]/);
  });

  it(`stays under ${EVIDENCE_MAX_BYTES} bytes for a huge report while keeping the overall counts true`, () => {
    const services = Array.from({ length: 400 }, (_, i) =>
      (i % 40 === 39 ? unhealthy : service)(`service-${i}`, {
        restarts: i % 3,
        warningEvents: Array.from({ length: 30 }, (_, j) => ({
          object: `pod/service-${i}-${j}`,
          reason: 'Unhealthy',
          message: 'Readiness probe failed: '.padEnd(400, 'y'),
          count: j,
        })),
      }),
    );
    const evidence = buildEvidence(input(services));
    assert.ok(evidenceBytes(evidence) <= EVIDENCE_MAX_BYTES, `${evidenceBytes(evidence)} bytes`);
    assert.equal(evidence.overall.services, 400);
    assert.equal(evidence.overall.unhealthy, 10);
    assert.ok(evidence.omitted.length > 0);
    assert.equal(evidence.services[0]?.healthy, false, 'unhealthy services survive the cut first');
  });

  it('bounds long scenario names and failure reasons', () => {
    const evidence = buildEvidence(
      input([service('web')], { scenario: 's'.repeat(5000), failedStep: { step: 'wait', reason: 'r'.repeat(50_000) } }),
    );
    assert.ok(evidence.scenario.length <= 253);
    assert.ok((evidence.failedStep?.reason.length ?? 0) <= 1000);
    assert.equal(evidence.failedStep?.service, null);
  });
});
