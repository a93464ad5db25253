import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { searchAttributes } from '../../../scripts/stack/config';
import { SearchAttr } from '../../../src/search-attributes';
import { repoRoot } from '../../helpers/env';

interface Compose {
  services: Record<
    string,
    {
      image?: string;
      command?: string[];
      environment?: Record<string, string>;
      build?: unknown;
      depends_on?: unknown;
      volumes?: string[];
    }
  >;
}

/** `docker compose` when the plugin is there, else Debian's `docker-compose`; undefined when neither runs. */
function composeTool(): string[] | undefined {
  for (const tool of [['docker', 'compose'], ['docker-compose']]) {
    try {
      execFileSync(tool[0] ?? '', [...tool.slice(1), 'version'], { stdio: 'ignore' });
      return tool;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as Compose;

  it('sets up the schema with the admin tools and runs the plain server image, not auto-setup', () => {
    assert.ok(compose.services.temporal?.image?.startsWith('temporalio/server:'));
    assert.ok(!JSON.stringify(compose).includes('auto-setup'));
    const schema = compose.services['temporal-schema'];
    assert.ok(schema?.image?.startsWith('temporalio/admin-tools:'));
    assert.match(schema?.command?.join(' ') ?? '', /temporal-sql-tool .*setup-schema .*update-schema/s);
    assert.deepEqual(compose.services.temporal?.depends_on, {
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
  });

  it('builds the kubeproof worker from the Dockerfile and mounts no source tree', () => {
    assert.ok(compose.services['temporal-ui']?.image?.startsWith('temporalio/ui:'));
    const worker = compose.services['kubeproof-worker'];
    assert.equal(worker?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
    assert.deepEqual(worker?.build, { context: '.', dockerfile: 'Dockerfile' });
    assert.equal(worker?.command, undefined, 'the image entrypoint runs the compiled worker');
    assert.deepEqual(worker?.volumes, ['${KUBECONFIG_DIR:-~/.kube}:/kube:ro']);
  });

  it('is a valid compose file according to docker-compose config', { skip: composeTool() === undefined }, () => {
    const tool = composeTool() ?? [];
    const out = execFileSync(tool[0] ?? '', [...tool.slice(1), '-f', 'docker-compose.yml', 'config', '--quiet'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(out.trim(), '');
  });

  it('registers every search attribute the workflows upsert, the same set the local stack registers', () => {
    const script = compose.services['temporal-search-attributes']?.command?.join(' ') ?? '';
    const registered = /for name in ([\w ]+);/.exec(script)?.[1]?.trim().split(/\s+/).sort();
    const used = Object.values(SearchAttr)
      .map((k) => k.name)
      .sort();
    assert.deepEqual(registered, used);
    assert.deepEqual(Object.keys(searchAttributes).sort(), used);
  });
});
