// A throwaway PKI for the security tests, made with the machine's openssl into a temp dir: a CA, a server
// certificate for localhost/127.0.0.1 (server and client auth: the Temporal server's own system worker
// uses it as its client certificate too), a client certificate, and a second, unrelated CA that
// signed nothing these servers present (the "untrusted CA" case). RSA 2048, valid for two days.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Key and certificate in one PEM file (Kafka's ssl.keystore.type=PEM). */
  readonly serverKeystore: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly rogueCaCert: string;
  readonly cleanup: () => void;
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
};

function selfSignedCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function leaf(dir: string, name: string, cn: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-pki-'));
  selfSignedCa(dir, 'ca');
  selfSignedCa(dir, 'rogue-ca');
  leaf(
    dir,
    'server',
    'localhost',
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  leaf(
    dir,
    'client',
    'orderflow-client',
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=clientAuth',
      '',
    ].join('\n'),
  );
  const path = (f: string) => join(dir, f);
  writeFileSync(
    path('server.keystore.pem'),
    readFileSync(path('server.key'), 'utf8') + readFileSync(path('server.crt'), 'utf8'),
  );
  return {
    dir,
    caCert: path('ca.crt'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
    serverKeystore: path('server.keystore.pem'),
    clientCert: path('client.crt'),
    clientKey: path('client.key'),
    rogueCaCert: path('rogue-ca.crt'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
