import * as fs from 'fs';
import * as path from 'path';
import { Cidr } from '../../addressing/ip';
import { batchLine, ipAddress, isIpAddress, linkName, macAddress, mtuValue, netnsName } from '../dataplane/argv-values';
import { unsupportedReasons } from '../dataplane/capabilities';
import { JsonObject, PluginExecStats, RuntimeConf, addNetworkList, delNetworkList } from '../dataplane/cni-exec';
import { NETNS_DIR, deleteNetns, leftovers } from '../dataplane/netns';
import { CniLifecycle } from './cni-lifecycle';
import { applyGatewayRequest } from './default-route';
import { AttachOutcome, EngineContext, EngineStats, PingJob, VerifyEngine } from './engine';
import { ecmpRefusals, gatewayRequestOf, multusCniArgs } from './multus';
import { Plan, PlannedAttachment, PlannedPod } from './plan';
import { Processes, pool } from './processes';
import { VerbNote, VerifyCheck } from './types';

/**
 * The emulated engine: Multus's work done here, with the real plugin binaries, in namespaces of
 * the run (every name carries the run's random prefix):
 * - `<prefix>-node<k>`: one namespace per emulated node; plugins run inside it, so bridges,
 *   masters and iptables rules stay there. The uplinks the configs name (`master`, `device`,
 *   `hwaddr`) are veths here.
 * - `<prefix>-ul`: the underlay: one Linux bridge per uplink, joining that uplink's peers on every
 *   node (and, with several nodes, one per bridge-plugin bridge name).
 * - `<prefix>-pod<i>`: one namespace per pod that has something to attach.
 * - plugin state: `<stateDir>/node<k>`, given by the run.
 *
 * Every process gets its values as argv elements: one `ip` process per command, never an
 * `ip -batch` script or a shell, whether the command holds only the run's own names (namespaces,
 * the underlay's `u0`, `n0u0`...) or values from the inputs (a node's uplink and bridge names, a
 * MAC, after the argv grammar accepted them); default routes likewise (default-route.ts). Every
 * token also passes {@link batchLine}'s plain-token check (no whitespace, quotes, `#`), which
 * gives the command's text in messages. A failing command fails the attachments that needed it,
 * not the run; test/cli/verify-batch-tokens checks every token of every call.
 */

/** Options of {@link EmulatedEngine}: the run's context. */
export type EmulatedEngineOptions = EngineContext;

interface Uplink {
  readonly name: string;
  readonly index: number;
  mtu: number;
  mac?: string;
  defaultRoute: boolean;
  readonly users: Array<{ a: PlannedAttachment; field: string }>;
}

interface Bridge {
  readonly name: string;
  readonly index: number;
  readonly users: Array<{ a: PlannedAttachment; field: string }>;
}

/** A command line of `ip` and who needs it (an uplink or bridge key), for mapping failures. */
interface OwnedLine {
  /** The tokens after `ip -n <ns>`, checked by {@link batchLine} (also as its text in messages). */
  readonly tokens: ReadonlyArray<string | number>;
  readonly owner?: string;
}

/** A line of the run's own tokens. */
function own(owner: string | undefined, ...tokens: Array<string | number>): OwnedLine {
  batchLine(...tokens);
  return owner === undefined ? { tokens } : { tokens, owner };
}

const textOf = (l: OwnedLine): string => batchLine(...l.tokens);

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The emulated engine. */
export class EmulatedEngine implements VerifyEngine {
  private readonly procs = new Processes();
  private readonly created: string[] = [];
  private readonly podNetns = new Map<PlannedPod, string>();
  /** Attachments Multus would refuse before running any plugin (default-route ECMP), with why. */
  private readonly refused = new Map<PlannedAttachment, string>();
  private readonly plugin: PluginExecStats = { calls: 0, totalMs: 0 };
  private pingCount = 0;
  private readonly concurrency: number;
  /** CNI 1.1: STATUS before ADD, GC and leaks after DEL. */
  private readonly lifecycle: CniLifecycle;

  constructor(private readonly options: EmulatedEngineOptions) {
    this.concurrency = options.concurrency ?? 8;
    this.lifecycle = new CniLifecycle(options.cniPath);
  }

  private get underlay(): string {
    return netnsName(`${this.options.prefix}-ul`);
  }

  private nodeNs(k: number): string {
    return netnsName(`${this.options.prefix}-node${k}`);
  }

