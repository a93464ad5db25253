/**
 * Encrypted payloads in a real validation run: with the codec on, the history Temporal stores holds none of the run's
 * scenario name, pod names or AI prompt; the codec server decodes them over HTTP; and the Temporal Web UI, pointed
 * at that codec server, shows the run's input decoded in a real browser (Debian's Chromium via playwright-core).
 *
 * Search attributes and the workflow id are visibility data that Temporal never passes through a codec: they are the
 * only parts of the history left out of the scan.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { temporal as proto } from '@temporalio/proto';
import { AesGcmCodec, ENCRYPTED_ENCODING, type KeyRing } from '../../src/codec';
import { fromJson, toJson } from '../../src/codec/payload-json';
import { startCodecServer } from '../../src/codec/server';
import { outcomeOf, startValidation } from '../../src/client/validation';
import type { ValidationResult } from '../../src/run/contracts';
import { parseScenarioData } from '../../src/scenarios';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { leftovers } from '../helpers/cluster';
import { outputDir, stack, uniqueTaskQueue } from '../helpers/env';
import { defaultDeps, temporalClient, withWorker } from '../helpers/worker';

const chromiumPath = process.env.KUBEPROOF_CHROMIUM ?? '/usr/bin/chromium';
const suffix = randomUUID().slice(0, 8);
const scenarioName = `codec-secret-${suffix}`;
const serviceName = `vault${suffix}`;
const keys: KeyRing = [{ id: `test-${suffix}`, key: randomBytes(32) }];

const scenario = parseScenarioData(
  {
    apiVersion: 'kubeproof.dev/v1',
    kind: 'Scenario',
    metadata: { name: scenarioName },
    spec: {
      timeouts: { total: '5m', ready: '30s' },
      services: [{ name: serviceName, image: 'nginx:1.27', replicas: 2, ports: [{ port: 80 }] }],
      checks: [],
    },
  },
  `${scenarioName}.yaml`,
);

let openai: OpenAiServer;
let workflowId: string;
let result: ValidationResult;
let history: proto.api.history.v1.IHistory;
let promptLine: string;

before(async () => {
  openai = await startOpenAiServer({ mode: 'valid' });
  const encrypted = await temporalClient({ codecKeys: keys });
  const taskQueue = uniqueTaskQueue('codec');
  try {
    const env = { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-codec-test', KUBEPROOF_AI_MODEL: 'fixture-model' };
    const outcome = await withWorker(
      taskQueue,
      async () => {
        const handle = await startValidation(encrypted.client, {
          scenario,
          clusterName: `codec-${suffix}`,
          ai: 'required',
          taskQueue,
          skipBaseline: true,
        });
        workflowId = handle.workflowId;
        return outcomeOf(handle);
      },
      defaultDeps({ env }),
      { codecKeys: keys },
    );
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    result = outcome.result;
  } finally {
    await encrypted.close();
  }
  // The history as Temporal stores it: read by a client that has no codec.
  const raw = await temporalClient();
  try {
    history = await raw.client.workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await raw.close();
  }
  const request = openai.completions().at(-1)?.body as { messages?: { content?: string }[] } | undefined;
  const prompt = (request?.messages ?? []).map((m) => m.content ?? '').join('\n');
  // A line of the prompt that names the run's own evidence, not boilerplate.
  promptLine = prompt.split('\n').find((line) => line.includes(serviceName) && line.length > 20) ?? '';
});
after(async () => {
  await openai.close();
});

/** The history without what Temporal never encodes: search attributes and the workflow id. */
function withoutVisibilityData(h: proto.api.history.v1.IHistory): proto.api.history.v1.History {
  const copy = proto.api.history.v1.History.decode(proto.api.history.v1.History.encode(h).finish());
  for (const event of copy.events) {
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      started.searchAttributes = null;
      (started as { workflowId?: string }).workflowId = '';
    }
    const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
    if (upsert) upsert.searchAttributes = null;
  }
  return copy;
}

/** Every payload in a history (an object with metadata and data bytes), wherever it sits. */
function payloadsOf(node: unknown, out: proto.api.common.v1.IPayload[] = []): proto.api.common.v1.IPayload[] {
  if (node instanceof Uint8Array || node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const item of node) payloadsOf(item, out);
    return out;
  }
  const o = node as { metadata?: unknown; data?: unknown };
  if (o.metadata && typeof o.metadata === 'object' && o.data instanceof Uint8Array)
    out.push(o as proto.api.common.v1.IPayload);
  else for (const value of Object.values(node)) payloadsOf(value, out);
  return out;
}

