/**
 * The codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls to show encrypted payloads:
 * `POST /decode` and `POST /encode` with protobuf-JSON `{payloads: [...]}`. CORS admits only the configured UI
 * origins (with the preflight the browser sends for JSON bodies and the UI's X-Namespace header); a bearer token,
 * when configured, is required on every POST; bodies are bounded. Keys never leave this process.
 */
import http from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadsBodySchema, fromJson, toJson } from './payload-json';

/** Temporal refuses payloads over 2 MiB by default; a page of them fits well within this. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Origins allowed to call from a browser, e.g. the Web UI's `http://127.0.0.1:8233`; none: no CORS. */
  origins: readonly string[];
  /** When set, every POST needs `Authorization: Bearer <token>`. */
  authToken?: string | undefined;
  maxBodyBytes?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function authorized(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new HttpError(413, `body over ${limit} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest is read and dropped so the 413 still reaches the client.
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not JSON; send {"payloads": [...]}');
  }
  const parsed = PayloadsBodySchema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, `invalid body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function corsHeaders(origin: string | undefined, origins: readonly string[]): Record<string, string> | undefined {
  if (origin === undefined || !origins.includes(origin)) return undefined;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

export function codecRequestHandler(opts: CodecServerOptions): http.RequestListener {
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return (req, res) => {
    const origin = req.headers.origin;
    const cors = corsHeaders(origin, opts.origins);
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { ...cors, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const handle = async () => {
      // A browser on another origin gets nothing: not even the preflight, so the UI shows a clear CORS failure.
      if (origin !== undefined && !cors) throw new HttpError(403, `origin ${origin} is not allowed (--origin)`);
      const route = (req.url ?? '').split('?')[0];
      if (route !== '/encode' && route !== '/decode') throw new HttpError(404, 'POST /encode or /decode');
      if (req.method === 'OPTIONS') return send(204);
      if (req.method !== 'POST') throw new HttpError(405, 'POST /encode or /decode');
      if (opts.authToken !== undefined && !authorized(req.headers.authorization, opts.authToken)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        throw new HttpError(401, 'a bearer token is required (Authorization: Bearer <token>)');
      }
      const payloads = fromJson(parseBody(await readBody(req, limit)));
      const result = route === '/encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
      send(200, toJson(result));
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return send(error.status, { error: error.message });
      // Codec failures (unknown key id, tampered payload) carry their own explanation.
      send(400, { error: error instanceof Error ? error.message : String(error) });
    });
  };
}

/** Listens on `host:port` (port 0: any free port) and resolves once it does. */
export async function startCodecServer(
  opts: CodecServerOptions & { host: string; port: number },
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(codecRequestHandler(opts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
