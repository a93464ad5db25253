/**
 * `npm run stack:up`: builds (once) and starts the local stack, then writes `.stack/env`.
 * Running it again while the stack is up only re-checks health.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadStackConfig, log } from './config';
import { startKubernetes } from './kubernetes';
import { startMonitoring } from './monitoring';
import { ensurePki } from './pki';
import { startTemporal } from './temporal';

async function main(): Promise<void> {
  const started = Date.now();
  const cfg = loadStackConfig();
  fs.mkdirSync(cfg.state, { recursive: true });

  const external = process.env.KUBEPROOF_EXTERNAL_KUBECONFIG;
  if (!external) {
    execFileSync('bash', [path.join(__dirname, '..', 'build-cluster.sh')], { stdio: 'inherit' });
    ensurePki(cfg);
  }
  const [temporal] = await Promise.all([startTemporal(cfg), external ? Promise.resolve() : startKubernetes(cfg)]);
  const monitoring = process.env.KUBEPROOF_MONITORING === 'false' ? undefined : await startMonitoring(cfg, !external);
  const kubeconfig = external ?? cfg.kubeconfig;
  const lines = {
    KUBECONFIG: kubeconfig,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_UI_URL: temporal.uiUrl,
    KUBEPROOF_CLUSTER_NAME: process.env.KUBEPROOF_CLUSTER_NAME ?? 'local-kwok',
    ...(monitoring ? { PROMETHEUS_URL: monitoring.prometheusUrl, ALERTMANAGER_URL: monitoring.alertmanagerUrl } : {}),
  };
  fs.writeFileSync(
    cfg.envFile,
    Object.entries(lines)
      .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join('\n') + '\n',
  );
  log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)}s; environment in ${cfg.envFile}`);
}

main().catch((error: unknown) => {
  log(`stack:up failed: ${error instanceof Error ? error.message : String(error)}`);
  log('processes that did start are still running; `npm run stack:down` stops them');
  process.exit(1);
});