  public unsupported(a: PlannedAttachment): string | undefined {
    const reasons = unsupportedReasons(a.list!, { searchPath: this.options.cniPath, capabilities: this.options.capabilities, runtime: a.runtime });
    return reasons.length > 0 ? reasons.map((r) => r.message).join('; ') : undefined;
  }

  public async setup(plan: Plan, runnable: readonly PlannedAttachment[]): Promise<Map<PlannedAttachment, string>> {
    const nodes = plan.nodes;
    const uplinks = new Map<string, Uplink>();
    const bridges = new Map<string, Bridge>();
    for (const a of runnable) {
      const n = a.network!;
      for (const u of n.uplinks) {
        let have = uplinks.get(u.name);
        if (!have) {
          have = { name: u.name, index: uplinks.size, mtu: n.mtu, mac: u.mac, defaultRoute: !!u.defaultRoute, users: [] };
          uplinks.set(u.name, have);
        }
        have.mtu = Math.max(have.mtu, n.mtu);
        have.mac = have.mac ?? u.mac;
        have.defaultRoute = have.defaultRoute || !!u.defaultRoute;
        have.users.push({ a, field: u.field });
      }
      if (nodes > 1) {
        for (const b of n.bridges) {
          let have = bridges.get(b.name);
          if (!have) {
            have = { name: b.name, index: bridges.size, users: [] };
            bridges.set(b.name, have);
          }
          have.users.push({ a, field: b.field });
        }
      }
    }
    const pods = [...new Set(runnable.map((a) => a.pod))];
    for (const p of pods) this.podNetns.set(p, netnsName(`${this.options.prefix}-pod${p.index}`));
    const needUnderlay = uplinks.size > 0 || bridges.size > 0;
    const namespaces = [...(needUnderlay ? [this.underlay] : []), ...Array.from({ length: nodes }, (_, k) => this.nodeNs(k)), ...pods.map((p) => this.podNetns.get(p)!)];
    // the namespaces are the run's own names: a failure here is the machine's, and stops the run
    this.created.push(...namespaces);
    for (const n of namespaces) {
      const r = await this.procs.run('ip', ['netns', 'add', netnsName(n)]);
      if (r.status !== 0) {
        throw new Error(`'ip netns add' failed: got ${JSON.stringify(r.stderr.trim().split('\n')[0] || `status ${r.status}`)}; check that you are root and iproute2 supports named namespaces`);
      }
    }
    const failedOwners = new Map<string, string>();
    const failed = (netns: string, line: OwnedLine, msg: string, where: string) => {
      const owner = line.owner;
      if (owner && !failedOwners.has(owner)) failedOwners.set(owner, `${where}: '${textOf(line)}' failed: ${msg}`);
      if (!owner) throw new Error(`'ip -n ${netns} ${textOf(line)}' failed: got ${JSON.stringify(msg)}; check that iproute2 and the kernel support it`);
    };
    /** One `ip -n <netns>` argv per line; a line whose owner failed already is skipped. */
    const runArgv = async (netns: string, lines: OwnedLine[], where: string) => {
      for (const l of lines) {
        if (l.owner && failedOwners.has(l.owner)) continue;
        const r = await this.procs.run('ip', ['-n', netnsName(netns), ...l.tokens.map(String)]);
        if (r.status !== 0) failed(netns, l, r.stderr.replace(/\s+/g, ' ').trim() || `status ${r.status}`, where);
      }
    };
    if (needUnderlay) {
      const lines: OwnedLine[] = [own(undefined, 'link', 'set', 'dev', 'lo', 'up')];
      for (const u of uplinks.values()) lines.push(own(undefined, 'link', 'add', 'name', `u${u.index}`, 'type', 'bridge'), own(undefined, 'link', 'set', 'dev', `u${u.index}`, 'up'));
      for (const b of bridges.values()) lines.push(own(undefined, 'link', 'add', 'name', `b${b.index}`, 'type', 'bridge'), own(undefined, 'link', 'set', 'dev', `b${b.index}`, 'up'));
      await runArgv(this.underlay, lines, 'underlay');
    }
    await pool(Array.from({ length: nodes }, (_, k) => k), this.concurrency, async (k) => {
      // the node's links carry the names the configs give (and a MAC): values from the inputs, so argv
      const lines: OwnedLine[] = [own(undefined, 'link', 'set', 'dev', 'lo', 'up')];
      for (const u of uplinks.values()) {
        const name = linkName(u.name, 'uplink');
        const owner = `u:${u.name}`;
        lines.push(own(owner, 'link', 'add', 'name', name, 'mtu', mtuValue(u.mtu, 'mtu'), ...(u.mac ? ['address', macAddress(u.mac, 'mac')] : []), 'type', 'veth', 'peer', 'name', `n${k}u${u.index}`, 'mtu', u.mtu, 'netns', this.underlay));
        lines.push(own(owner, 'link', 'set', 'dev', name, 'up'));
        if (u.defaultRoute) {
          lines.push(own(owner, 'addr', 'add', `192.0.2.${10 + k}/24`, 'dev', name));
          lines.push(own(owner, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', name));
        }
      }
      for (const b of bridges.values()) {
        const name = linkName(b.name, 'bridge');
        const owner = `b:${b.name}`;
        lines.push(own(owner, 'link', 'add', 'name', name, 'type', 'bridge'), own(owner, 'link', 'set', 'dev', name, 'up'));
        lines.push(own(owner, 'link', 'add', 'name', `vfyb${b.index}`, 'type', 'veth', 'peer', 'name', `n${k}b${b.index}`, 'netns', this.underlay));
        lines.push(own(owner, 'link', 'set', 'dev', `vfyb${b.index}`, 'master', name), own(owner, 'link', 'set', 'dev', `vfyb${b.index}`, 'up'));
      }
      await runArgv(this.nodeNs(k), lines, `node ${k}`);
    });
    if (needUnderlay) {
      const lines: OwnedLine[] = [];
      for (let k = 0; k < nodes; k++) {
        for (const u of uplinks.values()) {
          if (failedOwners.has(`u:${u.name}`)) continue;
          lines.push(own(`u:${u.name}`, 'link', 'set', 'dev', `n${k}u${u.index}`, 'master', `u${u.index}`), own(`u:${u.name}`, 'link', 'set', 'dev', `n${k}u${u.index}`, 'up'));
        }
        for (const b of bridges.values()) {
          if (failedOwners.has(`b:${b.name}`)) continue;
          lines.push(own(`b:${b.name}`, 'link', 'set', 'dev', `n${k}b${b.index}`, 'master', `b${b.index}`), own(`b:${b.name}`, 'link', 'set', 'dev', `n${k}b${b.index}`, 'up'));
        }
      }
      await runArgv(this.underlay, lines, 'underlay');
    }
    await pool(pods, this.concurrency, async (p) => {
      await this.procs.run('ip', ['-n', this.podNetns.get(p)!, 'link', 'set', 'dev', 'lo', 'up']);
    });
    const failures = new Map<PlannedAttachment, string>();
    const blame = (users: Uplink['users'], kind: string, name: string, why: string) => {
      for (const { a, field } of users) {
        if (!failures.has(a)) failures.set(a, `${a.network!.object}: the node ${kind} ${JSON.stringify(name)} ('${field}') cannot be set up here: ${why}`);
      }
    };
    for (const u of uplinks.values()) if (failedOwners.has(`u:${u.name}`)) blame(u.users, 'interface', u.name, failedOwners.get(`u:${u.name}`)!);
    for (const b of bridges.values()) if (failedOwners.has(`b:${b.name}`)) blame(b.users, 'bridge', b.name, failedOwners.get(`b:${b.name}`)!);
    // what reaches Multus per pod: the runnable attachments that set up (as the Multus engine sends them)
    for (const p of pods) {
      const sent = runnable.filter((a) => a.pod === p && !failures.has(a));
      for (const [a, why] of ecmpRefusals(sent, (x) => x.element)) this.refused.set(a, why);
    }
    return failures;
  }

  private runtimeOf(a: PlannedAttachment): RuntimeConf {
    const netns = this.podNetns.get(a.pod)!;
    return {
      containerId: netns,
      netns,
      hostNetns: this.nodeNs(a.pod.node),
      ifname: a.ifname,
      stateDir: path.join(this.options.stateDir, `node${a.pod.node}`),
      searchPath: this.options.cniPath,
      podNamespace: a.pod.namespace,
      podName: a.pod.name,
      args: multusCniArgs(a.element),
      capabilityArgs: a.runtime,
      stats: this.plugin,
    };
  }

  public async attach(a: PlannedAttachment): Promise<AttachOutcome> {
    const refusal = this.refused.get(a);
    if (refusal !== undefined) return { result: 'failed', reason: refusal, ips: [], added: false };
    const rt = this.runtimeOf(a);
    fs.mkdirSync(rt.stateDir, { recursive: true, mode: 0o700 });
    let outcome: AttachOutcome;
    try {
      const notReady = this.lifecycle.beforeAdd(a, rt);
      if (notReady) {
        await tick();
        return { result: 'failed', reason: notReady, ips: [], added: false };
      }
      const add = addNetworkList(a.list!, rt);
      const gateways = gatewayRequestOf(a.element);
      const why = add.ok && gateways && (isObject(add.result) && (Array.isArray(add.result.interfaces) || Array.isArray(add.result.ips)))
        ? await applyGatewayRequest(this.procs, rt.netns, a.ifname, gateways) : undefined;
      if (add.ok && why) {
        outcome = { result: 'failed', reason: why, ips: [], finalResult: add.result, added: true };
      } else if (add.ok) {
        outcome = { result: 'ok', ips: ipsOf(add.result), finalResult: add.result, added: true };
      } else if (add.failed?.kind === 'missing-plugin') {
        outcome = { result: 'unsupported', reason: `plugin binary ${JSON.stringify(add.failed.plugin)} is not in ${this.options.cniPath.join(':')}`, ips: [], added: true };
      } else {
        const f = add.failed!;
        outcome = {
          result: 'failed', ips: [], finalResult: add.result, added: true,
          reason: f.kind === 'error' ? `ADD ${f.plugin} (plugins[${add.failedIndex}]): ${f.error.msg}${f.error.details ? ` (${f.error.details})` : ''}` : `ADD ${f.plugin}`,
        };
      }
    } catch (e) {
      outcome = { result: 'failed', reason: `${a.network?.object ?? a.networkName}: ${(e as Error).message}`, ips: [], added: false };
    }
    await tick();
    return outcome;
  }

  public async detach(a: PlannedAttachment, outcome: AttachOutcome): Promise<string | undefined> {
    let reason: string | undefined;
    try {
      const del = delNetworkList(a.list!, this.runtimeOf(a), outcome.result === 'ok' ? outcome.finalResult : undefined);
      if (!del.ok) {
        const f = del.failed!;
        reason = f.kind === 'error' ? `DEL ${f.plugin}: ${f.error.msg}` : `DEL ${f.plugin}: plugin missing`;
      }
    } catch (e) {
      reason = `DEL: ${(e as Error).message}`;
    }
    if (reason !== undefined) this.lifecycle.delFailed(a);
    await tick();
    return reason;
  }

  /** CNI 1.1 GC after the run's DELs, and the leaks found (see {@link CniLifecycle.finish}). */
  public async finish(): Promise<{ rows: VerifyCheck[]; notes: VerbNote[] }> {
    const result = this.lifecycle.finish(
      (a, node) => ({ ...this.runtimeOf(a), hostNetns: this.nodeNs(node), stateDir: path.join(this.options.stateDir, `node${node}`) }),
      (a) => this.podNetns.get(a.pod)!,
    );
    await tick();
    return result;
  }

  public async settle(): Promise<string[]> {
    let pending = [...this.created];
    let down: string[] = [];
    const until = performance.now() + 5000;
    while (pending.length > 0) {
      const still: string[] = [];
      down = [];
      await pool(pending, this.concurrency, async (ns) => {
        const r = await this.procs.run('ip', ['-n', ns, '-j', 'link', 'show']);
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

  /**
   * Pings in waves of source pods: the kernel's neighbour table is shared by every namespace
   * (gc_thresh3, 1024 entries by default) and young entries cannot be evicted, so a wave creates
   * at most the neighbour budget, and the namespaces of a wave are flushed before the next.
   */
  public async ping(jobs: readonly PingJob[]): Promise<void> {
    const budget = this.options.neighbourBudget ?? 700;
    const bySource = new Map<PlannedPod, PingJob[]>();
    for (const j of jobs) {
      const list = bySource.get(j.from) ?? [];
      list.push(j);
      bySource.set(j.from, list);
    }
    const waves: PingJob[][][] = [];
    let wave: PingJob[][] = [];
    let entries = 0;
    for (const list of bySource.values()) {
      if (wave.length > 0 && entries + 2 * list.length > budget) {
        waves.push(wave);
        wave = [];
        entries = 0;
      }
      wave.push(list);
      entries += 2 * list.length;
    }
    if (wave.length > 0) waves.push(wave);
    for (const w of waves) {
      // groups of one source pod and one source interface; several groups at once
      const groups = new Map<string, PingJob[]>();
      for (const j of w.flat()) {
        const key = `${j.from.index}/${j.ifname ?? ''}`;
        const g = groups.get(key) ?? [];
        g.push(j);
        groups.set(key, g);
      }
      await pool([...groups.values()], this.options.pingSources ?? 4, (g) => this.pingGroup(g));
      if (waves.length > 1) {
        const touched = new Set<string>();
        for (const j of w.flat()) {
          touched.add(this.podNetns.get(j.from)!);
          if (j.to && this.podNetns.has(j.to)) touched.add(this.podNetns.get(j.to)!);
        }
        await pool([...touched], this.concurrency * 2, async (ns) => { await this.procs.run('ip', ['-n', ns, 'neigh', 'flush', 'all']); });
      }
    }
  }

  /**
   * Pings from one pod and interface: one `nsenter --net=<pod> xargs -0 -P <chunk> ping ...` per
   * round, fed the addresses NUL-separated (no shell, no quoting: every address passed the argv
   * grammar), each ping's outcome read from its statistics line. Addresses without an answer are
   * tried again, up to the job's attempts.
   */
  private async pingGroup(group: readonly PingJob[]): Promise<void> {
    const from = group[0].from;
    const netns = this.podNetns.get(from);
    const ifname = group[0].ifname;
    for (const j of group) {
      j.ok = false;
      if (!netns || !isIpAddress(j.address)) j.output = `ping did not run: ${JSON.stringify(j.address)} is not an address of the run`;
    }
    if (!netns) return;
    const command = [`--net=${path.join(NETNS_DIR, netnsName(netns))}`, 'xargs', '-0', '-r', '-n', '1', '-P', String(this.options.pingChunk ?? 32),
      'ping', '-n', '-q', '-c', '1', '-W', '1', ...(ifname ? ['-I', linkName(ifname, 'interface')] : [])];
    const maxAttempts = Math.max(...group.map((j) => j.attempts));
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const todo = [...new Set(group.filter((j) => !j.ok && j.attempts >= attempt && isIpAddress(j.address)).map((j) => ipAddress(j.address, 'address')))];
      if (todo.length === 0) return;
      this.pingCount += todo.length;
      const r = await this.procs.run('nsenter', command, `${todo.join('\0')}\0`);
      const answered = new Map<string, string>();
      for (const m of r.stdout.matchAll(/--- (\S+) ping statistics ---\n(\d+) packets transmitted, (\d+) received[^\n]*/g)) {
        answered.set(m[1], m[0].split('\n')[1].replace(/, time \d+ms$/, ''));
        if (Number(m[3]) > 0) answered.set(m[1], 'ok');
      }
      const errorText = r.status === null ? 'the run was stopped' : r.stderr.replace(/\s+/g, ' ').trim().slice(0, 120);
      for (const j of group) {
        if (j.ok || !todo.includes(j.address)) continue;
        const a = answered.get(j.address);
        if (a === 'ok') {
          j.ok = true;
          j.output = attempt > 1 ? `answered on attempt ${attempt}` : undefined;
        } else {
          j.output = `${(a ?? errorText) || 'no statistics from ping'}${j.attempts > 1 ? ` (${attempt} attempt${attempt > 1 ? 's' : ''})` : ''}`;
        }
      }
      if (r.status === null) return;
    }
  }

  public async teardown(): Promise<string[]> {
    this.procs.resume();
    const names = this.created.filter((n) => fs.existsSync(path.join(NETNS_DIR, n)));
    for (const n of names) await this.procs.run('ip', ['netns', 'delete', n]);
    // anything else carrying the run's own (unique) prefix, e.g. made before a cancel
    for (const n of leftovers(this.options.prefix)) deleteNetns(n);
    this.created.length = 0;
    return leftovers(this.options.prefix);
  }

  public cancel(): void {
    this.procs.killAll();
  }

  public stats(): EngineStats {
    return { pluginMs: this.plugin.totalMs, pluginCalls: this.plugin.calls, pings: this.pingCount };
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The addresses of a result, only those that parse as CIDRs of plain addresses. */
function ipsOf(result: JsonObject | undefined): string[] {
  if (!result || !Array.isArray(result.ips)) return [];
  return result.ips.filter(isObject).map((x) => String(x.address))
    .filter((a) => Cidr.tryParse(a) !== undefined && isIpAddress(a.split('/')[0]));
}
