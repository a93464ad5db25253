/**
 * A loopback TLS terminator in front of the dev server, which has no TLS options of its own: it requires a client
 * certificate signed by a test CA, speaks h2 over ALPN, and pipes the decrypted bytes to the dev server's plaintext
 * gRPC port (gRPC over cleartext HTTP/2 with prior knowledge works once TLS is terminated). Certificates are made
 * with openssl into a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from another CA, which the terminator must refuse. */
  strangerCert: string;
  strangerKey: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

function issue(dir: string, name: string, ca: string, subject: string, ext: string): void {
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`],
    dir,
  );
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
}

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'stranger-ca');
  issue(
    dir,
    'server',
    'ca',
    '/CN=localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  issue(dir, 'client', 'ca', '/CN=kubeproof-test-client', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'stranger', 'stranger-ca', '/CN=stranger', 'extendedKeyUsage=clientAuth\n');
  const p = (file: string) => path.join(dir, file);
  return {
    dir,
    caCert: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    strangerCert: p('stranger.pem'),
    strangerKey: p('stranger.key'),
  };
}

export interface TlsTerminator {
  /** host:port of the TLS side. */
  address: string;
  /** Handshakes refused (no or untrusted client certificate). */
  refused: () => number;
  /** Handshakes that presented a trusted client certificate. */
  accepted: () => number;
  close: () => Promise<void>;
}

/** Terminates mTLS on a free loopback port and forwards to `upstream` (host:port of the plaintext gRPC server). */
export async function startTlsTerminator(pki: TestPki, upstream: string): Promise<TlsTerminator> {
  const [host, port] = [
    upstream.slice(0, upstream.lastIndexOf(':')),
    Number(upstream.slice(upstream.lastIndexOf(':') + 1)),
  ];
  let refused = 0;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      key: fs.readFileSync(pki.serverKey),
      cert: fs.readFileSync(pki.serverCert),
      ca: fs.readFileSync(pki.caCert),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (secure) => {
      accepted++;
      const plain = net.connect(port, host);
      sockets.add(secure).add(plain);
      const drop = () => {
        secure.destroy();
        plain.destroy();
      };
      secure.on('error', drop).on('close', drop);
      plain.on('error', drop).on('close', drop);
      secure.pipe(plain).pipe(secure);
    },
  );
  server.on('tlsClientError', () => refused++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port: tlsPort } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${tlsPort}`,
    refused: () => refused,
    accepted: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
