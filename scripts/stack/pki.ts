/**
 * A throwaway PKI for the local control plane, made with openssl: a CA, the apiserver's serving certificate,
 * client certificates for each component, the service-account signing key pair, and kubeconfigs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StackConfig } from './config';

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

/** Client identities: the CN is the user name, O the group (system:masters bypasses RBAC for the admin). */
export const identities = {
  admin: { cn: 'kubeproof-admin', o: 'system:masters' },
  'kube-controller-manager': { cn: 'system:kube-controller-manager', o: '' },
  'kube-scheduler': { cn: 'system:kube-scheduler', o: '' },
  kwok: { cn: 'kwok-controller', o: 'system:masters' },
} as const;
export type Identity = keyof typeof identities;

function clientCert(dir: string, name: string, subject: string, extfile?: string): void {
  openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '365',
      '-sha256',
      '-out',
      `${name}.crt`,
      ...(extfile ? ['-extfile', extfile] : []),
    ],
    dir,
  );
  fs.rmSync(path.join(dir, `${name}.csr`));
}

export function ensurePki(cfg: StackConfig): void {
  const dir = cfg.pki;
  if (fs.existsSync(path.join(dir, 'complete'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=kubeproof-local-ca', '-days', '365', '-out', 'ca.crt'],
    dir,
  );

  fs.writeFileSync(
    path.join(dir, 'apiserver.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
        'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      '',
    ].join('\n'),
  );
  clientCert(dir, 'apiserver', '/CN=kube-apiserver', 'apiserver.ext');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  for (const [name, id] of Object.entries(identities)) {
    clientCert(dir, name, id.o ? `/O=${id.o}/CN=${id.cn}` : `/CN=${id.cn}`, 'client.ext');
  }
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  fs.writeFileSync(path.join(dir, 'complete'), '');
}

export function kubeconfigFor(cfg: StackConfig, identity: Identity): string {
  const file = identity === 'admin' ? cfg.kubeconfig : path.join(cfg.pki, `${identity}.kubeconfig`);
  const b64 = (f: string) => fs.readFileSync(path.join(cfg.pki, f)).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubeproof-local',
        cluster: { server: `https://127.0.0.1:${cfg.ports.apiserver}`, 'certificate-authority-data': b64('ca.crt') },
      },
    ],
    users: [
      {
        name: identity,
        user: { 'client-certificate-data': b64(`${identity}.crt`), 'client-key-data': b64(`${identity}.key`) },
      },
    ],
    contexts: [{ name: 'kubeproof-local', context: { cluster: 'kubeproof-local', user: identity } }],
    'current-context': 'kubeproof-local',
  };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2), { mode: 0o600 });
  return file;
}
