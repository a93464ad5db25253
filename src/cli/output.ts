/** Writing to stdout/stderr, and options shared by several commands. */
import type { Command } from 'commander';
import { z } from 'zod';
import { GlobalFlagsSchema, parseFlags, resolveConfig, type CliConfig } from './config';

export { err, out, printJson } from './print';

/** Parses a command's options (with the global ones) against its schema and resolves the configuration. */
export function commandConfig<S extends z.ZodObject>(
  command: Command,
  schema: S,
): { flags: z.output<S> & z.output<typeof GlobalFlagsSchema>; cfg: CliConfig } {
  const flags = parseFlags(schema.extend(GlobalFlagsSchema.shape), command.optsWithGlobals(), commandPath(command));
  return { flags: flags as z.output<S> & z.output<typeof GlobalFlagsSchema>, cfg: resolveConfig(process.env, flags) };
}

/** `scenarios show` rather than `show`, for messages that point at --help. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export const JsonFlag = z.object({ json: z.boolean().default(false) });
export const workflowIdArgument = (command: Command): Command =>
  command.argument('<workflowId>', 'id of the run (printed by `kubeproof run`, listed by `kubeproof list`)');
