/**
 * The same work for every tool: N independent Deployments × 1 replica in one namespace, optionally with a KWOK
 * ready delay on the pod template (README "Simulation controls"). Each function returns file contents only;
 * the runner writes them to a temporary directory.
 */
import { stringify } from 'yaml';

export const READY_DELAY_ANNOTATION = 'kubeproof.dev/ready-delay';
export const IMAGE = 'nginx:1.27';

export interface Workload {
  /** How many Deployments. */
  n: number;
  /** A Go duration (e.g. `2s`) for the KWOK ready delay, or undefined for none. */
  readyDelay: string | undefined;
}

const podAnnotations = (w: Workload): Record<string, string> =>
  w.readyDelay ? { [READY_DELAY_ANNOTATION]: w.readyDelay } : {};

export const serviceName = (i: number): string => `svc-${String(i).padStart(4, '0')}`;

/**
 * A kubeproof scenario: N services without ports (so only a Deployment each), no dependencies, and no cluster
 * readiness checks (`checks: []`): the peers deploy, wait and delete, so kubeproof does the same work plus its own
 * preflight, workload health and verified cleanup. At N=300 the checks would also not fit: the 3-4 simulated
 * nodes (110 pods each) are nearly full, so the DaemonSet check cannot place its pods.
 */
export function kubeproofScenario(w: Workload, name: string): string {
  const services = Array.from({ length: w.n }, (_, i) => ({
    name: serviceName(i),
    image: IMAGE,
    replicas: 1,
    ...(w.readyDelay ? { podAnnotations: podAnnotations(w) } : {}),
  }));
  return stringify({
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name, description: `bench/peers: ${w.n} independent Deployments x 1 replica` },
    spec: { timeouts: { total: '30m', ready: '10m' }, samples: 1, checks: [], services },
  });
}

/** A Deployment as kubectl and the floor client create it (kube-burner templates its own name). */
export function deployment(w: Workload, namespace: string | undefined, name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: podAnnotations(w) },
        spec: { containers: [{ name: 'main', image: IMAGE }] },
      },
    },
  };
}

/** One multi-document manifest: the namespace, then every Deployment. */
export function kubectlManifest(w: Workload, namespace: string): string {
  const docs = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    ...Array.from({ length: w.n }, (_, i) => deployment(w, namespace, serviceName(i))),
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

export interface BurnerLimits {
  qps: number;
  burst: number;
}

/**
 * A kube-burner job: one iteration, one namespace (namespacedIterations off), N replicas of one Deployment
 * template, wait for ready, then gc (deletes the namespace and waits for it to go). No measurements: podLatency
 * needs kubelet events KWOK does not emit. No image preload: it creates a DaemonSet, which is not the same work.
 */
export function kubeBurnerConfig(
  w: Workload,
  namespace: string,
  limits: BurnerLimits,
): { config: string; template: string } {
  const config = stringify({
    global: { gc: true, measurements: [] },
    jobs: [
      {
        name: 'bench-peers',
        jobType: 'create',
        jobIterations: 1,
        namespace,
        namespacedIterations: false,
        cleanup: true,
        waitWhenFinished: true,
        preLoadImages: false,
        verifyObjects: true,
        errorOnVerify: true,
        qps: limits.qps,
        burst: limits.burst,
        objects: [{ objectTemplate: 'deployment.yml', replicas: w.n }],
      },
    ],
  });
  // kube-burner renders the Go template before parsing YAML, so quoted `{{.Replica}}` becomes a quoted name.
  const template = stringify(deployment(w, undefined, 'svc-{{.Replica}}'));
  return { config, template };
}
