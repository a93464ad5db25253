/**
 * Read-only checks of the cluster's state: nodes, the API server's serving certificate, control-plane health
 * (`/readyz?verbose`, `/livez?verbose`) and add-ons (present or absent, never faked).
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import * as k8s from '../k8s/client-node';
import type { ClusterCheckContext } from './context';
import { statusCode } from './context';
import { ClusterCheckId } from './ids';
import type { CheckDefinition, CheckOutcome } from './model';

export function evaluateNodes(nodes: readonly k8s.V1Node[]): CheckOutcome {
  const condition = (node: k8s.V1Node, type: string) => node.status?.conditions?.find((c) => c.type === type)?.status;
  const names = (list: k8s.V1Node[]) => list.map((n) => n.metadata?.name ?? '?');
  const notReady = nodes.filter((n) => condition(n, 'Ready') !== 'True');
  const pressure = nodes.flatMap((n) =>
    ['MemoryPressure', 'DiskPressure', 'PIDPressure']
      .filter((t) => condition(n, t) === 'True')
      .map((t) => `${n.metadata?.name}: ${t}`),
  );
  const cordoned = nodes.filter((n) => n.spec?.unschedulable === true);
  const evidence = { nodes: nodes.length, notReady: names(notReady), pressure, cordoned: names(cordoned) };
  if (nodes.length === 0) return { status: 'fail', reason: 'the cluster has no nodes', evidence };
  if (notReady.length > 0 || pressure.length > 0) {
    const parts = [
      notReady.length > 0 ? `not Ready: ${names(notReady).join(', ')}` : '',
      pressure.length > 0 ? `under pressure: ${pressure.join(', ')}` : '',
    ];
    return { status: 'fail', reason: parts.filter(Boolean).join('; '), evidence };
  }
  if (cordoned.length > 0)
    return {
      status: 'warn',
      reason: `all ${nodes.length} nodes Ready; cordoned: ${names(cordoned).join(', ')}`,
      evidence,
    };
  return {
    status: 'pass',
    reason: `all ${nodes.length} nodes Ready, none under memory, disk or PID pressure, none cordoned`,
    evidence,
  };
}

export const nodesCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.Nodes,
  title: 'Nodes',
  description: 'Every node Ready, none under memory, disk or PID pressure; cordoned nodes reported (warn).',
  timeoutMs: 15_000,
  run: async (ctx) => evaluateNodes((await ctx.clients.core.listNode()).items),
};

/** Days to expiry → status: expired fails, under 30 days warns. */
export function evaluateCertificate(validTo: Date, now: Date, subject: string): CheckOutcome {
  const days = Math.floor((validTo.getTime() - now.getTime()) / 86_400_000);
  const evidence = { subject, validTo: validTo.toISOString(), daysToExpiry: days };
  const metrics = [{ name: 'apiCertDaysToExpiry', value: days, unit: 'count' as const }];
  if (validTo.getTime() <= now.getTime())
    return {
      status: 'fail',
      reason: `the API server's serving certificate expired on ${validTo.toISOString()}`,
      evidence,
      metrics,
    };
  if (days < 30)
    return {
      status: 'warn',
      reason: `the API server's serving certificate expires in ${days} days; renew it`,
      evidence,
      metrics,
    };
  return {
    status: 'pass',
    reason: `the API server's serving certificate is valid for ${days} more days`,
    evidence,
    metrics,
  };
}

export const certificateCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.Certificate,
  title: 'API server certificate',
  description:
    "Connects over TLS to the kubeconfig's API server and reads its serving certificate: warn under 30 days to expiry, fail when expired.",
  timeoutMs: 15_000,
  async run(ctx, signal) {
    const url = new URL(ctx.clients.server);
    if (url.protocol !== 'https:')
      return { status: 'skipped', reason: `the API server is reached over ${url.protocol} without TLS` };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const cert = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const socket = tls.connect({
        host,
        port: Number(url.port || 443),
        ...(net.isIP(host) ? {} : { servername: host }),
        // Only the certificate's dates are read; trust is the API client's business.
        rejectUnauthorized: false,
        signal,
      } as tls.ConnectionOptions);
      socket.once('secureConnect', () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      });
      socket.once('error', reject);
    });
    return evaluateCertificate(new Date(cert.valid_to), new Date(), String(cert.subject?.CN ?? ''));
  },
};

/** `[+]etcd ok` / `[-]etcd failed: reason withheld` lines of /readyz?verbose → named checks. */
export function parseHealthChecks(body: string): { name: string; ok: boolean }[] {
  return body
    .split('\n')
    .map((line) => /^\[([+-])\](\S+)/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[2] ?? '', ok: m[1] === '+' }));
}

