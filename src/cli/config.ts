/**
 * CLI configuration: flags over environment over defaults. The environment is parsed once by the schema shared
 * with the worker (src/config/env.ts), where the defaults live; flags are parsed by each command's schema (see
 * `parseFlags`) and merged on top.
 */
import { z } from 'zod';
import { parseEnv, resolveSettings, type Env, type Settings, type SettingsFlags } from '../config/env';
import { ErrorType, KubeproofError } from '../errors';
import { usageError } from './exit';

/** Flags every command accepts (declared on the root program). */
export const GlobalFlagsSchema = z.object({
  temporalAddress: z.string().min(1).optional(),
  temporalNamespace: z.string().min(1).optional(),
});

/** The same settings a worker is built from, so an embedded worker sees exactly what the command sees. */
export type CliConfig = Settings;

/** Flags that override the environment; absent ones leave it alone. */
export type ConfigFlags = SettingsFlags;

/** A bad variable is a usage error (exit 2) naming it and what it expects. */
export function parseCliEnv(env: NodeJS.ProcessEnv): Env {
  try {
    return parseEnv(env);
  } catch (error) {
    if (error instanceof KubeproofError && error.type === ErrorType.InvalidConfiguration)
      throw usageError(error.message);
    throw error;
  }
}

export function resolveConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags): CliConfig {
  return resolveSettings(parseCliEnv(env), flags);
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
