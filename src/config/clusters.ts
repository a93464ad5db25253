/**
 * The clusters a worker serves, read once when the worker starts. A run names its cluster and nothing else; the
 * credentials stay with the worker. Either a clusters file (KUBEPROOF_CLUSTERS_FILE, YAML or JSON):
 *
 * ```yaml
 * clusters:
 *   - name: prod-eu                       # what runs name (`kubeproof run --cluster-name prod-eu`)
 *     kubeconfig: ~/.kube/prod-eu.yaml    # a file, a list of files, or "a:b"; default: $KUBECONFIG, ~/.kube/config
 *     context: admin@prod-eu              # default: the kubeconfig's current-context
 *   - name: here
 *     inCluster: true                     # the worker pod's service account
 * ```
 *
 * or, without one, a single cluster named $KUBEPROOF_CLUSTER_NAME (default `local`) from KUBECONFIG and
 * KUBEPROOF_CONTEXT. Paths are resolved here, at start-up: `~` is the worker's home, a relative path in the file
 * is relative to the file, one in KUBECONFIG to the working directory. Kubeconfig files themselves are read when
 * a run first uses the cluster (they may be rotated while the worker runs); problems then are ClusterConfig errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ErrorType, KubeproofError } from '../errors';
import type { ClusterRef } from '../k8s/client';
import { registryOf, type ClusterRegistry } from '../k8s/registry';
import { clusterName, type Settings } from './env';

const kubeconfigList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'must be a path, or a list of paths',
});

const ClusterEntrySchema = z
  .strictObject({
    name: clusterName,
    kubeconfig: kubeconfigList.optional(),
    context: z.string().min(1).optional(),
    inCluster: z.literal(true, { error: 'must be true (or left out)' }).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.inCluster && (entry.kubeconfig !== undefined || entry.context !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['inCluster'],
        message: 'uses the pod service account: leave out kubeconfig and context, or drop inCluster',
      });
    }
  });

export const ClustersFileSchema = z
  .strictObject({ clusters: z.array(ClusterEntrySchema).min(1, { error: 'must list at least one cluster' }) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.clusters.forEach((entry, i) => {
      if (seen.has(entry.name)) {
        ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: `"${entry.name}" is listed twice` });
      }
      seen.add(entry.name);
    });
  });
export type ClustersFile = z.output<typeof ClustersFileSchema>;
export type ClusterEntry = ClustersFile['clusters'][number];

/** What the registry is built from: the resolved settings (src/config/env.ts), flags already applied. */
export type ClusterSettings = Pick<Settings, 'clusterName' | 'kubeconfig' | 'context' | 'clustersFile'>;

export interface RegistryOptions {
  /** Where relative KUBECONFIG paths start; default: the working directory. */
  cwd?: string;
  /** What `~` means; default: the user's home directory. */
  home?: string;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new KubeproofError(ErrorType.InvalidConfiguration, message, details);

/** One path: `~` expanded, made absolute against `base`. */
export function resolvePath(given: string, base: string, home: string): string {
  const p = given.trim();
  return path.resolve(base, p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p);
}

/** `a:b` (the path delimiter) or a list: blanks dropped, each path resolved as `resolvePath` does. */
export function resolveKubeconfigPaths(given: string | readonly string[], base: string, home: string): string[] {
  const list = typeof given === 'string' ? given.split(path.delimiter) : [...given];
  return list.filter((p) => p.trim() !== '').map((p) => resolvePath(p, base, home));
}

const formatPath = (segments: readonly PropertyKey[]): string =>
  segments.reduce<string>(
    (out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${String(s)}` : String(s)),
    '',
  );

/** Reads and validates a clusters file; every problem is an InvalidConfiguration error naming the file and field. */
export function readClustersFile(file: string): ClustersFile {
  const where = `clusters file ${file} (KUBEPROOF_CLUSTERS_FILE)`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${String(code ?? error)})`;
    throw invalid(`${where} ${why}; point KUBEPROOF_CLUSTERS_FILE at a readable file or unset it`, { file });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? '';
    throw invalid(`${where} is not valid YAML or JSON: ${first}`, { file });
  }
  const parsed = ClustersFileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || '(top level)'} ${i.message}`);
  throw invalid(
    `${where} is invalid: ${problems.join('; ')}. Expected {clusters: [{name, kubeconfig?, context?, inCluster?}]}`,
    { file, fields: parsed.error.issues.map((i) => formatPath(i.path)) },
  );
}

/**
 * The clusters this worker serves, resolved now. `resolve` of a name not served throws KubeproofError
 * UnknownCluster (non-retryable) listing the names that are.
 */
export function loadClusterRegistry(settings: ClusterSettings, opts: RegistryOptions = {}): ClusterRegistry {
  const cwd = opts.cwd ?? process.cwd();
  const home = opts.home ?? os.homedir();
  const defaultKubeconfig = (): string[] => {
    const fromEnv = settings.kubeconfig ? resolveKubeconfigPaths(settings.kubeconfig, cwd, home) : [];
    return fromEnv.length > 0 ? fromEnv : [path.join(home, '.kube', 'config')];
  };

  if (!settings.clustersFile) {
    return registryOf({
      [settings.clusterName]: {
        kubeconfig: defaultKubeconfig(),
        ...(settings.context ? { context: settings.context } : {}),
      },
    });
  }

  const file = resolvePath(settings.clustersFile, cwd, home);
  const entries = readClustersFile(file).clusters;
  const refs: Record<string, ClusterRef> = {};
  for (const entry of entries) {
    refs[entry.name] = entry.inCluster
      ? { inCluster: true }
      : {
          kubeconfig: entry.kubeconfig
            ? resolveKubeconfigPaths(entry.kubeconfig, path.dirname(file), home)
            : defaultKubeconfig(),
          ...(entry.context ? { context: entry.context } : {}),
        };
  }
  return registryOf(refs);
}
