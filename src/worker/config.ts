/** Worker configuration, read once from the environment and validated; defaults live in the schema. */
import { z } from 'zod';

export const WorkerEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  KUBEPROOF_TASK_QUEUE: z.string().min(1).default('kubeproof'),
  KUBECONFIG: z.string().optional(),
  KUBEPROOF_CONTEXT: z.string().optional(),
  /** Set by the local stack: health probes may only target loopback. */
  KUBEPROOF_PROBE_LOOPBACK_ONLY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});
export type WorkerEnv = z.output<typeof WorkerEnvSchema>;

export function parseWorkerEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const parsed = WorkerEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid worker environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
