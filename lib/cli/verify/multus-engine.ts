import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { linkName, netnsName } from '../dataplane/argv-values';
import { PLUGIN_PATH, cniArgsString, findPluginBinary } from '../dataplane/cni-exec';
import { COMMAND_ENV, netnsPath } from '../dataplane/netns';
import { ControlPlane, startControlPlane } from '../../toolchain/control-plane';
import { ApiEndpoint, KubeClient, KubeObject } from '../../toolchain/kube-client';
import { EmulatedEngine } from './emulated-engine';
import { AttachOutcome, EngineContext, EngineStats, PingJob, VerifyEngine } from './engine';
import { HostForwarder, NodeForwarder, startNodeForwarder } from './multus-engine/forwarder';
import { BIND_WRAPPER_SOURCE, runPath } from './multus-engine/node-state';
import { addressesOfLink, compareStatus, NETWORK_STATUS_ANNOTATION, parseNetworkStatus } from './multus-engine/network-status';
import { NAD_CRD, NODE_API_PORT, kubeconfigText, multusConfig, nadObject, namespaceObject, podObject, podObjectName } from './multus-engine/objects';
import { Plan, PlannedAttachment, PlannedPod } from './plan';
import { pool } from './processes';
import { VerbNote, VerifyCannotRun, VerifyCheck } from './types';

/**
 * The Multus engine: the same namespaces, uplinks and underlay as the emulated engine (it is
 * reused for them, for the pings and for the teardown), but every pod is attached by the real
 * Multus binary, invoked as a container runtime would: CNI_COMMAND ADD/DEL, CNI_NETNS the pod's
 * namespace, CNI_IFNAME=eth0, CNI_ARGS with K8S_POD_NAMESPACE/NAME/UID, and a Multus config with
 * the kubeconfig, a cluster-network delegate for eth0 and the plugin directories. Multus reads the
 * Pod (created in the private API server with the synthesized annotations) and the NADs, calls
 * the plugins, and writes network-status, which is read back and compared with what the pod's
 * namespace holds.
 *
 * Multus stops at the first failing delegate and rolls the pod back; to give every attachment
 * its own row, a pod whose ADD failed is tried again without the attachment Multus named (its
 * failure is that row).
 *
 * cni-dra-driver claims are not Multus's (Multus 4.3.0 reads NADs and the annotation): the base
 * engine runs them in the same pod namespaces, as the driver runs them.
 */

/** Why the Multus engine sends no STATUS or GC to a NAD's plugins. */
export const MULTUS_NO_DELEGATE_VERBS = 'Multus 4.3.0 sends STATUS and GC to the cluster network only, never to the delegates of a pod\'s NADs';

/** Options of the Multus engine. */
export interface MultusEngineOptions {
  /** The Multus (thin plugin) binary. */
  readonly multus: string;
  /**
   * A running API server to use (the engine deletes the Pods and NADs it made at teardown).
   * @default - a private control plane started for the run from `etcd` and `kubeApiserver`
   */
  readonly apiServer?: ApiEndpoint;
  /** etcd, to start a private control plane. @default - none (then `apiServer` is required) */
  readonly etcd?: string;
  /** kube-apiserver, to start a private control plane. @default - none */
  readonly kubeApiserver?: string;
  /**
   * Milliseconds one Multus call may take.
   * @default 60000
   */
  readonly callTimeoutMs?: number;
  /** Progress lines. @default - none */
  readonly log?: (line: string) => void;
  /** Stops a control plane being started (the run's cancel covers the rest). @default - none */
  readonly signal?: AbortSignal;
}

/** A factory for {@link VerifyOptions.engine}. */
export function multusEngine(options: MultusEngineOptions): (context: EngineContext) => VerifyEngine {
  return (context) => new MultusEngine(context, options);
}

/** What the Multus engine knows of one pod. */
interface PodState {
  readonly name: string;
  uid?: string;
  /** The attachments Multus runs for it (setup failures left out). */
  readonly attachments: PlannedAttachment[];
  readonly outcomes: Map<PlannedAttachment, AttachOutcome>;
  attempted: boolean;
  /** Whether a Multus ADD of the pod succeeded (DEL must follow). */
  added: boolean;
  /** The DEL answer, once run. */
  deleted?: string | null;
}

