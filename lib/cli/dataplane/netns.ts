import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Network namespaces, veth pairs and commands run inside them, through iproute2 (`ip`).
 *
 * Everything here is synchronous (`spawnSync`), so a `try/finally` around a run is enough to clean
 * up. Every namespace a run creates is named `<prefix>-<n><role>`; {@link cleanupAll} removes
 * every namespace that carries a prefix, which also removes every link inside it. Links are only
 * ever created inside namespaces of the run (`ip -n <ns> ...`), never in the caller's namespace.
 */

/** Where iproute2 keeps named network namespaces (`ip netns add` bind-mounts them here). */
export const NETNS_DIR = '/var/run/netns';

/** The longest Linux interface name (IFNAMSIZ - 1). */
export const MAX_IFNAME_LENGTH = 15;

/** What a finished command returned. */
export interface CommandResult {
  /** The exit status, or null when the process was killed or could not start. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started (ENOENT, EACCES) or timed out. */
  readonly error?: Error;
  /** The signal that ended the process, if any (e.g. SIGKILL after a timeout). */
  readonly signal?: string | null;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /**
   * Text written to the process's stdin.
   * @default - empty stdin
   */
  readonly input?: string;
  /**
   * The whole environment of the process (never merged with this process's).
   * @default COMMAND_ENV (a fixed PATH and LC_ALL=C)
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Milliseconds before the process is killed with SIGKILL.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

/** The environment commands run with: fixed, nothing read from this process's environment. */
export const COMMAND_ENV: Readonly<NodeJS.ProcessEnv> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** Runs a command synchronously and captures its output; never throws. */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): CommandResult {
  const r = spawnSync(command, [...args], {
    input: options.input ?? '',
    env: options.env ?? COMMAND_ENV,
    timeout: options.timeoutMs ?? 30000,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    error: r.error,
    signal: r.signal,
  };
}

/** A command that exited non-zero where success was required. */
export class CommandFailedError extends Error {
  constructor(public readonly command: string, public readonly args: readonly string[], public readonly result: CommandResult) {
    super(`'${[command, ...args].join(' ')}' failed: got ${JSON.stringify(describeFailure(result))}; check that you are root and iproute2 supports this`);
    this.name = 'CommandFailedError';
  }
}

/** A one-line description of why a command failed. */
export function describeFailure(r: CommandResult): string {
  if (r.error) return r.error.message;
  if (r.signal) return `killed by ${r.signal}`;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ');
  return `exit status ${r.status}${text ? `: ${text}` : ''}`;
}

/** Like {@link runCommand}, but throws {@link CommandFailedError} unless the exit status is 0. */
export function runChecked(command: string, args: readonly string[], options: RunCommandOptions = {}): CommandResult {
  const r = runCommand(command, args, options);
  if (r.status !== 0 || r.error) throw new CommandFailedError(command, args, r);
  return r;
}

/** Runs `ip <args>`; throws when it fails. */
export function ip(args: readonly string[]): CommandResult {
  return runChecked('ip', args);
}

/** Runs `ip -n <netns> <args>` (iproute2 inside a namespace); throws when it fails. */
export function ipIn(netns: string, args: readonly string[]): CommandResult {
  return runChecked('ip', ['-n', netns, ...args]);
}

/**
 * A fresh random run prefix: `nfv` and 8 random hex digits (11 characters). Random, not the pid:
 * in a container every process may be pid 1, and a killed run's leftovers must never be taken for
 * a new run's (or deleted by it).
 */
export function defaultRunPrefix(): string {
  return `nfv${randomBytes(4).toString('hex')}`;
}

/** The path a runtime passes as `CNI_NETNS` for a named namespace. */
export function netnsPath(name: string): string {
  return `${NETNS_DIR}/${name}`;
}

/** The names of every named network namespace (`ip netns list`), sorted. */
export function listNetns(): string[] {
  const r = runCommand('ip', ['netns', 'list']);
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((n): n is string => !!n)
    .sort();
}

/** Whether a named namespace exists. */
export function netnsExists(name: string): boolean {
  return listNetns().includes(name);
}

/** Checks a namespace name: iproute2 takes it as a file name under {@link NETNS_DIR}. */
function checkNetnsName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || name.length > 64) {
    throw new Error(`'netns' must be a plain name of letters, digits, '_', '.', '-' (at most 64): got ${JSON.stringify(name)}; choose another name`);
  }
}

/** Checks an interface name the way the kernel and CNI do (at most 15 characters, no '/', ':' or space). */
export function checkIfname(name: string, field = 'ifname'): void {
  if (name.length === 0 || name.length > MAX_IFNAME_LENGTH || /[/:\s]/.test(name) || name === '.' || name === '..') {
    throw new Error(`'${field}' must be an interface name of 1 to ${MAX_IFNAME_LENGTH} characters without '/', ':' or whitespace: got ${JSON.stringify(name)}; use a shorter name`);
  }
}