describe('a validation run with encrypted payloads', () => {
  it('finished, with the AI asked about its own evidence, and left nothing behind', async () => {
    assert.equal(result.ai?.source, 'llm');
    assert.ok(result.pods.length >= 2, 'the run recorded its pods');
    assert.ok(promptLine.length > 0, 'the prompt names the service');
    assert.deepEqual(await leftovers(workflowId), []);
  });

  it('stores no scenario name, pod name or prompt text anywhere in its history outside visibility data', () => {
    const bytes = Buffer.from(proto.api.history.v1.History.encode(withoutVisibilityData(history)).finish());
    const stored = bytes.toString('latin1');
    const secrets = [scenarioName, serviceName, ...result.pods.map((p) => p.pod), promptLine, '<<<EVIDENCE'];
    for (const secret of secrets) assert.ok(!stored.includes(secret), `history contains "${secret}" in the clear`);
    // The exclusion is exactly the visibility data: the whole history does carry the names there.
    const whole = Buffer.from(proto.api.history.v1.History.encode(history).finish()).toString('latin1');
    assert.ok(whole.includes(scenarioName), 'the search attributes carry the scenario name, unencrypted');
  });

  it('encrypts every payload of the history with the configured key', () => {
    const payloads = payloadsOf(history.events);
    assert.ok(payloads.length > 10, `a run has many payloads (${payloads.length})`);
    const visibility = payloadsOf(
      history.events?.flatMap((e) => [
        e.workflowExecutionStartedEventAttributes?.searchAttributes,
        e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes,
      ]),
    );
    // patched() markers are written by the SDK core, which never runs the codec: they hold the patch id only.
    const patchMarkers = payloadsOf(
      history.events?.map((e) =>
        e.markerRecordedEventAttributes?.markerName === 'core_patch' ? e.markerRecordedEventAttributes.details : null,
      ),
    );
    for (const p of patchMarkers) {
      assert.deepEqual(JSON.parse(Buffer.from(p.data ?? []).toString()), { id: 'deploy-pipelined', deprecated: false });
    }
    const plain = payloads.filter(
      (p) =>
        !visibility.includes(p) &&
        !patchMarkers.includes(p) &&
        Buffer.from(p.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING,
    );
    assert.deepEqual(
      plain.map((p) => Buffer.from(p.metadata?.encoding ?? []).toString()),
      [],
      'payloads left unencrypted',
    );
  });

  it('is decoded by the codec server over HTTP, revealing the names the history hides', async () => {
    const server = await startCodecServer({ codec: new AesGcmCodec(keys), origins: [], host: '127.0.0.1', port: 0 });
    try {
      const encrypted = payloadsOf(withoutVisibilityData(history).events);
      const res = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Namespace': stack.temporalNamespace },
        body: JSON.stringify(toJson(encrypted)),
      });
      assert.equal(res.status, 200);
      const decoded = fromJson((await res.json()) as never)
        .map((p) => Buffer.from(p.data ?? []).toString('utf8'))
        .join('\n');
      for (const secret of [scenarioName, serviceName, result.pods[0]!.pod, '<<<EVIDENCE']) {
        assert.ok(decoded.includes(secret), `decoded history contains "${secret}"`);
      }
    } finally {
      await server.close();
    }
  });
});

describe('the Temporal Web UI with the kubeproof codec server', () => {
  it('shows the run input decoded once its Codec Server setting points at kubeproof codec-server', async () => {
    assert.ok(stack.uiUrl, 'TEMPORAL_UI_URL is set by the local stack');
    assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath}: npm test installs Debian's chromium`);
    const uiOrigin = new URL(stack.uiUrl).origin;
    let decodeCalls = 0;
    const codec = new AesGcmCodec(keys);
    const counting = {
      encode: (p: proto.api.common.v1.IPayload[]) => codec.encode(p),
      decode: (p: proto.api.common.v1.IPayload[]) => {
        decodeCalls++;
        return codec.decode(p);
      },
    };
    const server = await startCodecServer({ codec: counting, origins: [uiOrigin], host: '127.0.0.1', port: 0 });
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-chromium-codec-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const runUrl = `${stack.uiUrl}/namespaces/${stack.temporalNamespace}/workflows/${encodeURIComponent(workflowId)}`;
      // Without the setting, the UI has only ciphertext: the service name is nowhere on the page.
      await page.goto(runUrl, { waitUntil: 'domcontentloaded' });
      const inputHeading = page.getByText('Input', { exact: true }).filter({ visible: true }).first();
      await inputHeading.waitFor({ timeout: 30_000 });
      await page.waitForTimeout(2000);
      assert.equal(await page.getByText(serviceName).count(), 0, 'the input is unreadable without the codec server');
      assert.equal(decodeCalls, 0);

      // What the UI's Codec Server dialog stores in the browser: the endpoint, and "use my browser setting" (without
      // it, a UI whose server configures no codec ignores the browser's endpoint).
      await page.evaluate((endpoint) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } })
          .localStorage;
        storage.setItem('endpoint', JSON.stringify(endpoint));
        storage.setItem('overrideRemoteCodecConfiguration', 'true');
      }, server.url);
      await page.reload({ waitUntil: 'domcontentloaded' });
      const decoded = page.getByText(serviceName).filter({ visible: true }).first();
      await assert.doesNotReject(decoded.waitFor({ timeout: 30_000 }), 'the decoded input names the service');
      assert.ok(decodeCalls > 0, 'the UI called the codec server');
      fs.mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: path.join(outputDir, 'web-ui-codec.png'), fullPage: true });
    } finally {
      await browser.close();
      await server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
