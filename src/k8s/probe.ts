/**
 * The health step's HTTP probe of a user-supplied URL (`probeUrl` in a scenario). The URL comes from a scenario
 * file, the worker runs inside a cluster network: the probe must not become a way to read the node's cloud
 * metadata service (169.254.169.254, fd00:ec2::254 behind fe80:: on some clouds) or to fill the worker's memory.
 * So link-local targets are refused unless the scenario allows them, every address a name resolves to is checked
 * at connection time (no DNS rebinding between check and connect), and at most `maxBodyBytes` of the body are read.
 */
import { lookup as dnsLookup } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import type { HttpProbeResult } from './types';

export interface ProbeOptions {
  /** When true, probe URLs must point at loopback (the local stack's rule). */
  probeLoopbackOnly?: boolean | undefined;
  /**
   * Probe link-local targets (169.254.0.0/16, fe80::/10 and their IPv4-mapped forms), where cloud metadata
   * services answer. Off unless a scenario explicitly asks for it.
   */
  allowLinkLocal?: boolean | undefined;
  /** Whole probe, connect to the last byte read. Default 5000 ms. */
  probeTimeoutMs?: number | undefined;
  /** Bytes of the body read before the probe stops reading and closes the connection. Default 64 KiB. */
  probeMaxBodyBytes?: number | undefined;
}

export const PROBE_MAX_BODY_BYTES = 64 * 1024;

/** The eight 16-bit groups of an IPv6 address (zone and brackets allowed), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) !== 6) return undefined;
  let text = bare;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? 0 : 8 - first.length - last.length;
  return [...first, ...new Array<number>(zeros).fill(0), ...last];
}

/** The four octets of an IPv4 address, or of the IPv4 address embedded in an IPv6 one (mapped, compatible, NAT64). */
function ipv4Octets(address: string): number[] | undefined {
  if (isIP(address) === 4) return address.split('.').map(Number);
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embedded =
    (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) || // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible)
    (zero(0, 4) && g[4] === 0xffff && g[5] === 0) || // ::ffff:0:a.b.c.d (translated)
    (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)); // 64:ff9b::a.b.c.d (NAT64)
  if (!embedded) return undefined;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
}

/** True for 169.254.0.0/16, fe80::/10, and IPv4 link-local addresses written as IPv6. */
export function isLinkLocal(address: string): boolean {
  const v4 = ipv4Octets(address);
  if (v4) return v4[0] === 169 && v4[1] === 254;
  const g = ipv6Groups(address);
  return g !== undefined && (g[0]! & 0xffc0) === 0xfe80;
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
export function isLoopback(address: string): boolean {
  const g = ipv6Groups(address);
  if (g && g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  const v4 = isIP(address) === 4 || (g && g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff);
  return Boolean(v4) && ipv4Octets(address)?.[0] === 127;
}

/** Why the probe must not connect to `address` (an IP, or a host name when `resolved` is false), or undefined. */
export function probeRefusal(address: string, opts: ProbeOptions, resolved = true): string | undefined {
  const ip = isIP(address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')) !== 0;
  if (opts.probeLoopbackOnly && (ip || resolved ? !isLoopback(address) : address !== 'localhost')) {
    return `refused: ${address} is not a loopback address (the local stack only probes loopback)`;
  }
  if (!opts.allowLinkLocal && (ip || resolved) && isLinkLocal(address)) {
    return (
      `refused: ${address} is a link-local address (169.254.0.0/16 or fe80::/10, where cloud metadata services ` +
      'listen); set allowLinkLocal in the scenario to probe it'
    );
  }
  return undefined;
}

/**
 * dns.lookup (or `resolve`, same signature), refusing when any address the name resolves to is refused: the check
 * runs where the socket connects, so a name cannot resolve to one address for the check and another for the probe.
 */
export function guardedLookup(
  opts: ProbeOptions,
  host: string,
  resolve: typeof dnsLookup = dnsLookup,
): NonNullable<http.RequestOptions['lookup']> {
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    resolve(hostname, options, (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => {
      if (err) return callback(err, address, family);
      const addresses = Array.isArray(address) ? address.map((a: { address: string }) => a.address) : [address];
      for (const a of addresses as string[]) {
        const refusal = probeRefusal(a, opts);
        if (refusal) return callback(new Error(`${host} resolves to ${a}: ${refusal}`), address, family);
      }
      return callback(null, address, family);
    });
  }) as NonNullable<http.RequestOptions['lookup']>;
}

/**
 * GETs `url` once: ok when the status is below 400 (redirects are not followed). Reads at most
 * `probeMaxBodyBytes` of the body, then stops and closes the connection; the status alone decides.
 */
export async function probeUrl(url: string, opts: ProbeOptions = {}): Promise<HttpProbeResult> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const refusal = probeRefusal(host, opts, false);
  if (refusal) return { url, ok: false, error: refusal };
  const timeoutMs = opts.probeTimeoutMs ?? 5000;
  const maxBody = opts.probeMaxBodyBytes ?? PROBE_MAX_BODY_BYTES;
  const started = Date.now();
  try {
    const status = await get(
      target,
      { signal: AbortSignal.timeout(timeoutMs), lookup: guardedLookup(opts, host) },
      maxBody,
    );
    return { url, ok: status < 400, status, latencyMs: Date.now() - started };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'AbortError';
    const message = timedOut ? `no answer within ${timeoutMs} ms` : (error as Error).message || String(error);
    return { url, ok: false, latencyMs: Date.now() - started, error: message };
  }
}

function get(
  target: URL,
  options: { signal: AbortSignal; lookup: http.RequestOptions['lookup'] },
  maxBody: number,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, { method: 'GET', ...options }, (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > maxBody) {
          resolve(status);
          request.destroy();
        }
      });
      response.on('end', () => resolve(status));
      response.on('error', reject);
      response.on('close', () => reject(new Error('the connection closed before the body ended')));
    });
    request.on('error', reject);
    request.end();
  });
}