/** Creates a named network namespace and sets its loopback up. */
export function createNetns(name: string): void {
  checkNetnsName(name);
  ip(['netns', 'add', name]);
  try {
    ipIn(name, ['link', 'set', 'lo', 'up']);
  } catch (e) {
    deleteNetns(name);
    throw e;
  }
}

/**
 * Deletes a named network namespace (and with it every link inside; a veth's peer in another
 * namespace goes too). Returns false when it did not exist or could not be deleted.
 */
export function deleteNetns(name: string): boolean {
  checkNetnsName(name);
  const r = runCommand('ip', ['netns', 'delete', name]);
  return r.status === 0;
}

/** Options of {@link execInNetns}. */
export type ExecInNetnsOptions = RunCommandOptions;

/** Runs a command inside a namespace (`ip netns exec <netns> <command> <args>`); never throws. */
export function execInNetns(netns: string, command: string, args: readonly string[] = [], options: ExecInNetnsOptions = {}): CommandResult {
  checkNetnsName(netns);
  return runCommand('ip', ['netns', 'exec', netns, command, ...args], options);
}

/** One end of a veth pair. */
export interface VethEnd {
  /** The namespace the end lives in. */
  readonly netns: string;
  /** The interface name (at most 15 characters). */
  readonly name: string;
  /**
   * The MAC address.
   * @default - kernel-random
   */
  readonly mac?: string;
}

/** Properties of {@link createVethPair}. */
export interface VethPairProps {
  readonly end: VethEnd;
  /**
   * The other end: in another namespace of the run, or in the same one as `end`.
   * @default - `<end.name>p`-style peer left dangling in `end.netns`
   */
  readonly peer?: VethEnd;
  /**
   * The MTU of both ends.
   * @default 1500
   */
  readonly mtu?: number;
  /**
   * Whether to set both ends up.
   * @default true
   */
  readonly up?: boolean;
}

/**
 * Creates a veth pair inside namespaces of the run: the pair is created in `end.netns` and the
 * peer moved to `peer.netns`. Nothing is created in the caller's namespace.
 */
export function createVethPair(props: VethPairProps): { end: VethEnd; peer: VethEnd } {
  const end = props.end;
  const peer = props.peer ?? { netns: end.netns, name: `${end.name.slice(0, MAX_IFNAME_LENGTH - 1)}p` };
  checkIfname(end.name, 'end.name');
  checkIfname(peer.name, 'peer.name');
  const mtu = props.mtu ?? 1500;
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) {
    throw new Error(`'mtu' must be an integer from 68 to 65535: got ${JSON.stringify(mtu)}; use a valid MTU`);
  }
  // `name` and `dev` keep a link name from being read as a keyword ('a' is `address` to iproute2)
  const args = ['link', 'add', 'name', end.name, 'mtu', String(mtu)];
  if (end.mac) args.push('address', end.mac);
  args.push('type', 'veth', 'peer', 'name', peer.name, 'mtu', String(mtu));
  if (peer.mac) args.push('address', peer.mac);
  if (peer.netns !== end.netns) args.push('netns', peer.netns);
  ipIn(end.netns, args);
  if (props.up ?? true) {
    setLinkUp(end.netns, end.name);
    setLinkUp(peer.netns, peer.name);
  }
  return { end, peer };
}

/** Sets a link up inside a namespace. */
export function setLinkUp(netns: string, name: string): void {
  ipIn(netns, ['link', 'set', 'dev', name, 'up']);
}

/** An address on an interface, as `ip -j addr` reports it. */
export interface LinkAddress {
  readonly family: 'inet' | 'inet6' | string;
  /** `address/prefix`. */
  readonly cidr: string;
  readonly scope: string;
}

/** An interface inside a namespace, as `ip -j -d addr` reports it. */
export interface LinkInfo {
  readonly name: string;
  readonly index: number;
  /** The link kind (`veth`, `macvlan`, `bridge`...), when the kernel reports one. */
  readonly kind?: string;
  readonly mac?: string;
  readonly mtu: number;
  readonly flags: readonly string[];
  readonly operstate: string;
  /** Whether the link is administratively up. */
  readonly up: boolean;
  /** The bridge or bond it is enslaved to. */
  readonly master?: string;
  readonly addresses: readonly LinkAddress[];
}

