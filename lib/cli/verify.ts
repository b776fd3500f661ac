import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cidr, IpAddress } from '../addressing/ip';
import { NetworkSelectionElement } from '../multus/selection-element';
import {
  EXPECTATION_ANNOTATIONS,
  ExpectationTarget,
  Reachability,
  parseExpectations,
  FUNCTION_LABEL,
} from '../topology/expectations';
import {
  CniConfigList,
  DEFAULT_CNI_PATH,
  DataplaneCapabilities,
  JsonObject,
  RuntimeConf,
  UplinkSpec,
  addNetworkList,
  checkIfname,
  cleanupAll,
  delNetworkList,
  leftovers,
  pluginExecStats,
  probeCapabilities,
  selectionAttachment,
  toConfigList,
  unsupportedReasons,
  uplinksOf,
} from './dataplane';
import { ManifestObject, describeObject, readManifests } from './manifests';
import { podTemplateOf, topologyFromManifests } from './topology-from-manifests';

/**
 * `cdk8s-nfv verify`: brings the topology of some manifests up on this machine with the real CNI
 * plugin binaries, the way Multus would, checks reachability with ping, and tears everything down.
 *
 * Layout of a run (every name carries the run prefix `nfv<pid>v<n>`, so nothing else is touched):
 * - `<prefix>-node<k>`: one namespace per emulated node; plugins run inside it, so bridges,
 *   masters and iptables rules stay there. The uplinks the configs name (`master`, `device`)
 *   are veths here.
 * - `<prefix>-ul`: the underlay: one Linux bridge per uplink name, joining the peers of that
 *   uplink on every node (and, with several nodes, one per bridge-plugin bridge name).
 * - `<prefix>-pod<i>`: one namespace per pod replica.
 * - a temporary directory for the plugins' state (host-local leases, one directory per node).
 *
 * Plugins run one at a time (like a kubelet on each node serializes its pods' sandboxes); setup,
 * pings and teardown run in parallel with a bounded pool. What this machine lacks (link types,
 * plugin binaries, hardware) is reported "unsupported here", never passed.
 */

/** The kinds of check in a report. */
export enum CheckKind {
  /** A pod's attachment ADD through the plugins. */
  ATTACH = 'attach',
  /** Two interfaces with addresses on one network ping each other. */
  REACH = 'reach',
  /** A declared "must reach" ({@link Reachability.REACH}). */
  EXPECT_REACH = 'expect-reach',
  /** A declared "must not reach" ({@link Reachability.ISOLATED}). */
  EXPECT_ISOLATED = 'expect-isolated',
  /** A pod's attachment DEL through the plugins. */
  DETACH = 'detach',
  /** Nothing of the run is left behind. */
  TEARDOWN = 'teardown',
}

/** How a check ended. */
export enum CheckResult {
  PASSED = 'passed',
  FAILED = 'failed',
  /** This machine cannot run it (kernel link type, plugin binary, hardware): never a pass. */
  UNSUPPORTED = 'unsupported',
}

/** One row of the report. */
export interface VerifyCheck {
  readonly check: CheckKind;
  /** The pod (and interface) the check starts from. */
  readonly from: string;
  /** The peer, or '-' for checks of one attachment. */
  readonly to: string;
  /** The network (NAD name), or '-'. */
  readonly network: string;
  readonly result: CheckResult;
  /** Why it failed or is unsupported; extra facts when it passed. */
  readonly reason?: string;
}

/** Where the time of a run went, in milliseconds. */
export interface VerifyTimings {
  readonly totalMs: number;
  /** Reading the manifests and planning. */
  readonly planMs: number;
  /** Creating namespaces, uplinks, underlay. */
  readonly setupMs: number;
  /** The attach phase (plugins ADD), wall clock. */
  readonly attachMs: number;
  /** The pings. */
  readonly checkMs: number;
  /** The detach phase (plugins DEL), wall clock. */
  readonly detachMs: number;
  /** Removing namespaces and state. */
  readonly teardownMs: number;
  /** Time inside plugin processes (ADD and DEL), summed. */
  readonly pluginMs: number;
  /** Plugin processes run. */
  readonly pluginCalls: number;
  /** Ping processes run. */
  readonly pings: number;
}

/** What a run found. */
export interface VerifyReport {
  readonly checks: VerifyCheck[];
  readonly nodes: number;
  readonly pods: number;
  readonly attachments: number;
  readonly passed: number;
  readonly failed: number;
  readonly unsupported: number;
  readonly timings: VerifyTimings;
  /** Namespaces or directories of the run still present after teardown (empty when clean). */
  readonly leftovers: string[];
}

