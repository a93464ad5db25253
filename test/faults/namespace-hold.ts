/**
 * A validating admission webhook on loopback that holds one run's namespace create at the API server until the
 * test lets it go. It tells the test, without polling, that the create is in flight, so a fault can be injected at
 * exactly that moment. It answers every other request at once and allows everything (failurePolicy Ignore), so
 * the rest of the cluster never waits on it.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadStackConfig } from '../../scripts/stack/config';
import { Annotation } from '../../src/k8s/render';
import { kube } from '../helpers/cluster';

interface AdmissionReview {
  request?: {
    uid: string;
    operation?: string;
    dryRun?: boolean;
    object?: { metadata?: { name?: string; annotations?: Record<string, string> } };
  };
}

export interface NamespaceCreateHold {
  /** Holds the create of the namespace annotated with this workflow id (the run namespace). */
  target(workflowId: string): void;
  /** Resolves with the namespace's name once its create reaches the webhook; rejects after `timeoutMs`. */
  inFlight(timeoutMs: number): Promise<string>;
  /** Answers the held create (allowed). */
  release(): void;
  /** Releases, deregisters the webhook and stops the server. */
  close(): Promise<void>;
}

/**
 * Registers the webhook and returns once the API server calls it (a dry-run namespace create, which persists
 * nothing, is repeated until the webhook sees one: the API server loads webhook configurations asynchronously).
 */
export async function holdNamespaceCreates(name: string): Promise<NamespaceCreateHold> {
  // The local stack's PKI: the apiserver's serving certificate names 127.0.0.1, and the CA signed it.
  const { pki } = loadStackConfig();
  let workflowId: string | undefined;
  let probes = 0;
  let answerHeld: (() => void) | undefined;
  let released = false;
  let arrived: ((ns: string) => void) | undefined;
  const arrival = new Promise<string>((resolve) => {
    arrived = resolve;
  });

  const server = https.createServer(
    { cert: fs.readFileSync(path.join(pki, 'apiserver.crt')), key: fs.readFileSync(path.join(pki, 'apiserver.key')) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview;
        const request = review.request;
        const answer = () =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              apiVersion: 'admission.k8s.io/v1',
              kind: 'AdmissionReview',
              response: { uid: request?.uid, allowed: true },
            }),
          );
        if (request?.dryRun) probes++;
        const ns = request?.object?.metadata;
        const held =
          !released &&
          !request?.dryRun &&
          request?.operation === 'CREATE' &&
          workflowId !== undefined &&
          ns?.annotations?.[Annotation.WorkflowId] === workflowId;
        if (held) {
          answerHeld = answer;
          arrived?.(ns?.name ?? '');
        } else {
          answer();
        }
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const { admission, core } = kube();
  const release = () => {
    released = true;
    answerHeld?.();
    answerHeld = undefined;
  };
  const close = async () => {
    release();
    await admission.deleteValidatingWebhookConfiguration({ name }).catch(() => undefined);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  // A setup that fails must not leave the server listening (the test process would never exit) or the webhook on.
  try {
    await admission.createValidatingWebhookConfiguration({
      body: {
        metadata: { name },
        webhooks: [
          {
            name: `${name}.kubeproof.dev`,
            clientConfig: {
              url: `https://127.0.0.1:${port}/hold`,
              caBundle: fs.readFileSync(path.join(pki, 'ca.crt')).toString('base64'),
            },
            rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] }],
            admissionReviewVersions: ['v1'],
            sideEffects: 'None',
            failurePolicy: 'Ignore',
            timeoutSeconds: 30,
          },
        ],
      },
    });
    const deadline = Date.now() + 30_000;
    while (probes === 0) {
      if (Date.now() > deadline) throw new Error(`the API server did not call the ${name} webhook within 30s`);
      await core.createNamespace({ body: { metadata: { name: `${name}-probe` } }, dryRun: 'All' });
      if (probes === 0) await sleep(200);
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    target: (id) => {
      workflowId = id;
    },
    inFlight: async (timeoutMs) => {
      const timer = new AbortController();
      try {
        return await Promise.race([
          arrival,
          sleep(timeoutMs, undefined, { signal: timer.signal }).then(() => {
            throw new Error(`no namespace create of ${workflowId} reached the API server within ${timeoutMs / 1000}s`);
          }),
        ]);
      } finally {
        timer.abort();
      }
    },
    release,
    close,
  };
}