interface MultusCall {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The engine. */
export class MultusEngine implements VerifyEngine {
  private readonly base: EmulatedEngine;
  private readonly pods = new Map<PlannedPod, PodState>();
  private readonly live = new Set<ChildProcess>();
  private readonly nodeForwarders: NodeForwarder[] = [];
  private hostForwarder?: HostForwarder;
  private controlPlane?: ControlPlane;
  private client?: KubeClient;
  private readonly made: KubeObject[] = [];
  private readonly dir: string;
  private kubeconfig = '';
  private multusMs = 0;
  private nodes = 1;
  private multusCalls = 0;
  private cancelled = false;

  constructor(private readonly context: EngineContext, private readonly options: MultusEngineOptions) {
    this.base = new EmulatedEngine(context);
    this.dir = path.join(context.stateDir, 'multus');
  }

  public unsupported(a: PlannedAttachment): string | undefined {
    return this.base.unsupported(a);
  }

  /** Where the NADs' plugin state goes (per node, with several nodes, through a bind mount). */
  private get nadDir(): string {
    return path.join(this.context.stateDir, 'nads');
  }

  private nodeNs(k: number): string {
    return netnsName(`${this.context.prefix}-node${k}`);
  }

  private podNs(p: PlannedPod): string {
    return netnsName(`${this.context.prefix}-pod${p.index}`);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** Sets up; what stops the engine from starting (binaries, the API server, a forwarder) is {@link VerifyCannotRun}. */
  public async setup(plan: Plan, runnable: readonly PlannedAttachment[]): Promise<Map<PlannedAttachment, string>> {
    try {
      return await this.setupRun(plan, runnable);
    } catch (e) {
      if (e instanceof VerifyCannotRun) throw e;
      throw new VerifyCannotRun(`the Multus engine cannot start: ${(e as Error).message}`);
    }
  }

  private async setupRun(plan: Plan, runnable: readonly PlannedAttachment[]): Promise<Map<PlannedAttachment, string>> {
    if (!path.isAbsolute(this.options.multus) || !fs.existsSync(this.options.multus)) {
      throw new Error(`'multus' is not an existing binary: got ${JSON.stringify(this.options.multus)}; build it with \`npm run toolchain\``);
    }
    for (const p of ['ptp', 'host-local']) {
      if (!findPluginBinary(p, this.context.cniPath)) {
        throw new Error(`'cniPath' has no ${p} plugin (the cluster network of eth0 needs it): got ${JSON.stringify(this.context.cniPath.join(':'))}; install the CNI plugins`);
      }
    }
    const failures = await this.base.setup(plan, runnable);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });

    // the API server: given, or a private one for the run
    let endpoint = this.options.apiServer;
    if (!endpoint) {
      if (!this.options.etcd || !this.options.kubeApiserver) {
        throw new Error("'apiServer' is missing and so are 'etcd' and 'kubeApiserver': got none; pass a running API server or the binaries to start one");
      }
      this.controlPlane = await startControlPlane({ etcd: this.options.etcd, kubeApiserver: this.options.kubeApiserver, tmpRoot: this.context.stateDir, signal: this.options.signal, log: (l) => this.log(l) });
      endpoint = this.controlPlane;
    }
    this.client = new KubeClient(endpoint);
    const port = Number(new URL(endpoint.url).port);