/** Options of {@link verifyObjects}. */
export interface VerifyOptions {
  /**
   * Directories searched for plugin binaries, in order.
   * @default DEFAULT_CNI_PATH (/opt/cni/bin, then /usr/lib/cni)
   */
  readonly cniPath?: readonly string[];
  /**
   * Emulated nodes; pods are spread over them round-robin (a DaemonSet runs one pod on each).
   * @default 1
   */
  readonly nodes?: number;
  /**
   * Milliseconds the whole run may take; when exceeded the run stops, tears down and throws
   * {@link VerifyInterrupted}.
   * @default 600000
   */
  readonly timeoutMs?: number;
  /**
   * Progress lines (no newline).
   * @default - none
   */
  readonly progress?: (line: string) => void;
  /**
   * Bring up two probe pods on every NAD no workload selects, so each declared network is checked.
   * @default true
   */
  readonly probeUnselected?: boolean;
  /**
   * Install SIGINT/SIGTERM handlers for the run (removed after): a signal stops the run, which
   * tears down and throws {@link VerifyInterrupted}.
   * @default true
   */
  readonly handleSignals?: boolean;
  /**
   * Processes run at once during setup, pings and teardown.
   * @default 8
   */
  readonly concurrency?: number;
  /**
   * What the machine can do.
   * @default - probed once per process
   */
  readonly capabilities?: DataplaneCapabilities;
  /**
   * The name prefix of the run's namespaces (letters and digits).
   * @default - `nfv<pid in hex>v<n>`
   */
  readonly prefix?: string;
}

/** The run could not start: not root, no plugin binaries, bad input. */
export class VerifyCannotRun extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyCannotRun';
  }
}

/** The run was stopped (signal or timeout) after everything was torn down. */
export class VerifyInterrupted extends Error {
  constructor(public readonly reason: 'SIGINT' | 'SIGTERM' | 'timeout', message: string, public readonly leftovers: string[]) {
    super(message);
    this.name = 'VerifyInterrupted';
  }
}

// ---------------------------------------------------------------------------------------------
// model

interface Network {
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly list?: CniConfigList;
  /** Why it cannot be run (no spec.config, not JSON...). */
  readonly invalid?: string;
  readonly notEmulated?: string;
}

interface Attach {
  readonly pod: Pod;
  readonly element: NetworkSelectionElement;
  readonly ifname: string;
  readonly networkName: string;
  readonly network?: Network;
  list?: CniConfigList;
  rt?: RuntimeConf;
  state: 'pending' | 'ok' | 'failed' | 'unsupported';
  reason?: string;
  result?: JsonObject;
  ips: string[];
}

interface Pod {
  readonly index: number;
  readonly display: string;
  readonly namespace: string;
  readonly workload: string;
  readonly fn?: string;
  readonly node: number;
  readonly netns: string;
  readonly attachments: Attach[];
  readonly expectations: Array<{ kind: Reachability; target: ExpectationTarget }>;
}

interface PingJob {
  readonly netns: string;
  /** The namespace of the pod answering (its neighbour table fills up too). */
  readonly peerNetns?: string;
  readonly ifname?: string;
  readonly address: string;
  ok?: boolean;
  output?: string;
}

let runSeq = 0;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function addressOf(cidr: string): string {
  return cidr.split('/')[0];
}

function familyOf(cidr: string): number {
  return addressOf(cidr).includes(':') ? 6 : 4;
}

function endpoint(a: Attach, cidr?: string): string {
  return `${a.pod.display}:${a.ifname}${cidr ? ` ${cidr}` : ''}`;
}

/** Runs a process asynchronously; never rejects. */
interface AsyncResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

class Processes {
  private readonly live = new Set<ChildProcess>();

