/**
 * kubeproof's connections to the real API server (src/k8s/client.ts): requests share a bounded keep-alive pool,
 * and watches, which hold a connection for as long as they last, have a pool of their own. Connections are counted
 * where Node opens them (tls.connect).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import type { KubeClients } from '../../src/k8s/client';
import { connect, MAX_REQUEST_SOCKETS } from '../../src/k8s/client';
import { stack } from '../helpers/env';

/** TLS connections opened while `fn` runs, and the most open at once. */
async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; opened: number; peak: number }> {
  const original = tls.connect;
  let opened = 0;
  let open = 0;
  let peak = 0;
  tls.connect = ((...args: Parameters<typeof tls.connect>) => {
    const socket = original(...args);
    opened++;
    peak = Math.max(peak, ++open);
    socket.once('close', () => open--);
    return socket;
  }) as typeof tls.connect;
  try {
    return { result: await fn(), opened, peak };
  } finally {
    tls.connect = original;
  }
}

/** `promise`, or a failure saying `what` when it has not settled within `ms` (a shared pool would wait for ever). */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const reads = (clients: KubeClients, n: number) =>
  Promise.all(Array.from({ length: n }, () => clients.core.readNamespace({ name: 'default' })));

describe('connections to the API server', () => {
  let clients: KubeClients;
  before(() => {
    clients = connect({ kubeconfig: stack.kubeconfig });
  });

  it(`keeps at most ${MAX_REQUEST_SOCKETS} requests in flight and keeps their connections for the next ones`, async () => {
    const first = await counted(() => reads(clients, 200));
    assert.equal(first.result.length, 200);
    assert.ok(first.peak <= MAX_REQUEST_SOCKETS, `${first.peak} connections open at once`);
    assert.ok(first.opened <= MAX_REQUEST_SOCKETS, `${first.opened} connections opened`);

    // The pool keeps as many idle connections as it may open: the next burst opens none.
    const second = await counted(() => reads(clients, 200));
    assert.equal(second.result.length, 200);
    assert.equal(second.opened, 0);
  });

  describe('with more watches open than the requests may use', () => {
    const watches: AbortController[] = [];
    after(() => {
      for (const w of watches) w.abort();
    });

    it('still answers requests: watches do not take the requests’ connections', async () => {
      const { opened } = await counted(async () => {
        for (let i = 0; i < MAX_REQUEST_SOCKETS + 8; i++) {
          // watch() resolves once the API server has answered: the watch now holds its connection.
          const watch = clients.watch.watch(
            '/api/v1/namespaces',
            {},
            () => undefined,
            () => undefined,
          );
          watches.push(await within(10_000, watch, `watch ${i + 1} got no connection within 10 s`));
        }
      });
      assert.equal(opened, MAX_REQUEST_SOCKETS + 8, 'every watch on a connection of its own');
      await within(10_000, reads(clients, 4), 'reads waited behind the open watches for 10 s');
    });
  });
});
