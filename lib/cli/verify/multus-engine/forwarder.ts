import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { netnsName } from '../../dataplane/argv-values';
import { COMMAND_ENV } from '../../dataplane/netns';

/**
 * Reaching the private API server from a node namespace without giving the host an address: the
 * namespaces share the filesystem, so a unix socket in the run's directory is the bridge.
 * - host side, in this process: a unix-socket server piping each connection to 127.0.0.1:<port>;
 * - node side, one child per node (`ip netns exec <node> node -e <NODE_SIDE_SOURCE> ...`): a TCP
 *   server on the node's own 127.0.0.1:<port> piping each connection to the unix socket.
 * TLS passes through untouched (the API server's certificate covers 127.0.0.1). The child's
 * script is this module's constant; its values (port, socket path) are checked and passed as
 * argv elements.
 */

/** The node-side forwarder, run with `node -e`: argv = [port, socketPath]. Prints `ready` once listening. */
export const NODE_SIDE_SOURCE = `
const net = require('net');
const port = Number(process.argv[1]);
const socketPath = process.argv[2];
const server = net.createServer((c) => {
  const u = net.connect(socketPath);
  c.pipe(u); u.pipe(c);
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
});
server.on('error', (e) => { process.stderr.write(String(e && e.message) + '\\n'); process.exit(1); });
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

/** Checks a TCP port value. */
function portValue(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    throw new Error(`'${field}' is not a TCP port: got ${JSON.stringify(v)}; pass an integer from 1 to 65535`);
  }
  return v;
}

/** Checks a socket path: absolute, printable, short enough for sun_path. */
function socketPathValue(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v.startsWith('/') || !/^[A-Za-z0-9_./-]+$/.test(v) || Buffer.byteLength(v) > 100) {
    throw new Error(`'${field}' is not a unix socket path of the run: got ${JSON.stringify(v)}; use an absolute path of letters, digits, '_', '.', '-' under 100 bytes`);
  }
  return v;
}

/** The host side: a unix socket piping to 127.0.0.1:<port>. */
export class HostForwarder {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(public readonly socketPath: string, port: number) {
    this.server = net.createServer((c) => {
      const t = net.connect(port, '127.0.0.1');
      this.sockets.add(c);
      this.sockets.add(t);
      c.pipe(t);
      t.pipe(c);
      const done = () => {
        c.destroy();
        t.destroy();
        this.sockets.delete(c);
        this.sockets.delete(t);
      };
      c.on('error', done).on('close', done);
      t.on('error', done).on('close', done);
    });
  }

  /** Listens on `socketPath` (mode 0600), forwarding to 127.0.0.1:`port`. */
  static async start(socketPath: string, port: number): Promise<HostForwarder> {
    const f = new HostForwarder(socketPathValue(socketPath, 'socketPath'), portValue(port, 'port'));
    await new Promise<void>((resolve, reject) => {
      f.server.once('error', reject);
      f.server.listen(socketPath, () => resolve());
    });
    fs.chmodSync(socketPath, 0o600);
    return f;
  }

  /** Closes the socket and every connection. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }
}

/** A node-side forwarder process. */
export interface NodeForwarder {
  readonly netns: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the node side inside `netns`; resolves once it listens, rejects with its error otherwise. */
export function startNodeForwarder(netns: string, port: number, socketPath: string, timeoutMs = 10_000): Promise<NodeForwarder> {
  const args = ['netns', 'exec', netnsName(netns), process.execPath, '-e', NODE_SIDE_SOURCE, String(portValue(port, 'port')), socketPathValue(socketPath, 'socketPath')];
  const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...COMMAND_ENV } });
  const stop = (): Promise<void> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the API forwarder in ${netns} did not start within ${timeoutMs / 1000} s${err ? `: ${err.trim()}` : ''}`));
    }, timeoutMs);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve({ netns, child, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API forwarder in ${netns} exited (${code ?? child.signalCode})${err ? `: ${err.trim()}` : ''}`));
    });
  });
}
