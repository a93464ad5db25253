/**
 * Composes the KWOK stage configuration: upstream node stages (initialize + lease heartbeat) and pod stages
 * (ready, complete, delete) read from the kwok module, plus kubeproof's simulation stages.
 *
 * Two adjustments to the upstream pod-ready stage, made here so they are visible and reviewable:
 * - a per-pod delay taken from the `kubeproof.dev/ready-delay` annotation (a Go duration such as "1500ms"),
 *   bounded above by `kubeproof.dev/ready-jitter` when set, so latencies are non-zero and measurable;
 * - pods labelled `kubeproof.dev/simulate` are left to kubeproof's own stages (never-ready, crash-loop).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { StackConfig } from './config';

const upstreamStages = [
  'node/fast/node-initialize.yaml',
  'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'pod/fast/pod-ready.yaml',
  'pod/fast/pod-complete.yaml',
  'pod/fast/pod-delete.yaml',
];

interface StageDoc {
  metadata: { name: string };
  spec: {
    selector: { matchExpressions: { key: string; operator: string; values?: string[] }[] };
    delay?: Record<string, unknown>;
  };
}

export function writeKwokConfig(cfg: StackConfig): string {
  const docs: unknown[] = [];
  for (const rel of upstreamStages) {
    const file = path.join(cfg.kwokStages, rel);
    if (!fs.existsSync(file)) throw new Error(`KWOK stage ${file} is missing: run scripts/build-cluster.sh again`);
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const stage = doc.toJS() as StageDoc;
      if (stage.metadata.name === 'pod-ready') {
        stage.spec.selector.matchExpressions.push({
          key: '.metadata.labels["kubeproof.dev/simulate"]',
          operator: 'DoesNotExist',
        });
        stage.spec.delay = {
          durationMilliseconds: 0,
          durationFrom: { expressionFrom: '.metadata.annotations["kubeproof.dev/ready-delay"]' },
          jitterDurationFrom: { expressionFrom: '.metadata.annotations["kubeproof.dev/ready-jitter"]' },
        };
      }
      docs.push(stage);
    }
  }
  const own = fs.readFileSync(path.join(__dirname, 'simulation-stages.yaml'), 'utf8');
  for (const doc of parseAllDocuments(own)) docs.push(doc.toJS());
  const out = path.join(cfg.state, 'kwok', 'stages.yaml');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, docs.map((d) => stringify(d)).join('---\n'));
  return out;
}
