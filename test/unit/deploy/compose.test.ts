import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { searchAttributes } from '../../../scripts/stack/config';
import { SearchAttr } from '../../../src/search-attributes';
import { repoRoot } from '../../helpers/env';

interface Compose {
  services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string> }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as Compose;

  it('runs Temporal, its Web UI and a kubeproof worker pointed at that Temporal', () => {
    assert.ok(compose.services.temporal?.image?.startsWith('temporalio/auto-setup:'));
    assert.ok(compose.services['temporal-ui']?.image?.startsWith('temporalio/ui:'));
    const worker = compose.services['kubeproof-worker'];
    assert.equal(worker?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
    assert.match(worker?.command?.join(' ') ?? '', /kubeproof\.js worker/);
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
