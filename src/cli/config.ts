/**
 * CLI configuration: flags over environment over defaults. The environment is parsed once with its own schema,
 * where the defaults live; flags are parsed by each command's schema (see `parseFlags`) and merged on top.
 */
import { z } from 'zod';
import { usageError } from './exit';

export const CliEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  KUBEPROOF_TASK_QUEUE: z.string().min(1).default('kubeproof'),
  KUBEPROOF_CLUSTER_NAME: z.string().min(1).default('local'),
  /** Base URL of the Temporal Web UI; when set, reports link to the run's history there. */
  TEMPORAL_UI_URL: z.url({ error: 'must be a URL such as http://127.0.0.1:8233' }).optional(),
  KUBECONFIG: z.string().min(1).optional(),
  KUBEPROOF_CONTEXT: z.string().min(1).optional(),
  /** Set by the local stack: health probes of an embedded worker may only target loopback. */
  KUBEPROOF_PROBE_LOOPBACK_ONLY: z.string().optional(),
});
export type CliEnv = z.output<typeof CliEnvSchema>;

/** Flags every command accepts (declared on the root program). */
export const GlobalFlagsSchema = z.object({
  temporalAddress: z.string().min(1).optional(),
  temporalNamespace: z.string().min(1).optional(),
});

export interface CliConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  clusterName: string;
  uiUrl?: string;
  kubeconfig?: string;
  context?: string;
  probeLoopbackOnly: boolean;
}

/** Flags that override the environment; absent ones leave it alone. */
export interface ConfigFlags {
  temporalAddress?: string | undefined;
  temporalNamespace?: string | undefined;
  taskQueue?: string | undefined;
  clusterName?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** An empty variable (`TEMPORAL_UI_URL=`) counts as unset, as shells and .env files often produce them. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

export function parseCliEnv(env: NodeJS.ProcessEnv): CliEnv {
  const parsed = CliEnvSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
    throw usageError(`invalid environment: ${issues}; fix or unset the variable`);
  }
  return parsed.data;
}

export function resolveConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags): CliConfig {
  const e = parseCliEnv(env);
  const kubeconfig = flags.kubeconfig ?? e.KUBECONFIG;
  const context = flags.context ?? e.KUBEPROOF_CONTEXT;
  return {
    address: flags.temporalAddress ?? e.TEMPORAL_ADDRESS,
    namespace: flags.temporalNamespace ?? e.TEMPORAL_NAMESPACE,
    taskQueue: flags.taskQueue ?? e.KUBEPROOF_TASK_QUEUE,
    clusterName: flags.clusterName ?? e.KUBEPROOF_CLUSTER_NAME,
    ...(e.TEMPORAL_UI_URL ? { uiUrl: e.TEMPORAL_UI_URL.replace(/\/+$/, '') } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
    probeLoopbackOnly: e.KUBEPROOF_PROBE_LOOPBACK_ONLY === 'true',
  };
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Validates a command's parsed options against its schema. A failure is a usage error naming the flag as the
 * user typed it (`--samples`), what was expected, and where to read more.
 */
export function parseFlags<S extends z.ZodType>(schema: S, options: unknown, commandName: string): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0];
  const flag = typeof key === 'string' ? `--${kebab(key)}` : 'options';
  throw usageError(`${flag} ${issue?.message ?? 'is invalid'}; see \`kubeproof ${commandName} --help\``);
}
