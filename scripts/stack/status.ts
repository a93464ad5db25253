/** Prints "up" when every recorded stack process is alive and .stack/env exists, else "down" (exit 0 either way). */
import fs from 'node:fs';
import { loadStackConfig } from './config';
import { k8sComponents } from './kubernetes';
import { monitoringComponents } from './monitoring';
import { runningPid } from './processes';

const cfg = loadStackConfig();
const optional = ['temporal', ...monitoringComponents].filter((n) => fs.existsSync(`${cfg.pids}/${n}.pid`));
const names = [...k8sComponents, ...optional];
const up = fs.existsSync(cfg.envFile) && names.every((n) => runningPid(cfg, n) !== undefined);
process.stdout.write(up ? 'up\n' : 'down\n');