interface IpJsonLink {
  ifindex: number;
  ifname: string;
  flags?: string[];
  mtu: number;
  operstate?: string;
  address?: string;
  master?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

/** Every interface of a namespace with its addresses, sorted by index. */
export function listLinks(netns: string): LinkInfo[] {
  const r = ipIn(netns, ['-j', '-d', 'addr', 'show']);
  const raw = JSON.parse(r.stdout || '[]') as IpJsonLink[];
  return raw
    .map((l) => ({
      name: l.ifname,
      index: l.ifindex,
      kind: l.linkinfo?.info_kind,
      mac: l.address,
      mtu: l.mtu,
      flags: l.flags ?? [],
      operstate: l.operstate ?? 'UNKNOWN',
      up: (l.flags ?? []).includes('UP'),
      master: l.master,
      addresses: (l.addr_info ?? []).map((a) => ({ family: a.family, cidr: `${a.local}/${a.prefixlen}`, scope: a.scope ?? '' })),
    }))
    .sort((a, b) => a.index - b.index);
}

/** The namespaces that carry a run prefix (`<prefix>-...`), sorted. */
export function leftovers(prefix: string): string[] {
  return listNetns().filter((n) => n.startsWith(`${prefix}-`));
}

/**
 * Deletes every namespace carrying the run prefix and returns the names that were deleted.
 * Use it after a crash, or on exit, to leave nothing behind.
 */
export function cleanupAll(prefix: string): string[] {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.]{2,}$/.test(prefix)) {
    throw new Error(`'prefix' must be at least 3 letters, digits, '_' or '.': got ${JSON.stringify(prefix)}; use the prefix of a run`);
  }
  return leftovers(prefix).filter((n) => deleteNetns(n));
}

/** What {@link NetnsRun.dispose} could not remove. */
export interface CleanupReport {
  /** Namespaces still present after deletion. */
  readonly namespaces: readonly string[];
  /** Temporary directories that could not be removed. */
  readonly dirs: readonly string[];
}

/** Options of a {@link NetnsRun}. */
export interface NetnsRunOptions {
  /**
   * The name prefix of every namespace of the run.
   * @default - a fresh random prefix ({@link defaultRunPrefix})
   */
  readonly prefix?: string;
}

/**
 * One run: the namespaces and temporary directories it creates, removed together by
 * {@link NetnsRun.dispose}. Use it as `const run = new NetnsRun(); try { ... } finally { run.dispose(); }`.
 */
export class NetnsRun {
  /** The run's prefix (random unless given). */
  public readonly prefix: string;
  /** The run's number under its prefix (always 1: the prefix alone makes a run distinct). */
  public readonly seq = 1;
  private readonly namespaces: string[] = [];
  private readonly dirs: string[] = [];
  private disposed = false;

  constructor(options: NetnsRunOptions = {}) {
    this.prefix = options.prefix ?? defaultRunPrefix();
  }

  /** The namespaces created so far, in creation order. */
  public get createdNamespaces(): readonly string[] {
    return [...this.namespaces];
  }

  /** A stable id of the run, usable as a CNI container ID. */
  public get id(): string {
    return `${this.prefix}-${this.seq}`;
  }

  /**
   * Creates a namespace named `<prefix>-<seq><role>`; an existing one of that name (a run given
   * the same prefix) gets a letter suffix instead of being reused.
   */
  public createNamespace(role: string): string {
    this.assertLive();
    if (!/^[a-z][a-z0-9]*$/.test(role)) {
      throw new Error(`'role' must be lowercase letters and digits: got ${JSON.stringify(role)}; use e.g. "node"`);
    }
    const base = `${this.prefix}-${this.seq}${role}`;
    const existing = new Set(listNetns());
    let name = base;
    for (let i = 0; existing.has(name); i++) name = `${base}${String.fromCharCode(97 + i)}`;
    this.namespaces.push(name);
    try {
      createNetns(name);
    } catch (e) {
      this.namespaces.pop();
      throw e;
    }
    return name;
  }

  /** Creates a temporary directory owned by the run (removed by dispose). */
  public createTempDir(label = 'state'): string {
    this.assertLive();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-${this.seq}${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Deletes every namespace (newest first) and directory of the run; safe to call twice. */
  public dispose(): CleanupReport {
    const left: string[] = [];
    const leftDirs: string[] = [];
    for (const ns of [...this.namespaces].reverse()) {
      deleteNetns(ns);
      if (netnsExists(ns)) left.push(ns);
    }
    for (const dir of this.dirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        leftDirs.push(dir);
      }
    }
    this.namespaces.length = 0;
    this.dirs.length = 0;
    this.disposed = true;
    return { namespaces: left, dirs: leftDirs };
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(`'run' is disposed: got ${JSON.stringify(this.id)}; start a new NetnsRun`);
  }
}
