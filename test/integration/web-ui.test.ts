/**
 * The Temporal Web UI as a person uses it: headless Chromium (Debian's, driven by playwright-core) opens the
 * local dev server's UI, finds a finished run through its custom search attribute, sees its status, and saves
 * a screenshot under test-output/.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type Frame, chromium } from 'playwright-core';
import { outcomeOf, startValidation } from '../../src/client/validation';
import { parseScenarioData } from '../../src/scenarios';
import { outputDir, stack, uniqueTaskQueue } from '../helpers/env';
import { temporalClient, withWorker } from '../helpers/worker';

const chromiumPath = process.env.KUBEPROOF_CHROMIUM ?? '/usr/bin/chromium';

describe('the Temporal Web UI', () => {
  it('shows a finished run, found by its KubeproofCluster search attribute, with readable activity summaries', async () => {
    assert.ok(stack.uiUrl, 'TEMPORAL_UI_URL is set by the local stack');
    assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath}: npm test installs Debian's chromium`);
    const cluster = `ui-${randomUUID().slice(0, 8)}`;
    const scenario = parseScenarioData(
      {
        apiVersion: 'kubeproof.dev/v1',
        kind: 'Scenario',
        metadata: { name: 'ui-probe' },
        spec: {
          timeouts: { total: '5m', ready: '30s' },
          services: [{ name: 'web', image: 'nginx:1.27', replicas: 1 }],
          // A short history, so the run's page shows the deploy activity without paging.
          checks: [],
        },
      },
      'ui-probe.yaml',
    );
    const { client, close } = await temporalClient();
    const taskQueue = uniqueTaskQueue('ui');
    const workflowId = await withWorker(taskQueue, async () => {
      const handle = await startValidation(client, {
        scenario,
        clusterName: cluster,
        ai: 'off',
        taskQueue,
        skipBaseline: true,
      });
      const outcome = await outcomeOf(handle);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      return handle.workflowId;
    });
    await close();

    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeproof-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const query = `KubeproofCluster="${cluster}"`;
      const url = `${stack.uiUrl}/namespaces/${stack.temporalNamespace}/workflows?query=${encodeURIComponent(query)}`;
      // Visibility can lag a moment behind completion: reload until the run is listed.
      let listed = false;
      for (let attempt = 0; attempt < 10 && !listed; attempt++) {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        listed = await page
          .getByText(workflowId)
          .first()
          .waitFor({ timeout: 5000 })
          .then(
            () => true,
            () => false,
          );
      }
      assert.ok(listed, `the run ${workflowId} is listed for ${query}`);
      const row = page.getByRole('row').filter({ hasText: workflowId });
      await assert.doesNotReject(
        row.getByText('Completed').first().waitFor({ timeout: 5000 }),
        'its status reads Completed',
      );
      fs.mkdirSync(outputDir, { recursive: true });
      const shot = path.join(outputDir, 'web-ui-run.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(fs.statSync(shot).size > 10_000, 'a real screenshot was written');

      // The run's own page: its activities read as what they did, not as a row of identical type names.
      await row.getByRole('link', { name: workflowId }).first().click();
      // The run's events, where each activity shows its summary.
      await page.getByText('Event History', { exact: false }).first().click();
      const activitySummary = page.getByText('deploy web (1 replicas) and follow it to Ready').first();
      await assert.doesNotReject(activitySummary.waitFor({ timeout: 15_000 }), 'the deploy activity shows its summary');
      // The run's user metadata tells its story: the static summary set at start. The UI (2.54) renders each
      // Markdown field in its own iframe (/render?content=…), so the text is looked for in every frame.
      await page.getByText('User Metadata', { exact: true }).first().click();
      const runSummary = `${scenario.metadata.name} on ${cluster}`;
      const inAFrame = (frame: Frame) =>
        frame
          .getByText(runSummary, { exact: true })
          .count()
          .catch(() => 0);
      const summaryShown = async () => (await Promise.all(page.frames().map(inAFrame))).some((n) => n > 0);
      let shown = false;
      for (const deadline = Date.now() + 15_000; !shown && Date.now() < deadline; ) {
        shown = await summaryShown();
        if (!shown) await page.waitForTimeout(250);
      }
      await page.screenshot({ path: path.join(outputDir, 'web-ui-run-history.png'), fullPage: true });
      assert.ok(
        shown,
        `the run's User Metadata tab shows its summary "${runSummary}" (screenshot web-ui-run-history.png)`,
      );
    } finally {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