  public run(command: string, args: readonly string[], input = ''): Promise<AsyncResult> {
    return new Promise((resolve) => {
      const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.live.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.on('error', (e) => { stderr += e.message; });
      child.on('close', (status) => {
        this.live.delete(child);
        resolve({ status, stdout, stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }

  public killAll(): void {
    for (const c of this.live) c.kill('SIGKILL');
  }
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * The per-source ping script: arguments are triples `id ifname address` (ifname `-` for none);
 * pings run in the background in chunks, each printing `R <id> <status> <last line>`.
 */
const PING_SCRIPT = [
  'chunk=$1; shift; n=0',
  'while [ $# -ge 3 ]; do',
  '  ( if [ "$2" = - ]; then out=$(ping -c 1 -W 1 "$3" 2>&1); else out=$(ping -c 1 -W 1 -I "$2" "$3" 2>&1); fi; rc=$?',
  '    if [ $rc -eq 0 ]; then echo "R $1 0"; else echo "R $1 $rc" $out; fi ) &',
  '  shift 3; n=$((n+1))',
  '  if [ $n -ge "$chunk" ]; then wait; n=0; fi',
  'done',
  'wait',
].join('\n');

/** Whether a directory list holds at least one executable file. */
function anyBinary(dirs: readonly string[]): boolean {
  for (const d of dirs) {
    let entries: string[];
    try {
      entries = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const e of entries) {
      try {
        const f = path.join(d, e);
        if (fs.statSync(f).isFile()) {
          fs.accessSync(f, fs.constants.X_OK);
          return true;
        }
      } catch {
        // not executable
      }
    }
  }
  return false;
}

function withPodCniArgs(list: CniConfigList, cniArgs: JsonObject | undefined): CniConfigList {
  if (cniArgs === undefined) return list;
  return { ...list, plugins: list.plugins.map((p) => ({ ...p, args: { cni: cniArgs } })) };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The bridge names bridge-plugin configs of a list create. */
function bridgesOf(list: CniConfigList): string[] {
  return list.plugins.filter((p) => p.type === 'bridge').map((p) => (typeof p.bridge === 'string' && p.bridge !== '' ? p.bridge : 'cni0'));
}

function ipsOf(result: JsonObject | undefined): string[] {
  if (!result || !Array.isArray(result.ips)) return [];
  return result.ips.filter(isObject).map((x) => String(x.address)).filter((a) => Cidr.tryParse(a) !== undefined);
}

// ---------------------------------------------------------------------------------------------
// planning

interface Plan {
  readonly networks: Map<string, Network>;
  readonly pods: Pod[];
}

function planTopology(objects: readonly ManifestObject[], nodes: number, prefix: string, probeUnselected: boolean): Plan {
  const topo = topologyFromManifests(objects);
  const networks = new Map<string, Network>();
  for (const n of topo.networks) {
    const key = `${n.namespace}/${n.name}`;
    if (networks.has(key)) continue;
    if (n.configText === undefined) {
      networks.set(key, { key, name: n.name, namespace: n.namespace, notEmulated: 'the NAD has no spec.config (its config is a file on the node), which is not emulated' });
      continue;
    }
    try {
      const list = toConfigList(JSON.parse(n.configText));
      networks.set(key, { key, name: n.name, namespace: n.namespace, list });
    } catch (e) {
      networks.set(key, { key, name: n.name, namespace: n.namespace, invalid: `spec.config is not a CNI config: ${(e as Error).message}` });
    }
  }
  const errors: string[] = [];
  const pods: Pod[] = [];
  const selected = new Set<string>();
  const addPod = (display: string, namespace: string, workload: string, fn: string | undefined, node: number,
    elements: Array<{ element: NetworkSelectionElement; ifname: string }>, expectations: Pod['expectations']) => {
    const index = pods.length;
    const pod: Pod = { index, display, namespace, workload, fn, node, netns: `${prefix}-pod${index}`, attachments: [], expectations };
    for (const { element, ifname } of elements) {
      const nadNs = element.namespace ?? namespace;
      const network = networks.get(`${nadNs}/${element.name}`);
      if (network) selected.add(network.key);
      pod.attachments.push({ pod, element, ifname, networkName: element.name, network, state: 'pending', ips: [] });
    }
    pods.push(pod);
  };
  let counter = 0;
  for (const w of topo.pods) {
    const o = w.source.object;
    const expectations: Pod['expectations'] = [];
    for (const kind of [Reachability.REACH, Reachability.ISOLATED]) {
      const key = EXPECTATION_ANNOTATIONS[kind];
      const text = o.metadata?.annotations?.[key] ?? podTemplateOf(o)?.metadata?.annotations?.[key];
      if (text === undefined) continue;
      const parsed = parseExpectations(String(text), kind, `metadata.annotations["${key}"]`);
      for (const e of parsed.errors) errors.push(`${w.source.file}: ${describeObject(o)}: ${e}`);
      for (const target of parsed.targets) expectations.push({ kind, target });
    }
    const elements: Array<{ element: NetworkSelectionElement; ifname: string }> = [];
    if (w.defaultNetwork) elements.push({ element: w.defaultNetwork, ifname: 'eth0' });
    w.attachments.forEach((element, i) => elements.push({ element, ifname: element.interface ?? `net${i + 1}` }));
    const replicas = w.replicas ?? nodes;
    const fn = w.podLabels[FUNCTION_LABEL];
    for (let r = 0; r < replicas; r++) {
      const display = `${w.namespace}/${w.name}${replicas > 1 ? `[${r}]` : ''}`;
      const node = w.replicas === undefined ? r : counter++ % nodes;
      addPod(display, w.namespace, w.name, fn, node, elements, expectations);
    }
  }
  if (errors.length > 0) throw new VerifyCannotRun(`the reachability expectations cannot be read:\n  ${errors.join('\n  ')}`);
  if (probeUnselected) {
    for (const n of networks.values()) {
      if (selected.has(n.key)) continue;
      for (let r = 0; r < 2; r++) {
        addPod(`(probe)/${n.namespace}/${n.name}[${r}]`, n.namespace, `probe-${n.name}`, undefined, counter++ % nodes,
          [{ element: { name: n.name, namespace: n.namespace }, ifname: 'net1' }], []);
      }
    }
  }
  return { networks, pods };
}

// ---------------------------------------------------------------------------------------------
// the run

/** Brings the topology of the objects up, checks it, and tears it down. */
export async function verifyObjects(objects: readonly ManifestObject[], options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const nodes = options.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 64) {
    throw new VerifyCannotRun(`'--nodes' must be an integer from 1 to 64: got ${JSON.stringify(nodes)}; emulate fewer nodes`);
  }
  const cniPath = options.cniPath ?? DEFAULT_CNI_PATH;
  const concurrency = options.concurrency ?? 8;
  const deadline = started + (options.timeoutMs ?? 600000);
  const prefix = options.prefix ?? `nfv${process.pid.toString(16)}v${++runSeq}`;
  if (!/^[a-z0-9]{3,20}$/.test(prefix)) {
    throw new VerifyCannotRun(`'prefix' must be 3 to 20 lowercase letters or digits: got ${JSON.stringify(prefix)}; pick another prefix`);
  }

  const plan = planTopology(objects, nodes, prefix, options.probeUnselected ?? true);
  const caps = options.capabilities ?? probeCapabilities();
  if (!caps.environment.ok) {
    throw new VerifyCannotRun(`cannot bring the topology up here: ${caps.environment.reason ?? 'the environment cannot run plugins'}`);
  }
  if (!anyBinary(cniPath)) {
    throw new VerifyCannotRun(`no CNI plugin binaries in ${cniPath.join(':')}; install the CNI plugins (e.g. apt-get install containernetworking-plugins) or pass --cni-path`);
  }
  const { pods } = plan;
  const attaches = pods.flatMap((p) => p.attachments);
  const underlay = `${prefix}-ul`;
  const nodeNs = (k: number) => `${prefix}-node${k}`;

  // what each attachment runs with, and why it cannot run here
  const uplinks = new Map<string, UplinkSpec & { mtu: number; index: number }>();
  const bridges = new Map<string, number>();
  for (const a of attaches) {
    try {
      checkIfname(a.ifname, 'interface');
    } catch (e) {
      a.state = 'failed';
      a.reason = (e as Error).message;
      continue;
    }
    if (!a.network) {
      a.state = 'failed';
      a.reason = `no NetworkAttachmentDefinition ${a.element.namespace ?? a.pod.namespace}/${a.networkName} in the inputs`;
      continue;
    }
    if (a.network.invalid || a.network.notEmulated || !a.network.list) {
      a.state = a.network.invalid ? 'failed' : 'unsupported';
      a.reason = a.network.invalid ?? a.network.notEmulated;
      continue;
    }
    const sel = selectionAttachment(a.element);
    a.list = withPodCniArgs(a.network.list, sel.podCniArgs);
    const reasons = unsupportedReasons(a.list, { searchPath: cniPath, capabilities: caps, runtime: sel.runtime });
    if (reasons.length > 0) {
      a.state = 'unsupported';
      a.reason = reasons.map((r) => r.message).join('; ');
      continue;
    }
    let ups: UplinkSpec[];
    try {
      ups = uplinksOf(a.list);
      ups.forEach((u) => checkIfname(u.name, 'master'));
    } catch (e) {
      a.state = 'failed';
      a.reason = (e as Error).message;
      continue;
    }
    const mtu = Math.max(1500, ...a.list.plugins.map((p) => (typeof p.mtu === 'number' ? p.mtu : 0)));
    for (const u of ups) {
      const have = uplinks.get(u.name);
      uplinks.set(u.name, { ...u, ...have, mtu: Math.max(mtu, have?.mtu ?? 0), index: have?.index ?? uplinks.size });
    }
    if (nodes > 1) for (const b of bridgesOf(a.list)) if (!bridges.has(b)) bridges.set(b, bridges.size);
    a.rt = {
      containerId: `${prefix}-pod${a.pod.index}`,
      netns: a.pod.netns,
      hostNetns: nodeNs(a.pod.node),
      ifname: a.ifname,
      stateDir: '',
      searchPath: cniPath,
      podNamespace: a.pod.namespace,
      podName: a.pod.workload,
      capabilityArgs: sel.runtime,
    };
  }
  const planMs = performance.now() - started;
  progress(`verify: ${plural(pods.length, 'pod')} with ${plural(attaches.length, 'attachment')} on ${plural(nodes, 'node')}` +
    ` (${attaches.filter((a) => a.state === 'unsupported').length} unsupported here), ${plural(uplinks.size, 'uplink')}`);

  // signals and the deadline
  let stop: VerifyInterrupted['reason'] | undefined;
  const procs = new Processes();
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => () => {
    stop = sig;
    procs.killAll();
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGINT', handlers.SIGINT);
    process.on('SIGTERM', handlers.SIGTERM);
  }
  const checkStop = () => {
    if (!stop && performance.now() > deadline) stop = 'timeout';
    if (stop) throw new VerifyInterrupted(stop, '', []);
  };

  const checks: VerifyCheck[] = [];
  const stats0 = pluginExecStats();
  let stateDir: string | undefined;
  let setupMs = 0;
  let attachMs = 0;
  let checkMs = 0;
  let detachMs = 0;
  let pings = 0;
  let interrupted: VerifyInterrupted | undefined;
  let error: unknown;
  const t = { phase: performance.now() };
  const lap = () => {
    const now = performance.now();
    const d = now - t.phase;
    t.phase = now;
    return d;
  };
  try {
    // --- setup
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-state-`));
    for (let k = 0; k < nodes; k++) fs.mkdirSync(path.join(stateDir, `node${k}`));
    for (const a of attaches) if (a.rt) a.rt = { ...a.rt, stateDir: path.join(stateDir, `node${a.pod.node}`) };
    const needUnderlay = uplinks.size > 0 || bridges.size > 0;
    const namespaces = [...(needUnderlay ? [underlay] : []), ...Array.from({ length: nodes }, (_, k) => nodeNs(k)), ...pods.map((p) => p.netns)];
    progress(`setup: ${plural(namespaces.length, 'network namespace')}`);
    await ipBatch(procs, undefined, namespaces.map((n) => `netns add ${n}`));
    checkStop();
    if (needUnderlay) {
      await ipBatch(procs, underlay, [
        'link set lo up',
        ...[...uplinks.values()].flatMap((u) => [`link add u${u.index} type bridge`, `link set u${u.index} up`]),
        ...[...bridges.values()].flatMap((i) => [`link add b${i} type bridge`, `link set b${i} up`]),
      ]);
    }
    await pool(Array.from({ length: nodes }, (_, k) => k), concurrency, async (k) => {
      const lines = ['link set lo up'];
      for (const u of uplinks.values()) {
        lines.push(`link add ${u.name} mtu ${u.mtu}${u.mac ? ` address ${u.mac}` : ''} type veth peer name n${k}u${u.index} mtu ${u.mtu} netns ${underlay}`);
        lines.push(`link set ${u.name} up`);
        if (u.defaultRoute) {
          lines.push(`addr add 192.0.2.${10 + k}/24 dev ${u.name}`);
          lines.push(`route add default via 192.0.2.1 dev ${u.name}`);
        }
      }
      for (const [b, i] of bridges) {
        lines.push(`link add ${b} type bridge`, `link set ${b} up`);
        lines.push(`link add vfyb${i} type veth peer name n${k}b${i} netns ${underlay}`);
        lines.push(`link set vfyb${i} master ${b}`, `link set vfyb${i} up`);
      }
      await ipBatch(procs, nodeNs(k), lines);
    });
    if (needUnderlay) {
      const lines: string[] = [];
      for (let k = 0; k < nodes; k++) {
        for (const u of uplinks.values()) lines.push(`link set n${k}u${u.index} master u${u.index}`, `link set n${k}u${u.index} up`);
        for (const i of bridges.values()) lines.push(`link set n${k}b${i} master b${i}`, `link set n${k}b${i} up`);
      }
      await ipBatch(procs, underlay, lines);
    }
    await pool(pods, concurrency, (p) => ipBatch(procs, p.netns, ['link set lo up']));
    setupMs = lap();
    checkStop();

    // --- attach, one plugin at a time
    const runnable = attaches.filter((a) => a.rt);
    let n = 0;
    for (const a of runnable) {
      n++;
      const add = addNetworkList(a.list!, a.rt!);
      if (add.ok) {
        a.state = 'ok';
        a.result = add.result;
        a.ips = ipsOf(add.result);
      } else if (add.failed?.kind === 'missing-plugin') {
        a.state = 'unsupported';
        a.reason = `plugin binary ${JSON.stringify(add.failed.plugin)} is not in ${cniPath.join(':')}`;
      } else {
        const f = add.failed!;
        a.state = 'failed';
        a.result = add.result;
        a.reason = f.kind === 'error'
          ? `ADD ${f.plugin} (plugins[${add.failedIndex}]): ${f.error.msg}${f.error.details ? ` (${f.error.details})` : ''}`
          : `ADD ${f.plugin}`;
      }
      progress(`attach ${n}/${runnable.length} ${endpoint(a)} ${a.networkName}: ${a.state === 'ok' ? `ok ${a.ips.join(' ') || '(no address)'}` : `${a.state} ${a.reason}`}`);
      await tick();
      checkStop();
    }
    for (const a of attaches) {
      checks.push({
        check: CheckKind.ATTACH, from: endpoint(a), to: '-', network: a.networkName,
        result: a.state === 'ok' ? CheckResult.PASSED : a.state === 'unsupported' ? CheckResult.UNSUPPORTED : CheckResult.FAILED,
        reason: a.state === 'ok' ? (a.ips.join(' ') || 'no address') : a.reason,
      });
    }
    attachMs = lap();

    // --- reachability
    const jobs: PingJob[] = [];
    const pairRows: Array<{ row: Omit<VerifyCheck, 'result' | 'reason'>; jobs: PingJob[]; evaluate: (jobs: PingJob[]) => { result: CheckResult; reason?: string } }> = [];
    const byNetwork = new Map<string, Array<{ a: Attach; cidr: string }>>();
    for (const a of attaches) {
      if (a.state !== 'ok') continue;
      for (const cidr of a.ips) {
        const list = byNetwork.get(a.networkName) ?? [];
        list.push({ a, cidr });
        byNetwork.set(a.networkName, list);
      }
    }
    const reachEval = (js: PingJob[]) => {
      const bad = js.filter((j) => !j.ok);
      return bad.length === 0 ? { result: CheckResult.PASSED } : { result: CheckResult.FAILED, reason: bad.map((j) => `no answer from ${j.address}${j.output ? ` (${j.output})` : ''}`).join('; ') };
    };
    for (const [network, eps] of byNetwork) {
      for (let i = 0; i < eps.length; i++) {
        for (let j = i + 1; j < eps.length; j++) {
          const x = eps[i];
          const y = eps[j];
          if (x.a.pod === y.a.pod || familyOf(x.cidr) !== familyOf(y.cidr)) continue;
          const row = { check: CheckKind.REACH, from: endpoint(x.a, x.cidr), to: endpoint(y.a, y.cidr), network };
          if (addressOf(x.cidr) === addressOf(y.cidr)) {
            const perNode = x.a.pod.node !== y.a.pod.node && [x.a, y.a].every((a) => a.list?.plugins.some((p) => isObject(p.ipam) && p.ipam.type === 'host-local'));
            checks.push({
              ...row, result: CheckResult.FAILED,
              reason: `both interfaces have the address ${addressOf(x.cidr)}; ${perNode
                ? `host-local allocates per node, so pods on nodes ${x.a.pod.node} and ${y.a.pod.node} get the same addresses: give each node its own range or use a cluster-wide IPAM (whereabouts)`
                : 'give each pod its own address'}`,
            });
            continue;
          }
          const job: PingJob = { netns: x.a.pod.netns, peerNetns: y.a.pod.netns, ifname: x.a.ifname, address: addressOf(y.cidr) };
          jobs.push(job);
          pairRows.push({
            row, jobs: [job],
            evaluate: (js) => {
              const r = reachEval(js);
              if (r.result === CheckResult.PASSED) return r;
              const cx = Cidr.parse(x.cidr);
              const cy = Cidr.parse(y.cidr);
              const hint = !cx.contains(IpAddress.parse(addressOf(y.cidr))) || !cy.contains(IpAddress.parse(addressOf(x.cidr)))
                ? `; ${x.cidr} and ${y.cidr} are on different subnets of network ${network}` : '';
              return { result: r.result, reason: `${r.reason}${hint}` };
            },
          });
        }
      }
    }
    // declared expectations
    for (const p of pods) {
      for (const { kind, target } of p.expectations) {
        const check = kind === Reachability.REACH ? CheckKind.EXPECT_REACH : CheckKind.EXPECT_ISOLATED;
        const network = target.network ?? '*';
        const targets = pods.filter((q) => q !== p && q.fn === target.function && q.namespace === target.namespace);
        if (targets.length === 0) {
          checks.push({ check, from: p.display, to: `${target.namespace}/${target.function}`, network, result: CheckResult.FAILED, reason: `no pod of function ${target.function} (label ${FUNCTION_LABEL}) in namespace ${target.namespace} among the inputs` });
          continue;
        }
        const srcOn = p.attachments.filter((a) => target.network === undefined || a.networkName === target.network);
        for (const q of targets) {
          const row = { check, from: p.display, to: q.display, network };
          const dstOn = q.attachments.filter((a) => target.network === undefined || a.networkName === target.network);
          const unsupported = [...srcOn, ...dstOn].filter((a) => a.state === 'unsupported');
          if (kind === Reachability.REACH) {
            const src = srcOn.find((a) => a.state === 'ok' && a.ips.length > 0);
            const dsts = dstOn.filter((a) => a.state === 'ok').flatMap((a) => a.ips);
            if (unsupported.length > 0 && (!src || dsts.length === 0)) {
              checks.push({ ...row, result: CheckResult.UNSUPPORTED, reason: unsupported[0].reason });
              continue;
            }
            if (!src) {
              checks.push({ ...row, result: CheckResult.FAILED, reason: `${p.display} has no address on network ${network}` });
              continue;
            }
            const fams = new Set(src.ips.map(familyOf));
            const targetsOk = dsts.filter((c) => fams.has(familyOf(c)));
            if (targetsOk.length === 0) {
              checks.push({ ...row, result: CheckResult.FAILED, reason: `${q.display} has no address of the same family on network ${network}` });
              continue;
            }
            const js = targetsOk.map((c) => ({ netns: p.netns, peerNetns: q.netns, ifname: src.ifname, address: addressOf(c) }));
            jobs.push(...js);
            pairRows.push({ row: { ...row, from: endpoint(src) }, jobs: js, evaluate: reachEval });
          } else {
            const dsts = dstOn.filter((a) => a.state === 'ok').flatMap((a) => a.ips);
            if (dsts.length === 0) {
              if (unsupported.length > 0) checks.push({ ...row, result: CheckResult.UNSUPPORTED, reason: unsupported[0].reason });
              else checks.push({ ...row, result: CheckResult.PASSED, reason: `${q.display} has no address${target.network ? ` on network ${network}` : ''}` });
              continue;
            }
            const js = dsts.map((c) => ({ netns: p.netns, peerNetns: q.netns, address: addressOf(c) }));
            jobs.push(...js);
            pairRows.push({
              row, jobs: js,
              evaluate: (all) => {
                const answered = all.filter((j) => j.ok);
                if (answered.length > 0) return { result: CheckResult.FAILED, reason: `${q.display} answers at ${answered.map((j) => j.address).join(', ')} but must not be reachable` };
                return { result: CheckResult.PASSED, reason: unsupported.length > 0 ? `only the supported attachments were tried; ${unsupported[0].reason}` : undefined };
              },
            });
          }
        }
      }
    }
    // the kernel reports carrier on new links asynchronously (linkwatch, up to a second): wait
    // for every link set up to be running before the first ping
    if (jobs.length > 0) {
      const waited = await waitForCarrier(procs, [...(needUnderlay ? [underlay] : []), ...Array.from({ length: nodes }, (_, k) => nodeNs(k)), ...pods.map((p) => p.netns)], concurrency);
      if (waited.length > 0) progress(`checks: links still without carrier after 5 s: ${waited.join(', ')}`);
    }
    progress(`checks: ${plural(jobs.length, 'ping')} from ${plural(new Set(jobs.map((j) => j.netns)).size, 'pod')}`);
    pings = jobs.length;
    await runPings(procs, jobs, Math.max(1, Math.min(concurrency, Number(process.env.CDK8S_NFV_PING_SOURCES ?? 4))));
    checkStop();
    for (const r of pairRows) checks.push({ ...r.row, ...r.evaluate(r.jobs) });
    checkMs = lap();

    // --- detach, reverse order
    const added = attaches.filter((a) => a.rt && (a.state === 'ok' || a.state === 'failed'));
    for (const a of [...added].reverse()) {
      const del = delNetworkList(a.list!, a.rt!, a.state === 'ok' ? a.result : undefined);
      if (!del.ok && a.state === 'ok') {
        const f = del.failed!;
        checks.push({
          check: CheckKind.DETACH, from: endpoint(a), to: '-', network: a.networkName, result: CheckResult.FAILED,
          reason: f.kind === 'error' ? `DEL ${f.plugin}: ${f.error.msg}` : `DEL ${f.plugin}: plugin missing`,
        });
      }
      await tick();
      checkStop();
    }
    progress(`detach: ${plural(added.length, 'attachment')}`);
    detachMs = lap();
  } catch (e) {
    if (e instanceof VerifyInterrupted) interrupted = e;
    else error = e;
  } finally {
    if (handleSignals) {
      process.removeListener('SIGINT', handlers.SIGINT);
      process.removeListener('SIGTERM', handlers.SIGTERM);
    }
    lap();
  }
  // --- teardown, whatever happened above
  const left = await teardown(procs, prefix, stateDir);
  const teardownMs = lap();
  progress(`teardown: ${left.length === 0 ? 'nothing left behind' : `left behind: ${left.join(', ')}`}`);
  if (error !== undefined) throw error;
  if (interrupted) {
    const why = interrupted.reason === 'timeout' ? `timed out after ${Math.round((options.timeoutMs ?? 600000) / 1000)} s` : `interrupted by ${interrupted.reason}`;
    throw new VerifyInterrupted(interrupted.reason, `${why}; everything the run created was removed${left.length ? ` except ${left.join(', ')}` : ''}`, left);
  }
  if (left.length > 0) {
    checks.push({ check: CheckKind.TEARDOWN, from: '-', to: '-', network: '-', result: CheckResult.FAILED, reason: `left behind: ${left.join(', ')}` });
  }
  const stats = pluginExecStats();
  const count = (r: CheckResult) => checks.filter((c) => c.result === r).length;
  return {
    checks,
    nodes,
    pods: pods.length,
    attachments: attaches.length,
    passed: count(CheckResult.PASSED),
    failed: count(CheckResult.FAILED),
    unsupported: count(CheckResult.UNSUPPORTED),
    leftovers: left,
    timings: {
      totalMs: performance.now() - started,
      planMs,
      setupMs,
      attachMs,
      checkMs,
      detachMs,
      teardownMs,
      pluginMs: stats.totalMs - stats0.totalMs,
      pluginCalls: stats.calls - stats0.calls,
      pings,
    },
  };
}

async function ipBatch(procs: Processes, netns: string | undefined, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const args = netns ? ['-n', netns, '-batch', '-'] : ['-batch', '-'];
  const r = await procs.run('ip', args, `${lines.join('\n')}\n`);
  if (r.status !== 0) {
    const m = /Command failed -:(\d+)/.exec(r.stderr);
    const line = m ? lines[Number(m[1]) - 1] : '';
    throw new Error(`'ip${netns ? ` -n ${netns}` : ''}${line ? ` ${line}` : ' -batch'}' failed: got ${JSON.stringify(r.stderr.trim().split('\n')[0] ?? `status ${r.status}`)}; check that iproute2 and the kernel support it`);
  }
}

/** Polls until every link that is set up in the namespaces has carrier (at most 5 s); returns those still without. */
async function waitForCarrier(procs: Processes, namespaces: readonly string[], size: number): Promise<string[]> {
  let pending = [...namespaces];
  let down: string[] = [];
  const until = performance.now() + 5000;
  while (pending.length > 0) {
    const still: string[] = [];
    down = [];
    await pool(pending, size, async (ns) => {
      const r = await procs.run('ip', ['-n', ns, '-j', 'link', 'show']);
      let links: Array<{ ifname: string; flags?: string[]; operstate?: string }> = [];
      try {
        links = JSON.parse(r.stdout || '[]');
      } catch {
        return;
      }
      const waiting = links.filter((l) => (l.flags ?? []).includes('UP') && (l.operstate === 'DOWN' || l.operstate === 'LOWERLAYERDOWN'));
      if (waiting.length > 0) {
        still.push(ns);
        down.push(...waiting.map((l) => `${ns}:${l.ifname}`));
      }
    });
    pending = still;
    if (pending.length === 0 || performance.now() > until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pending.length === 0 ? [] : down;
}

/** Pings in flight per source pod (more overflow the neighbour queues of big macvlan segments). */
const PING_CHUNK = Number(process.env.CDK8S_NFV_PING_CHUNK ?? 32);

/**
 * Neighbour entries (ARP/NDP) a wave of pings may create. The kernel's neighbour table is shared by
 * every namespace (gc_thresh3, 1024 by default) and entries younger than 5 s cannot be evicted, so
 * a big segment pinged all at once fails with ENOBUFS; pings run in waves of sources, and the
 * namespaces of a wave have their neighbour tables flushed before the next.
 */
const NEIGHBOUR_BUDGET = Number(process.env.CDK8S_NFV_NEIGH_BUDGET ?? 700);

async function runPings(procs: Processes, jobs: PingJob[], size: number): Promise<void> {
  const bySource = new Map<string, PingJob[]>();
  for (const j of jobs) {
    const list = bySource.get(j.netns) ?? [];
    list.push(j);
    bySource.set(j.netns, list);
  }
  const waves: Array<Array<[string, PingJob[]]>> = [];
  let wave: Array<[string, PingJob[]]> = [];
  let entries = 0;
  for (const e of bySource) {
    if (wave.length > 0 && entries + 2 * e[1].length > NEIGHBOUR_BUDGET) {
      waves.push(wave);
      wave = [];
      entries = 0;
    }
    wave.push(e);
    entries += 2 * e[1].length;
  }
  if (wave.length > 0) waves.push(wave);
  for (let w = 0; w < waves.length; w++) {
    await pool(waves[w], size, ([netns, list]) => pingFrom(procs, netns, list));
    if (waves.length > 1) {
      const touched = new Set<string>();
      for (const [netns, list] of waves[w]) {
        touched.add(netns);
        for (const j of list) if (j.peerNetns) touched.add(j.peerNetns);
      }
      await pool([...touched], size * 2, async (ns) => { await procs.run('ip', ['-n', ns, 'neigh', 'flush', 'all']); });
    }
  }
}

async function pingFrom(procs: Processes, netns: string, list: PingJob[]): Promise<void> {
  const args = ['netns', 'exec', netns, 'sh', '-c', PING_SCRIPT, 'sh', String(PING_CHUNK)];
  list.forEach((j, i) => args.push(String(i), j.ifname ?? '-', j.address));
  const r = await procs.run('ip', args);
  for (const line of r.stdout.split('\n')) {
    const m = /^R (\d+) (\d+) ?(.*)$/.exec(line);
    if (!m) continue;
    const j = list[Number(m[1])];
    if (!j) continue;
    j.ok = m[2] === '0';
    const text = m[3].trim();
    j.output = (/(?:connect|ping|sendmsg): [^:]*?(?=\s*PING|\s*$|\s*---)/.exec(text)?.[0]
      ?? /\d+ packets transmitted, \d+ received[^,]*(?:, [^,]*? errors)?, \d+% packet loss/.exec(text)?.[0]
      ?? text.slice(-120)).trim();
  }
  for (const j of list) {
    if (j.ok === undefined) {
      j.ok = false;
      j.output = `ping did not run: ${r.stderr.trim().split('\n')[0] ?? `status ${r.status}`}`;
    }
  }
}

/** Removes every namespace carrying the prefix and the state directory; returns what is left. */
async function teardown(procs: Processes, prefix: string, stateDir: string | undefined): Promise<string[]> {
  const names = leftovers(prefix);
  if (names.length > 0) {
    await procs.run('ip', ['-force', '-batch', '-'], `${names.map((n) => `netns delete ${n}`).join('\n')}\n`);
  }
  let left = leftovers(prefix);
  if (left.length > 0) {
    cleanupAll(prefix);
    left = leftovers(prefix);
  }
  if (stateDir) {
    try {
      fs.rmSync(stateDir, { recursive: true, force: true });
    } catch {
      // reported below
    }
    if (fs.existsSync(stateDir)) left.push(stateDir);
  }
  return left;
}

/** Reads the inputs and verifies them; read problems make it {@link VerifyCannotRun}. */
export async function verifyManifests(inputs: readonly string[], options: VerifyOptions = {}, stdin?: () => string): Promise<VerifyReport> {
  const { objects, problems } = readManifests(inputs, stdin);
  if (problems.length > 0) throw new VerifyCannotRun(problems.map((p) => `${p.file}: ${p.message}`).join('; '));
  if (objects.length === 0) throw new VerifyCannotRun(`no Kubernetes objects in ${inputs.join(', ')}; pass the synthesized YAML (e.g. dist/)`);
  return verifyObjects(objects, options);
}

/** The result column: `passed`, `FAILED (<why>)`, `unsupported here (<why>)`. */
export function formatResult(c: VerifyCheck): string {
  switch (c.result) {
    case CheckResult.PASSED: return 'passed';
    case CheckResult.FAILED: return `FAILED (${c.reason ?? 'no reason given'})`;
    default: return `unsupported here (${c.reason ?? 'no reason given'})`;
  }
}

/** The report as a text table (check, from, to, network, result) and a summary line. */
export function formatVerifyTable(report: VerifyReport): string {
  const header = ['CHECK', 'FROM', 'TO', 'NETWORK', 'RESULT'];
  const rows = report.checks.map((c) => [c.check, c.from, c.to, c.network, formatResult(c)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  const out = [line(header), ...rows.map(line)];
  out.push(`${plural(report.checks.length, 'check')}: ${report.passed} passed, ${report.failed} failed, ${report.unsupported} unsupported here` +
    ` (${plural(report.pods, 'pod')}, ${plural(report.attachments, 'attachment')}, ${plural(report.nodes, 'node')})`);
  return `${out.join('\n')}\n`;
}
