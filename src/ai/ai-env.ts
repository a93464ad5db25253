import { z } from 'zod';
import { withoutBlanks } from '../config/env';
import { ErrorType, KubeproofError } from '../errors';

/** Blank variables count as unset, by the same rule as every other kubeproof variable (src/config/env.ts). */
function dropEmpty(env: unknown): unknown {
  return env !== null && typeof env === 'object' ? withoutBlanks(env as Record<string, string | undefined>) : env;
}

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * AI configuration from the environment, parsed once at worker start-up. It holds the API key, so it is handed to
 * `judge()` inside the worker and never travels through workflow inputs or history. Kept apart from the main
 * environment schema (src/config/env.ts) on purpose: a bad AI setting fails only the runs that need the AI.
 */
export const AiEnvSchema = z.preprocess(
  dropEmpty,
  z.object({
    OPENAI_BASE_URL: httpUrl.optional(),
    OPENAI_API_KEY: z.string().optional(),
    KUBEPROOF_AI_MODEL: z.string().default('gpt-4o-mini'),
    HOLMESGPT_URL: httpUrl.optional(),
    /** Milliseconds. Unset: 60 s per OpenAI request, 5 min per HolmesGPT investigation. */
    KUBEPROOF_AI_TIMEOUT: z.coerce
      .number()
      .int()
      .positive()
      .max(600_000, { error: 'must be at most 600000 ms (10 minutes); the AI step has an overall deadline of its own' })
      .optional(),
  }),
);

export type AiEnv = z.infer<typeof AiEnvSchema>;

/**
 * Parses the AI variables out of an environment (usually `process.env`). Throws AiUnavailable naming the bad
 * variable; the message never contains the API key.
 */
export function parseAiEnv(env: Record<string, string | undefined>): AiEnv {
  const result = AiEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = z.prettifyError(result.error);
    throw new KubeproofError(ErrorType.AiUnavailable, `Invalid AI configuration in the environment:\n${problems}`, {
      variables: result.error.issues.map((i) => i.path.join('.')),
    });
  }
  return result.data;
}
