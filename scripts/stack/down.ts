/** `npm run stack:down`: stops exactly the processes stack:up recorded, then removes the state directory. */
import fs from 'node:fs';
import { loadStackConfig, log } from './config';
import { k8sComponents } from './kubernetes';
import { monitoringComponents } from './monitoring';
import { stopProcess } from './processes';

async function main(): Promise<void> {
  const cfg = loadStackConfig();
  if (!fs.existsSync(cfg.state)) {
    log('no local stack state: nothing to stop');
    return;
  }
  for (const name of [...monitoringComponents].reverse()) await stopProcess(cfg, name);
  // Reverse start order: clients of etcd before etcd itself.
  for (const name of [...k8sComponents].reverse()) await stopProcess(cfg, name);
  await stopProcess(cfg, 'temporal');
  const leftovers = fs.existsSync(cfg.pids) ? fs.readdirSync(cfg.pids) : [];
  for (const file of leftovers) await stopProcess(cfg, file.replace(/\.pid$/, ''));
  fs.rmSync(cfg.state, { recursive: true, force: true });
  log('stack down; state directory removed');
}

main().catch((error: unknown) => {
  log(`stack:down failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
