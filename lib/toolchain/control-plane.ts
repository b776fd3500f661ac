import { ChildProcess, spawn } from 'child_process';
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePorts } from './free-port';
import { ApiEndpoint, KubeClient } from './kube-client';

/**
 * A private Kubernetes control plane for tests and the command: etcd and kube-apiserver on
 * 127.0.0.1 at free ports, with data, certificates and logs in one temporary directory, token
 * authentication (one `system:masters` user) and RBAC. No controller-manager, scheduler or
 * kubelet: objects are stored and served, never acted on. Installs no signal handlers: the caller
 * passes an AbortSignal and calls stop() (also on failure).
 */

export interface ControlPlaneOptions {
  /** The etcd binary. */
  readonly etcd: string;
  /** The kube-apiserver binary. */
  readonly kubeApiserver: string;
  /** Where the temporary directory is made. @default os.tmpdir() */
  readonly tmpRoot?: string;
  /** Seconds to wait for /readyz. @default 120 */
  readonly startTimeoutSeconds?: number;
  /** Stops the control plane (during start too). @default - none */
  readonly signal?: AbortSignal;
  /** Progress lines. @default - silent */
  readonly log?: (line: string) => void;
}

/** A running control plane. */
export interface ControlPlane extends ApiEndpoint {
  /** The temporary directory (removed by stop()). */
  readonly dir: string;
  /** A kubeconfig file for the admin user, inside `dir`. */
  readonly kubeconfig: string;
  /** Seconds from start() to a ready API server. */
  readonly startSeconds: number;
  /** A client for the admin user. */
  readonly client: KubeClient;
  /** The process ids of etcd and kube-apiserver. */
  readonly pids: { readonly etcd: number; readonly kubeApiserver: number };
  /** Stops kube-apiserver then etcd (SIGTERM, then SIGKILL) and removes `dir`; safe to call twice. */
  stop(): Promise<void>;
}

const ADMIN = 'cdk8s-nfv-admin';
const GRACE_MS = 10_000;

/** Starts etcd and kube-apiserver; resolves when the API server is ready. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  for (const [prop, bin] of [['etcd', options.etcd], ['kubeApiserver', options.kubeApiserver]] as const) {
    if (!path.isAbsolute(bin) || !fs.existsSync(bin)) {
      throw new Error(`'${prop}' is not an existing binary: got ${JSON.stringify(bin)}; build it with \`npm run toolchain\``);
    }
  }
  if (options.signal?.aborted) throw new Error('control plane: aborted before start');
  const dir = fs.mkdtempSync(path.join(options.tmpRoot ?? os.tmpdir(), 'cdk8s-nfv-control-plane-'));
  const children: ChildProcess[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      options.signal?.removeEventListener('abort', onAbort);
      // the API server first, so it does not spend its shutdown retrying a gone etcd
      for (const child of [...children].reverse()) await terminate(child);
      fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const onAbort = (): void => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [etcdClient, etcdPeer, securePort] = await freePorts(3);
    const etcdDir = path.join(dir, 'etcd');
    const certDir = path.join(dir, 'certs');
    fs.mkdirSync(certDir, { mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const saKey = path.join(certDir, 'service-account.key');
    fs.writeFileSync(saKey, privateKey, { mode: 0o600 });
    const token = randomBytes(32).toString('hex');
    const tokenFile = path.join(certDir, 'tokens.csv');
    fs.writeFileSync(tokenFile, `${token},${ADMIN},${ADMIN},"system:masters"\n`, { mode: 0o600 });

    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    children.push(launch(options.etcd, [
      '--name=default',
      `--data-dir=${etcdDir}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync=true',
    ], path.join(dir, 'etcd.log')));
    const url = `https://127.0.0.1:${securePort}`;
    children.push(launch(options.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=${url}`,
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      // kubeadm's default range: manifests written for it (fixed clusterIPs) fit
      '--service-cluster-ip-range=10.96.0.0/12',
      '--disable-admission-plugins=ServiceAccount',
      // the installers run privileged DaemonSets, as real clusters allow
      '--allow-privileged=true',
    ], path.join(dir, 'kube-apiserver.log')));
    log(`control plane: etcd on ${etcdUrl}, kube-apiserver on ${url}, files in ${dir}`);

    const ca = await waitReady(url, token, path.join(certDir, 'apiserver.crt'), children, dir, (options.startTimeoutSeconds ?? 120) * 1000, options.signal);
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigText(url, token, ca), { mode: 0o600 });
    const endpoint: ApiEndpoint = { url, token, ca };
    const startSeconds = (Date.now() - started) / 1000;
    log(`control plane: ready in ${startSeconds.toFixed(1)} s`);
    const pids = { etcd: children[0].pid!, kubeApiserver: children[1].pid! };
    return { ...endpoint, dir, kubeconfig, startSeconds, client: new KubeClient(endpoint), pids, stop };
  } catch (e) {
    const logs = tails(dir);
    await stop();
    throw new Error(`control plane did not start: ${(e as Error).message}${logs}`);
  }
}

function launch(bin: string, args: string[], logFile: string): ChildProcess {
  const fd = fs.openSync(logFile, 'a');
  try {
    return spawn(bin, args, { stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function tails(dir: string): string {
  const out: string[] = [];
  for (const f of ['etcd.log', 'kube-apiserver.log']) {
    try {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      out.push(`\n--- ${f} (last lines) ---\n${text}`);
    } catch {
      // not written
    }
  }
  return out.join('');
}

async function waitReady(url: string, token: string, caFile: string, children: ChildProcess[], dir: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error('aborted');
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead) throw new Error(`${path.basename(dead.spawnfile)} exited (${dead.exitCode ?? dead.signalCode}) before the API server was ready; logs in ${dir}`);
    if (fs.existsSync(caFile)) {
      const ca = fs.readFileSync(caFile, 'utf8');
      try {
        const r = await new KubeClient({ url, token, ca }).request('GET', '/readyz');
        if (r.status === 200) return ca;
        last = `/readyz answered ${r.status}: ${r.text.slice(0, 300)}`;
      } catch (e) {
        last = (e as Error).message;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`kube-apiserver was not ready within ${timeoutMs / 1000} s (${last})`);
}

function kubeconfigText(url: string, token: string, ca: string): string {
  const caData = Buffer.from(ca).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: private',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${caData}`,
    'users:',
    `- name: ${ADMIN}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: private',
    '  context:',
    '    cluster: private',
    `    user: ${ADMIN}`,
    'current-context: private',
    '',
  ].join('\n');
}
