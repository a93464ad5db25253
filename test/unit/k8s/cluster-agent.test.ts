/** The pool name ClusterAgent keeps is the one Node computes, per address, from the agent's own TLS options. */
import assert from 'node:assert/strict';
import https from 'node:https';
import { describe, it } from 'node:test';
import { ClusterAgent } from '../../../src/k8s/client';

const tlsOptions = { ca: Buffer.from('a CA'), cert: Buffer.from('a cert'), key: Buffer.from('a key') };

describe('ClusterAgent', () => {
  it('names a pool as https.Agent does, with the TLS options that the agent itself carries', () => {
    const agent = new ClusterAgent({ ...tlsOptions, keepAlive: true });
    const plain = new https.Agent({ ...tlsOptions, keepAlive: true });
    for (const request of [
      { host: '127.0.0.1', port: 16443 },
      { host: '127.0.0.1', port: 16443, servername: 'kubernetes' },
      { host: '::1', port: 6443, family: 6 },
    ]) {
      // Node merges the agent's options over the request's before it names the pool.
      const merged = { ...request, ...tlsOptions };
      assert.equal(agent.getName(merged), plain.getName(merged));
      assert.equal(agent.getName(merged), plain.getName(merged), 'the kept name');
    }
    agent.destroy();
    plain.destroy();
  });

  it('names two addresses apart', () => {
    const agent = new ClusterAgent({ ...tlsOptions });
    assert.notEqual(
      agent.getName({ host: '127.0.0.1', port: 16443, ...tlsOptions }),
      agent.getName({ host: '127.0.0.1', port: 16444, ...tlsOptions }),
    );
    agent.destroy();
  });
});
