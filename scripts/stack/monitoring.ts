/**
 * The local stack's monitoring: Debian's Prometheus and Alertmanager on loopback, with their config and storage
 * under .stack/. Prometheus scrapes the local control plane (the admin client certificate), the worker's /metrics
 * and the SDK exporter, plus any target file a test drops into .stack/prometheus/targets/, loads
 * deploy/monitoring/kubeproof-rules.yaml, and alerts to the local Alertmanager. Intervals are 2 s so the canary
 * alert arrives within seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseMetricsEnv } from '../../src/worker/metrics';
import type { StackConfig } from './config';
import { runningPid, startProcess, waitFor } from './processes';

export const monitoringComponents = ['alertmanager', 'prometheus'] as const;

export const prometheusBin = process.env.KUBEPROOF_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const alertmanagerBin = process.env.KUBEPROOF_ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export const monitoringDirs = (cfg: StackConfig) => ({
  prometheus: path.join(cfg.state, 'prometheus'),
  targets: path.join(cfg.state, 'prometheus', 'targets'),
  alertmanager: path.join(cfg.state, 'alertmanager'),
});

const rulesFile = path.resolve(__dirname, '..', '..', 'deploy', 'monitoring', 'kubeproof-rules.yaml');

/** prometheus.yml as JSON (YAML is a superset of JSON). `withControlPlane` false for a cluster we did not start. */
export function prometheusConfig(cfg: StackConfig, withControlPlane: boolean): Record<string, unknown> {
  const metrics = parseMetricsEnv(process.env);
  const dirs = monitoringDirs(cfg);
  const tls = {
    ca_file: path.join(cfg.pki, 'ca.crt'),
    cert_file: path.join(cfg.pki, 'admin.crt'),
    key_file: path.join(cfg.pki, 'admin.key'),
  };
  const https = (job: string, port: number, verify: boolean) => ({
    job_name: job,
    scheme: 'https',
    // The scheduler and controller manager serve a self-signed certificate of their own making.
    tls_config: verify ? tls : { ...tls, insecure_skip_verify: true },
    static_configs: [{ targets: [`127.0.0.1:${port}`] }],
  });
  return {
    global: { scrape_interval: '2s', evaluation_interval: '2s', scrape_timeout: '2s' },
    rule_files: [rulesFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${cfg.ports.alertmanager}`] }] }] },
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${cfg.ports.prometheus}`] }] },
      ...(withControlPlane
        ? [
            https('apiserver', cfg.ports.apiserver, true),
            https('kube-scheduler', cfg.ports.scheduler, false),
            https('kube-controller-manager', cfg.ports.controllerManager, false),
            { job_name: 'etcd', static_configs: [{ targets: [`127.0.0.1:${cfg.ports.etcd}`] }] },
          ]
        : []),
      {
        job_name: 'kubeproof-worker',
        static_configs: [{ targets: [`127.0.0.1:${metrics.KUBEPROOF_METRICS_PORT}`] }],
        file_sd_configs: [{ files: [path.join(dirs.targets, '*.json')], refresh_interval: '2s' }],
      },
      {
        job_name: 'kubeproof-worker-sdk',
        static_configs: [{ targets: [`127.0.0.1:${metrics.KUBEPROOF_SDK_METRICS_PORT}`] }],
      },
    ],
  };
}

const alertmanagerConfig = {
  route: { receiver: 'null', group_wait: '1s', group_interval: '5s', repeat_interval: '1h' },
  receivers: [{ name: 'null' }],
};

async function ok(url: string): Promise<boolean> {
  return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
}

/**
 * Every active target scraped at least once (up or down, no longer `unknown`), so each job has its `up` series: a
 * run started the moment the stack is up (`npm run demo`) would otherwise find a job Prometheus has not reached yet
 * and report it missing.
 */
async function scrapedOnce(prometheusUrl: string): Promise<boolean> {
  const res = await fetch(`${prometheusUrl}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) return false;
  const body = (await res.json()) as { data?: { activeTargets?: { health?: string }[] } };
  const targets = body.data?.activeTargets ?? [];
  return targets.length > 0 && targets.every((t) => t.health !== 'unknown');
}

export async function startMonitoring(
  cfg: StackConfig,
  withControlPlane: boolean,
): Promise<{ prometheusUrl: string; alertmanagerUrl: string }> {
  for (const bin of [prometheusBin, alertmanagerBin]) {
    if (!fs.existsSync(bin)) {
      throw new Error(
        `${bin} is missing: install Debian's prometheus and prometheus-alertmanager packages (scripts/stack-up.sh does as root)`,
      );
    }
  }
  const dirs = monitoringDirs(cfg);
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const amConfig = path.join(dirs.alertmanager, 'alertmanager.yml');
  fs.writeFileSync(amConfig, JSON.stringify(alertmanagerConfig, null, 2));
  const promConfig = path.join(dirs.prometheus, 'prometheus.yml');
  fs.writeFileSync(promConfig, JSON.stringify(prometheusConfig(cfg, withControlPlane), null, 2));
  const alertmanagerUrl = `http://127.0.0.1:${cfg.ports.alertmanager}`;
  const prometheusUrl = `http://127.0.0.1:${cfg.ports.prometheus}`;

  if (!runningPid(cfg, 'alertmanager')) {
    startProcess(cfg, {
      name: 'alertmanager',
      command: alertmanagerBin,
      args: [
        `--config.file=${amConfig}`,
        `--storage.path=${path.join(dirs.alertmanager, 'data')}`,
        `--web.listen-address=127.0.0.1:${cfg.ports.alertmanager}`,
        // An empty address turns off the HA gossip listener, which would otherwise bind every interface.
        '--cluster.listen-address=',
      ],
    });
  }
  if (!runningPid(cfg, 'prometheus')) {
    startProcess(cfg, {
      name: 'prometheus',
      command: prometheusBin,
      args: [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${path.join(dirs.prometheus, 'data')}`,
        '--storage.tsdb.retention.time=2d',
        `--web.listen-address=127.0.0.1:${cfg.ports.prometheus}`,
        '--web.enable-lifecycle',
      ],
    });
  } else {
    // Already running: pick up a changed configuration without a restart.
    await fetch(`${prometheusUrl}/-/reload`, { method: 'POST' }).catch(() => undefined);
  }
  await waitFor(cfg, 'alertmanager', () => ok(`${alertmanagerUrl}/-/ready`), 60_000);
  await waitFor(cfg, 'prometheus', () => ok(`${prometheusUrl}/-/ready`), 60_000);
  await waitFor(cfg, 'prometheus', () => scrapedOnce(prometheusUrl), 30_000);
  return { prometheusUrl, alertmanagerUrl };
}
