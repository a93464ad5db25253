/**
 * Preflight, the first step of every run, before anything is created: the API answers (server version), the
 * user has every permission the run uses, the cluster has room for the run, and `spec.requires` holds.
 * Read-only: SelfSubjectAccessReviews and lists. All problems are collected and returned together.
 */
import type { KubeClients } from '../k8s/client';
import type { Scenario } from '../scenarios/schema';
import { evaluateCapacity, evaluateRequirements, fingerprintOf, podDemand } from './evaluate';
import { readNodes, serverVersion } from './cluster';
import type { PreflightProblem, PreflightResult } from './model';
import { missingPermissions } from './permissions';

export type { ClusterFingerprint, NodeInfo, PodDemand, PreflightProblem, PreflightResult } from './model';
export {
  compareVersions,
  evaluateCapacity,
  evaluateRequirements,
  fingerprintOf,
  parseVersion,
  podDemand,
} from './evaluate';
export { describePermission, missingPermissions, runPermissions } from './permissions';
export type { Permission } from './permissions';

export interface PreflightInput {
  scenario: Scenario;
  /** The run namespace to be: namespaced permissions are reviewed there. */
  namespace: string;
  /** The service the baseline measures (its extra replica and surge count); omit when the baseline is skipped. */
  baselineTarget?: string | undefined;
}

const reason = (error: unknown): string => {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = e.cause?.code ?? e.code;
  return `${typeof code === 'string' || typeof code === 'number' ? `${code}: ` : ''}${String(e.message ?? error)}`.slice(
    0,
    300,
  );
};

/** Runs every preflight condition; `ok` is true only when there is no problem. Never throws for a cluster answer. */
export async function runPreflight(clients: KubeClients, input: PreflightInput): Promise<PreflightResult> {
  let version: string;
  try {
    version = await serverVersion(clients);
  } catch (error) {
    const problem: PreflightProblem = {
      what: 'API unreachable',
      detail: `GET /version on ${clients.server} failed: ${reason(error)}`,
      remedy:
        'check that the API server is up and that the kubeconfig points at it (server address, certificates, credentials)',
    };
    return { ok: false, problems: [problem] };
  }
  const problems = await missingPermissions(clients, input.namespace);
  const listForbidden = problems.some((p) => p.what === 'permission: list nodes' || p.what === 'permission: list pods');
  let fingerprint: PreflightResult['fingerprint'];
  if (!listForbidden) {
    const nodes = await readNodes(clients);
    fingerprint = fingerprintOf(nodes, version);
    problems.push(...evaluateRequirements(input.scenario.spec.requires, nodes, version));
    problems.push(...evaluateCapacity(nodes, podDemand(input.scenario.spec.services, input.baselineTarget)));
  }
  return { ok: problems.length === 0, serverVersion: version, problems, ...(fingerprint ? { fingerprint } : {}) };
}

/** One paragraph per problem: what, detail, remedy, for the run's failure message and the CLI. */
export function formatPreflightProblems(result: PreflightResult): string {
  return result.problems.map((p) => `${p.what}: ${p.detail}. To fix: ${p.remedy}.`).join('\n');
}
