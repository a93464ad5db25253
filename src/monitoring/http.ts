/**
 * A small JSON-over-HTTP(S) GET for the monitoring APIs. node:https rather than fetch, because a custom CA file
 * (a cluster's private Prometheus) needs an agent option that Node's global fetch does not take.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Endpoint } from './config';

export interface HttpAnswer {
  status: number;
  body: string;
  /** Wall-clock time from request to the last byte. */
  ms: number;
}

export function get(ep: Endpoint, path: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  const url = new URL(ep.url + path);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (ep.bearerToken) headers.authorization = `Bearer ${ep.bearerToken}`;
  if (ep.basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${ep.basicAuth.user}:${ep.basicAuth.password}`).toString('base64')}`;
  }
  const ca = ep.caFile ? fs.readFileSync(ep.caFile) : undefined;
  const started = Date.now();
  return new Promise<HttpAnswer>((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.get(url, { headers, ...(ca ? { ca } : {}), signal: opts.signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error(`no answer from ${url.origin} in time`)));
    req.on('error', (error) => reject(new Error(`${url.origin}${path.split('?')[0]}: ${error.message}`)));
  });
}
