/**
 * Monitoring configuration, read from the worker's environment (secrets never travel in workflow inputs).
 * Unset `PROMETHEUS_URL` means the monitoring checks are skipped; a bad value is reported by the checks as `fail`
 * with the variable named, so a bad monitoring setting never stops a worker whose runs do not need it.
 */
import { z } from 'zod';
import { withoutBlanks } from '../config/env';

const endpointSchema = (prefix: 'PROMETHEUS' | 'ALERTMANAGER') =>
  z
    .object({
      [`${prefix}_URL`]: z.url({ error: `must be an http(s) URL such as http://127.0.0.1:9090` }).optional(),
      [`${prefix}_BEARER_TOKEN`]: z.string().optional(),
      [`${prefix}_BASIC_AUTH`]: z
        .string()
        .regex(/^[^:]+:.*$/, { error: 'must be user:password' })
        .optional(),
      [`${prefix}_CA_FILE`]: z.string().optional(),
    })
    .refine((e) => !(e[`${prefix}_BEARER_TOKEN`] && e[`${prefix}_BASIC_AUTH`]), {
      error: `set ${prefix}_BEARER_TOKEN or ${prefix}_BASIC_AUTH, not both`,
    });

export const MonitoringEnvSchema = z.intersection(endpointSchema('PROMETHEUS'), endpointSchema('ALERTMANAGER'));

/** Where one monitoring API lives and how to authenticate to it. */
export interface Endpoint {
  url: string;
  bearerToken?: string;
  basicAuth?: { user: string; password: string };
  caFile?: string;
}

export type MonitoringConfig =
  | { state: 'unset'; reason: string }
  | { state: 'invalid'; reason: string }
  | { state: 'configured'; prometheus: Endpoint; alertmanager?: Endpoint };

function endpoint(env: Record<string, string | undefined>, prefix: string): Endpoint | undefined {
  const url = env[`${prefix}_URL`];
  if (!url) return undefined;
  const basic = env[`${prefix}_BASIC_AUTH`];
  const token = env[`${prefix}_BEARER_TOKEN`];
  const caFile = env[`${prefix}_CA_FILE`];
  const colon = basic?.indexOf(':') ?? -1;
  return {
    url: url.replace(/\/+$/, ''),
    ...(token ? { bearerToken: token } : {}),
    ...(basic ? { basicAuth: { user: basic.slice(0, colon), password: basic.slice(colon + 1) } } : {}),
    ...(caFile ? { caFile } : {}),
  };
}

/** Parses the monitoring variables once; never throws. */
export function readMonitoringConfig(env: Readonly<Record<string, string | undefined>>): MonitoringConfig {
  const clean = withoutBlanks(env);
  const parsed = MonitoringEnvSchema.safeParse(clean);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'monitoring'} ${i.message}`);
    return { state: 'invalid', reason: `invalid monitoring environment: ${problems.join('; ')}; fix or unset it` };
  }
  const data = parsed.data as Record<string, string | undefined>;
  const prometheus = endpoint(data, 'PROMETHEUS');
  const alertmanager = endpoint(data, 'ALERTMANAGER');
  if (!prometheus) {
    return {
      state: 'unset',
      reason: alertmanager
        ? 'PROMETHEUS_URL is not set (ALERTMANAGER_URL alone is not enough): set it to enable the monitoring checks'
        : 'PROMETHEUS_URL is not set: set it (and ALERTMANAGER_URL) to enable the monitoring checks',
    };
  }
  return { state: 'configured', prometheus, ...(alertmanager ? { alertmanager } : {}) };
}
