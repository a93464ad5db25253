import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { guardedLookup, isLinkLocal, isLoopback, probeRefusal, probeUrl } from '../../../src/k8s/probe';

describe('isLinkLocal', () => {
  it('recognises 169.254.0.0/16 and nothing around it', () => {
    for (const a of ['169.254.169.254', '169.254.0.0', '169.254.255.255']) assert.equal(isLinkLocal(a), true, a);
    for (const a of ['169.253.255.255', '169.255.0.0', '10.0.0.1', '127.0.0.1']) assert.equal(isLinkLocal(a), false, a);
  });

  it('recognises fe80::/10, with or without a zone or brackets', () => {
    for (const a of ['fe80::1', 'fe80::1%eth0', '[fe80::a9fe:a9fe]', 'febf:ffff::1', 'FE80::1']) {
      assert.equal(isLinkLocal(a), true, a);
    }
    for (const a of ['fec0::1', 'fe7f::1', '::1', '2001:db8::1', 'fd00:ec2::254'])
      assert.equal(isLinkLocal(a), false, a);
  });

  it('recognises IPv4 link-local addresses written as IPv6 (mapped, compatible, translated, NAT64)', () => {
    for (const a of [
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '0:0:0:0:0:ffff:a9fe:0101',
      '::169.254.169.254',
      '::ffff:0:169.254.1.1',
      '64:ff9b::169.254.169.254',
    ]) {
      assert.equal(isLinkLocal(a), true, a);
    }
    assert.equal(isLinkLocal('::ffff:10.0.0.1'), false);
  });

  it('answers false for things that are not addresses', () => {
    for (const a of ['metadata.google.internal', '', 'fe80', '169.254']) assert.equal(isLinkLocal(a), false, a);
  });
});

describe('isLoopback', () => {
  it('accepts 127.0.0.0/8, ::1 and their mapped form, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopback(a), true, a);
    for (const a of ['128.0.0.1', '::2', '::', '10.0.0.1', 'localhost']) assert.equal(isLoopback(a), false, a);
  });
});

describe('probeRefusal', () => {
  it('refuses link-local targets unless allowLinkLocal, and says how to allow them', () => {
    assert.match(probeRefusal('169.254.169.254', {}) ?? '', /link-local.*set allowLinkLocal in the scenario/);
    assert.equal(probeRefusal('169.254.169.254', { allowLinkLocal: true }), undefined);
    assert.equal(probeRefusal('10.1.2.3', {}), undefined);
  });

  it('keeps refusing non-loopback targets in loopback-only mode', () => {
    assert.match(probeRefusal('10.1.2.3', { probeLoopbackOnly: true }) ?? '', /not a loopback address/);
    assert.equal(probeRefusal('localhost', { probeLoopbackOnly: true }, false), undefined);
    assert.match(probeRefusal('example.test', { probeLoopbackOnly: true }, false) ?? '', /not a loopback/);
  });
});

describe('probeUrl', () => {
  it('refuses the cloud metadata address in every spelling without connecting', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/', // the URL parser turns this into 169.254.169.254
      'http://[::ffff:169.254.169.254]/',
      'http://[fe80::1]:8080/',
    ]) {
      const result = await probeUrl(url, { probeTimeoutMs: 500 });
      assert.equal(result.ok, false, url);
      assert.match(result.error ?? '', /^refused: .* is a link-local address/, url);
      assert.equal(result.latencyMs, undefined, `${url} was not contacted`);
    }
  });

  it('refuses a host name that resolves to a link-local address', async () => {
    const fakeDns = ((_host: string, _options: object, callback: (...args: unknown[]) => void) =>
      callback(null, [
        { address: '10.0.0.7', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ])) as never;
    const lookup = guardedLookup({}, 'metadata.internal', fakeDns);
    const error = await new Promise<unknown>((resolve) =>
      lookup('metadata.internal', { all: true }, (err: unknown) => resolve(err)),
    );
    assert.match(String(error), /metadata\.internal resolves to 169\.254\.169\.254: refused: .* link-local/);
    const allowed = guardedLookup({ allowLinkLocal: true }, 'metadata.internal', fakeDns);
    const none = await new Promise<unknown>((resolve) =>
      allowed('metadata.internal', { all: true }, (err: unknown) => resolve(err)),
    );
    assert.equal(none, null);
  });

  it('probes a host name through the checked lookup', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await probeUrl(`http://localhost:${port}/`, { probeLoopbackOnly: true });
      assert.deepEqual([result.ok, result.status, result.error], [true, 200, undefined]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops reading an endless body at the cap and still reports the status', async () => {
    let written = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await probeUrl(`http://127.0.0.1:${port}/`, {
        probeLoopbackOnly: true,
        probeTimeoutMs: 5000,
        probeMaxBodyBytes: 64 * 1024,
      });
      assert.equal(result.ok, true, result.error);
      assert.equal(result.status, 200);
      assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes before the probe hung up`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a status of 500 as not ok', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(500);
      res.end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await probeUrl(`http://127.0.0.1:${port}/health`, {});
      assert.deepEqual([result.ok, result.status], [false, 500]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
