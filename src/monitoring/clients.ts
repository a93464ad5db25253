/** Prometheus's and Alertmanager's HTTP APIs, the few calls kubeproof makes. */
import type { Endpoint } from './config';
import { get } from './http';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface QueryAnswer {
  samples: Sample[];
  ms: number;
}

export class PrometheusClient {
  constructor(readonly endpoint: Endpoint) {}

  /** `/-/ready` or `/-/healthy`: true on 200, with the time it took. */
  async probe(
    path: '/-/ready' | '/-/healthy',
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; status: number; ms: number }> {
    const res = await get(this.endpoint, path, signal ? { signal } : {});
    return { ok: res.status === 200, status: res.status, ms: res.ms };
  }

  /** An instant query (`/api/v1/query`), evaluated at `time` (default now). Throws on a non-success answer. */
  async query(expr: string, opts: { time?: Date; signal?: AbortSignal } = {}): Promise<QueryAnswer> {
    const params = new URLSearchParams({ query: expr });
    if (opts.time) params.set('time', (opts.time.getTime() / 1000).toFixed(3));
    const res = await get(
      this.endpoint,
      `/api/v1/query?${params.toString()}`,
      opts.signal ? { signal: opts.signal } : {},
    );
    let parsed: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
    try {
      parsed = JSON.parse(res.body) as typeof parsed;
    } catch {
      throw new Error(`Prometheus answered HTTP ${res.status} with a non-JSON body to the query ${expr}`);
    }
    if (parsed.status !== 'success') {
      throw new Error(`Prometheus refused the query ${expr}: HTTP ${res.status} ${parsed.error ?? ''}`.trim());
    }
    const result = (parsed.data?.result ?? []) as { metric: Record<string, string>; value: [number, string] }[];
    const samples =
      parsed.data?.resultType === 'vector' ? result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) })) : [];
    return { samples, ms: res.ms };
  }
}

export interface AmAlert {
  labels: Record<string, string>;
  startsAt: string;
  status: { state: string };
  fingerprint: string;
}

export class AlertmanagerClient {
  constructor(readonly endpoint: Endpoint) {}

  /** Active alerts matching every `name="value"` matcher (`/api/v2/alerts?filter=...`). */
  async alerts(matchers: Record<string, string>, signal?: AbortSignal): Promise<{ alerts: AmAlert[]; ms: number }> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(matchers)) params.append('filter', `${k}=${JSON.stringify(v)}`);
    const res = await get(this.endpoint, `/api/v2/alerts?${params.toString()}`, signal ? { signal } : {});
    if (res.status !== 200)
      throw new Error(`Alertmanager answered HTTP ${res.status} to /api/v2/alerts: ${res.body.slice(0, 200)}`);
    return { alerts: JSON.parse(res.body) as AmAlert[], ms: res.ms };
  }
}