    // the NAD CRD, namespaces, NADs and Pods
    await this.client.apply(NAD_CRD);
    await this.client.waitEstablished(String(NAD_CRD.metadata.name));
    // cni-dra-driver claims are not Multus's: the base engine runs them as the driver does
    const running = runnable.filter((a) => !failures.has(a) && !a.claim);
    const networks = [...new Set(running.map((a) => a.network!))];
    const namespaces = new Set([...networks.map((n) => n.namespace), ...running.map((a) => a.pod.namespace)]);
    for (const ns of namespaces) await this.client.apply(namespaceObject(ns));
    const nadDir = this.nadDir;
    fs.mkdirSync(nadDir, { recursive: true, mode: 0o700 });
    this.nodes = plan.nodes;
    if (plan.nodes > 1) for (let k = 0; k < plan.nodes; k++) fs.mkdirSync(path.join(this.context.stateDir, `nads-node${k}`), { recursive: true, mode: 0o700 });
    for (const n of networks) {
      const o = nadObject(n, nadDir);
      await this.client.apply(o);
      this.made.push(o);
    }
    for (const a of running) {
      let s = this.pods.get(a.pod);
      if (!s) {
        s = { name: podObjectName(a.pod, this.context.prefix), attachments: [], outcomes: new Map(), attempted: false, added: false };
        this.pods.set(a.pod, s);
      }
      s.attachments.push(a);
    }
    await pool([...this.pods.entries()], this.context.concurrency ?? 8, async ([p, s]) => {
      const o = podObject(p, s.name, s.attachments);
      const stored = await this.client!.apply(o);
      this.made.push(o);
      s.uid = String(stored.metadata.uid);
    });