async function rawGet(
  ctx: ClusterCheckContext,
  path: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, ctx.clients.server.endsWith('/') ? ctx.clients.server : `${ctx.clients.server}/`);
  const options: https.RequestOptions = {
    method: 'GET',
    hostname: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    signal,
  };
  await ctx.clients.config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = https.request(options, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const controlPlaneCheck: CheckDefinition<ClusterCheckContext> = {
  id: ClusterCheckId.ControlPlane,
  title: 'Control-plane health',
  description: "The API server's /readyz?verbose and /livez?verbose: every named check must be ok.",
  timeoutMs: 15_000,
  async run(ctx, signal) {
    const evidence: Record<string, unknown> = {};
    const failed: string[] = [];
    for (const endpoint of ['readyz', 'livez']) {
      const { status, body } = await rawGet(ctx, `${endpoint}?verbose`, signal);
      const checks = parseHealthChecks(body);
      evidence[endpoint] = { status, checks: checks.length, failed: checks.filter((c) => !c.ok).map((c) => c.name) };
      if (status === 401 || status === 403)
        return {
          status: 'skipped',
          reason: `/${endpoint} is not readable with these credentials (${status})`,
          evidence,
        };
      failed.push(...checks.filter((c) => !c.ok).map((c) => `${endpoint}/${c.name}`));
      if (status !== 200 && failed.length === 0) failed.push(`${endpoint} (HTTP ${status})`);
    }
    return failed.length === 0
      ? { status: 'pass', reason: 'every /readyz and /livez check is ok', evidence }
      : { status: 'fail', reason: `failing: ${failed.join(', ')}`, evidence };
  },
};

const present = (what: string, evidence: Record<string, unknown>): CheckOutcome => ({
  status: 'pass',
  reason: `present: ${what}`,
  evidence,
});
const absent = (what: string, evidence: Record<string, unknown> = {}): CheckOutcome => ({
  status: 'skipped',
  reason: `absent: ${what}`,
  evidence,
});

export const addonChecks: CheckDefinition<ClusterCheckContext>[] = [
  {
    id: ClusterCheckId.AddonDns,
    title: 'Add-on: cluster DNS',
    description: 'A cluster DNS Service in kube-system (label k8s-app=kube-dns, or named kube-dns / coredns).',
    timeoutMs: 10_000,
    async run(ctx) {
      const services = await ctx.clients.core.listNamespacedService({ namespace: 'kube-system' });
      const dns = services.items.filter(
        (s) =>
          s.metadata?.labels?.['k8s-app'] === 'kube-dns' || ['kube-dns', 'coredns'].includes(s.metadata?.name ?? ''),
      );
      const names = dns.map((s) => s.metadata?.name);
      return dns.length > 0
        ? present(`kube-system/${names.join(', ')}`, { services: names })
        : absent('no cluster DNS Service in kube-system; pods cannot resolve Service names');
    },
  },
  {
    id: ClusterCheckId.AddonMetrics,
    title: 'Add-on: metrics API',
    description: 'The metrics.k8s.io API (metrics-server), used for resource usage and autoscaling.',
    timeoutMs: 10_000,
    async run(ctx) {
      try {
        const groups = await ctx.clients.config.makeApiClient(k8s.ApisApi).getAPIVersions();
        const found = groups.groups.find((g) => g.name === 'metrics.k8s.io');
        return found
          ? present(`metrics.k8s.io ${found.preferredVersion?.version ?? ''}`.trim(), {})
          : absent('metrics.k8s.io is not served (no metrics-server); usage and HPA are unavailable');
      } catch (error) {
        if (statusCode(error) === 404) return absent('metrics.k8s.io is not served');
        throw error;
      }
    },
  },
  {
    id: ClusterCheckId.AddonStorage,
    title: 'Add-on: default StorageClass',
    description: 'A StorageClass annotated storageclass.kubernetes.io/is-default-class=true.',
    timeoutMs: 10_000,
    async run(ctx) {
      const classes = await ctx.clients.config.makeApiClient(k8s.StorageV1Api).listStorageClass();
      const names = classes.items.map((c) => c.metadata?.name);
      const defaults = classes.items.filter(
        (c) => c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
      );
      return defaults.length > 0
        ? present(`default StorageClass ${defaults.map((c) => c.metadata?.name).join(', ')}`, { storageClasses: names })
        : absent(
            classes.items.length === 0
              ? 'no StorageClass; PersistentVolumeClaims without a class stay Pending'
              : 'no default StorageClass',
            { storageClasses: names },
          );
    },
  },
  {
    id: ClusterCheckId.AddonIngress,
    title: 'Add-on: IngressClass / GatewayClass',
    description: 'An IngressClass, or a Gateway API GatewayClass, for traffic from outside the cluster.',
    timeoutMs: 10_000,
    async run(ctx) {
      const ingress = await ctx.clients.config.makeApiClient(k8s.NetworkingV1Api).listIngressClass();
      const ingressNames = ingress.items.map((c) => c.metadata?.name ?? '');
      let gatewayNames: string[] = [];
      try {
        const list = (await ctx.clients.config.makeApiClient(k8s.CustomObjectsApi).listClusterCustomObject({
          group: 'gateway.networking.k8s.io',
          version: 'v1',
          plural: 'gatewayclasses',
        })) as { items?: { metadata?: { name?: string } }[] };
        gatewayNames = (list.items ?? []).map((g) => g.metadata?.name ?? '');
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
      const evidence = { ingressClasses: ingressNames, gatewayClasses: gatewayNames };
      const found = [...ingressNames.map((n) => `IngressClass ${n}`), ...gatewayNames.map((n) => `GatewayClass ${n}`)];
      return found.length > 0
        ? present(found.join(', '), evidence)
        : absent('no IngressClass and no GatewayClass; nothing routes external traffic', evidence);
    },
  },
];