    // the API server inside every node namespace, through a unix socket of the run
    this.hostForwarder = await HostForwarder.start(path.join(this.dir, 'api.sock'), port);
    for (let k = 0; k < plan.nodes; k++) {
      this.nodeForwarders.push(await startNodeForwarder(this.nodeNs(k), NODE_API_PORT, this.hostForwarder.socketPath));
    }
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, kubeconfigText(NODE_API_PORT, endpoint.token, endpoint.ca), { mode: 0o600 });
    for (let k = 0; k < plan.nodes; k++) fs.mkdirSync(path.join(this.dir, `node${k}`, 'net.d'), { recursive: true, mode: 0o700 });
    return failures;
  }

  /** Runs Multus once inside the pod's node namespace. */
  private callMultus(command: 'ADD' | 'DEL', p: PlannedPod, s: PodState): Promise<MultusCall> {
    const netns = this.podNs(p);
    const env: NodeJS.ProcessEnv = {
      PATH: PLUGIN_PATH,
      CNI_COMMAND: command,
      CNI_CONTAINERID: netns,
      CNI_NETNS: netnsPath(netns),
      CNI_IFNAME: 'eth0',
      CNI_PATH: this.context.cniPath.join(':'),
      CNI_ARGS: cniArgsString({ containerId: netns, podNamespace: p.namespace, podName: s.name, args: s.uid ? [['K8S_POD_UID', s.uid]] : [] }),
    };
    const config = multusConfig(p.node, { kubeconfig: this.kubeconfig, cniPath: this.context.cniPath, dir: path.join(this.dir, `node${p.node}`) });
    const started = performance.now();
    return new Promise((resolve) => {
      if (this.cancelled) return resolve({ status: null, stdout: '', stderr: 'the run was stopped', ms: 0 });
      // with several nodes, each node's plugin state is its own (see node-state.ts)
      const argv = this.nodes > 1
        ? ['netns', 'exec', this.nodeNs(p.node), process.execPath, '-e', BIND_WRAPPER_SOURCE,
          runPath(path.join(this.context.stateDir, `nads-node${p.node}`), 'nodeDir'), runPath(this.nadDir, 'sharedDir'), runPath(this.options.multus, 'multus')]
        : ['netns', 'exec', this.nodeNs(p.node), this.options.multus];
      const child = spawn('ip', argv, { stdio: ['pipe', 'pipe', 'pipe'], env });
      this.live.add(child);
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.callTimeoutMs ?? 60_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.on('error', (e) => { stderr += e.message; });
      child.on('close', (status) => {
        clearTimeout(timer);
        this.live.delete(child);
        const ms = performance.now() - started;
        this.multusMs += ms;
        this.multusCalls++;
        resolve({ status, stdout, stderr, ms });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(JSON.stringify(config));
    });
  }

  /** The error Multus printed (CNI error JSON on stdout), as one line. */
  private static errorOf(r: MultusCall): string {
    try {
      const e = JSON.parse(r.stdout) as { msg?: unknown; details?: unknown };
      if (typeof e.msg === 'string') return `${e.msg}${typeof e.details === 'string' && e.details ? ` (${e.details})` : ''}`;
    } catch {
      // not JSON
    }
    const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ');
    return r.status === null ? `Multus was killed${text ? `: ${text}` : ''}` : `Multus exited with status ${r.status}${text ? `: ${text}` : ''}`;
  }

  /**
   * The attachment a failed ADD names: Multus says `error adding container to network "<config
   * name>"`; the first attachment of that config name, else the first not yet decided.
   */
  private static blame(message: string, remaining: readonly PlannedAttachment[]): PlannedAttachment {
    const m = /error adding container to network "([^"]*)"/.exec(message);
    if (m) {
      const hit = remaining.find((a) => (a.list?.name ?? a.network?.name) === m[1]) ?? remaining.find((a) => a.network?.name === m[1]);
      if (hit) return hit;
    }
    return remaining[0];
  }

  /**
   * A failed ADD's row, worded as the emulated engine words it (`ADD <plugin> (plugins[i]): <msg>`)
   * when Multus names the plugin, so both engines give the same rows; Multus's own text otherwise.
   */
  private static reasonOf(message: string, a: PlannedAttachment): string {
    const m = /plugin type="([^"]+)" failed \(add\): ([\s\S]*)$/.exec(message);
    const i = m ? (a.list?.plugins ?? []).findIndex((p) => p.type === m[1]) : -1;
    return m && i >= 0 ? `ADD ${m[1]} (plugins[${i}]): ${m[2]} (through Multus)` : `Multus ADD: ${message}`;
  }

  private async addPod(p: PlannedPod, s: PodState): Promise<void> {
    s.attempted = true;
    let remaining = [...s.attachments];
    while (remaining.length > 0) {
      const r = await this.callMultus('ADD', p, s);
      if (r.status !== 0) {
        const message = MultusEngine.errorOf(r);
        if (r.status === null) {
          for (const a of remaining) s.outcomes.set(a, { result: 'failed', reason: `Multus ADD: ${message}`, ips: [], added: false });
          return;
        }
        const culprit = MultusEngine.blame(message, remaining);
        s.outcomes.set(culprit, { result: 'failed', reason: MultusEngine.reasonOf(message, culprit), ips: [], added: false });
        remaining = remaining.filter((a) => a !== culprit);
        if (remaining.length === 0) return;
        // try again without it (Multus rolled the pod back)
        const o = podObject(p, s.name, remaining);
        await this.client!.apply(o);
        continue;
      }
      s.added = true;
      await this.readStatus(p, s, remaining);
      return;
    }
  }

  /** Reads network-status back and compares it with what the pod's namespace holds. */
  private async readStatus(p: PlannedPod, s: PodState, attached: readonly PlannedAttachment[]): Promise<void> {
    const read = await this.client!.request('GET', `/api/v1/namespaces/${p.namespace}/pods/${s.name}`);
    const parsed = parseNetworkStatus(read.body?.metadata?.annotations?.[NETWORK_STATUS_ANNOTATION]);
    const links = await run('ip', ['-n', this.podNs(p), '-j', 'addr', 'show']);
    for (const a of attached) {
      const held = addressesOfLink(links.stdout, linkName(a.ifname, 'interface'));
      if (parsed.error) {
        s.outcomes.set(a, { result: 'failed', reason: `Multus ADD succeeded but ${parsed.error}`, ips: held.cidrs, added: true });
        continue;
      }
      const entry = parsed.entries.find((e) => e.interface === a.ifname);
      const requestedIps = Array.isArray(a.element?.ips) ? a.element.ips.map(String) : undefined;
      const requestedMac = typeof a.element?.mac === 'string' ? a.element.mac : undefined;
      const diffs = compareStatus({
        network: `${a.network!.namespace}/${a.network!.name}`, ifname: a.ifname, addresses: held.cidrs, linkMac: held.mac,
        ...(requestedIps ? { requestedIps } : {}), ...(requestedMac ? { requestedMac } : {}),
      }, entry);
      // the addresses in network-status order, with their prefix from the namespace
      const ordered = (entry?.ips ?? []).map((ip) => held.cidrs.find((c) => c.split('/')[0] === ip)).filter((c): c is string => c !== undefined);
      const ips = [...ordered, ...held.cidrs.filter((c) => !ordered.includes(c))];
      s.outcomes.set(a, diffs.length === 0
        ? { result: 'ok', ips, added: true }
        : { result: 'failed', reason: `network-status disagrees: ${diffs.join('; ')}`, ips, added: true });
    }
  }

  public async attach(a: PlannedAttachment): Promise<AttachOutcome> {
    if (a.claim) return this.base.attach(a);
    const s = this.pods.get(a.pod);
    if (!s || !s.attachments.includes(a)) return { result: 'failed', reason: 'not attached: the pod was not set up', ips: [], added: false };
    if (!s.attempted) await this.addPod(a.pod, s);
    return s.outcomes.get(a) ?? { result: 'failed', reason: 'Multus gave no answer for it', ips: [], added: false };
  }

  public async detach(a: PlannedAttachment, outcome: AttachOutcome): Promise<string | undefined> {
    if (a.claim) return this.base.detach(a, outcome);
    const s = this.pods.get(a.pod);
    if (!s || !s.added) return undefined;
    if (s.deleted === undefined) {
      const r = await this.callMultus('DEL', a.pod, s);
      s.deleted = r.status === 0 ? null : `Multus DEL: ${MultusEngine.errorOf(r)}`;
    }
    return s.deleted ?? undefined;
  }

  /**
   * What Multus 4.3.0 does about CNI 1.1 for the pods it attaches: its CmdAdd and CmdDel run the
   * delegates' ADD and DEL only; its own STATUS and GC (when a runtime sends them to Multus) reach
   * the cluster network's delegate alone (`n.Delegates[0]`); DelegateStatus serves the thick
   * plugin's server only. So no STATUS or GC reaches a NAD's plugins (the evidence:
   * test/real/verify-multus-status-gc.test.ts), and the notes say so per network.
   */
  public async finish(): Promise<{ rows: VerifyCheck[]; notes: VerbNote[] }> {
    // the claims the base engine ran (as cni-dra-driver runs them): its STATUS, GC and leaks
    const claims = await this.base.finish();
    const notes: VerbNote[] = [...claims.notes];
    const seen = new Set<string>();
    for (const s of this.pods.values()) {
      for (const a of s.attachments) {
        const label = a.network!.object;
        if (!s.attempted || seen.has(label)) continue;
        seen.add(label);
        for (const verb of ['STATUS', 'GC'] as const) notes.push({ verb, network: label, sent: false, detail: MULTUS_NO_DELEGATE_VERBS });
      }
    }
    return { rows: claims.rows, notes };
  }

  public settle(): Promise<string[]> {
    return this.base.settle();
  }

  public ping(jobs: readonly PingJob[]): Promise<void> {
    return this.base.ping(jobs);
  }

  public async teardown(): Promise<string[]> {
    this.cancelled = false;
    for (const f of this.nodeForwarders.splice(0)) await f.stop();
    await this.hostForwarder?.stop();
    this.hostForwarder = undefined;
    if (this.controlPlane) {
      await this.controlPlane.stop();
      this.controlPlane = undefined;
    } else if (this.client) {
      // a shared API server: remove what this run made (Pods first)
      for (const o of [...this.made].reverse()) {
        try {
          const p = await this.client.pathOf(o);
          await this.client.request('DELETE', `${p}?gracePeriodSeconds=0`);
        } catch {
          // gone already
        }
      }
    }
    this.made.length = 0;
    return this.base.teardown();
  }

  public cancel(): void {
    this.cancelled = true;
    for (const c of this.live) c.kill('SIGKILL');
    this.base.cancel();
  }

  public stats(): EngineStats {
    const b = this.base.stats();
    return { pluginMs: b.pluginMs + this.multusMs, pluginCalls: b.pluginCalls + this.multusCalls, pings: b.pings };
  }
}

/** A short command of the engine's own (fixed words, checked names). */
function run(command: string, args: readonly string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...COMMAND_ENV } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.on('error', () => resolve({ status: null, stdout }));
    child.on('close', (status) => resolve({ status, stdout }));
  });
}
