import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { execInNetns, netnsPath, runCommand } from './netns';

/**
 * Runs CNI plugin binaries the way libcni does (`libcni/api.go`): one process per plugin and
 * verb, the verb and the attachment in `CNI_*` environment variables, the plugin object on
 * stdin with the list's `cniVersion` and `name` copied in (`buildOneConfig`), `runtimeConfig`
 * injected only for the capabilities the plugin object declares (`injectRuntimeConfig`), and
 * `prevResult` chaining: ADD in list order, DEL in reverse order with the final ADD result.
 *
 * Plugins run inside the emulated NODE namespace (`ip netns exec <node> <binary>`), so the
 * "host" side of every attachment (bridges, masters, iptables rules) stays in a namespace of the
 * run. Every on-disk state path a plugin would write on the machine (host-local `dataDir`,
 * tuning `dataDir`, the dhcp socket) is rewritten to a directory of the run.
 */

/** Where libcni-based runtimes look for plugins by default, in order. */
export const DEFAULT_CNI_PATH: readonly string[] = ['/opt/cni/bin', '/usr/lib/cni'];

/** A CNI verb. */
export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';

/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

/** The error object a plugin prints on failure (SPEC §6). */
export interface CniError {
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
}

/** A configuration list: the shape every config is run as (a single config becomes a list of one). */
export interface CniConfigList {
  readonly cniVersion?: string;
  readonly name: string;
  readonly disableCheck?: boolean | string;
  readonly plugins: readonly JsonObject[];
  readonly [key: string]: unknown;
}

/** Capability arguments a runtime (Multus) passes for one attachment (reference 1.4). */
export interface CapabilityArgs {
  /** `["10.1.2.3/24", ...]` for host-local and static. */
  readonly ips?: readonly string[];
  /** A MAC for bridge, macvlan, tuning... */
  readonly mac?: string;
  /** Port mappings for portmap. */
  readonly portMappings?: ReadonlyArray<{ hostPort: number; containerPort: number; protocol?: string; hostIP?: string }>;
  /** Rates for bandwidth. */
  readonly bandwidth?: { ingressRate?: number; ingressBurst?: number; egressRate?: number; egressBurst?: number };
  /** Extra range sets for host-local. */
  readonly ipRanges?: readonly unknown[];
  /** A PCI address or auxiliary device for host-device. */
  readonly deviceID?: string;
  readonly [capability: string]: unknown;
}

/** The attachment a plugin is run for: libcni's `RuntimeConf` plus where and how to run it. */
export interface RuntimeConf {
  /** `CNI_CONTAINERID`: letters, digits, `_.-`. */
  readonly containerId: string;
  /** The pod namespace's name; `CNI_NETNS` is its path under /var/run/netns. */
  readonly netns: string;
  /** The node namespace's name: plugins run inside it. */
  readonly hostNetns: string;
  /** `CNI_IFNAME`: the interface name inside the pod. */
  readonly ifname: string;
  /** A directory of the run where plugins keep state instead of /var/lib/cni, /run/cni. */
  readonly stateDir: string;
  /**
   * Directories searched for plugin binaries, in order; also `CNI_PATH`.
   * @default DEFAULT_CNI_PATH
   */
  readonly searchPath?: readonly string[];
  /**
   * The pod's Kubernetes namespace, in `CNI_ARGS` as `K8S_POD_NAMESPACE`.
   * @default 'default'
   */
  readonly podNamespace?: string;
  /**
   * The pod's name, in `CNI_ARGS` as `K8S_POD_NAME`.
   * @default 'nfv-verify'
   */
  readonly podName?: string;
  /**
   * Extra `CNI_ARGS` pairs appended after the Kubernetes ones (e.g. `[['MAC', '..']]`).
   * @default - none
   */
  readonly args?: ReadonlyArray<readonly [string, string]>;
  /**
   * Capability arguments, injected as `runtimeConfig` where a plugin declares the capability.
   * @default - none
   */
  readonly capabilityArgs?: CapabilityArgs;
  /**
   * Milliseconds before a plugin process is killed.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Where the time spent in plugin processes is added up (one object per run; nothing is counted
   * per process).
   * @default - not counted
   */
  readonly stats?: PluginExecStats;
}

/** A plugin that ran and succeeded. */
export interface PluginOk {
  readonly kind: 'ok';
  readonly plugin: string;
  readonly command: CniCommand;
  /** The parsed stdout (a result for ADD, a version answer for VERSION; none for DEL/CHECK). */
  readonly result?: JsonObject;
  readonly stdin: JsonObject;
  readonly stderr: string;
}

/** A plugin that ran and failed. */
export interface PluginFailed {
  readonly kind: 'error';
  readonly plugin: string;
  readonly command: CniCommand;
  readonly error: CniError;
  readonly exitStatus: number | null;
  readonly stdin: JsonObject;
  readonly stderr: string;
}

/** A plugin whose binary is in none of the search directories: it did not run. */
export interface PluginMissing {
  readonly kind: 'missing-plugin';
  readonly plugin: string;
  readonly command: CniCommand;
  readonly searchPath: readonly string[];
}

/** What one plugin call gave. */
export type PluginOutcome = PluginOk | PluginFailed | PluginMissing;

/** The absolute path of a plugin binary: the first executable `<dir>/<type>` on the search path. */
export function findPluginBinary(type: string, searchPath: readonly string[] = DEFAULT_CNI_PATH): string | undefined {
  if (!isPlainPluginName(type)) return undefined;
  for (const dir of searchPath) {
    const file = path.join(dir, type);
    try {
      const st = fs.statSync(file);
      if (st.isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether a `type` is a plain binary name (SPEC §1: no path separators). */
export function isPlainPluginName(type: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(type);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The config as a list: a list is returned as is (after shape checks); a single plugin config
 * becomes `{cniVersion, name, plugins: [config]}` like libcni's `ConfListFromConf`. Accepts JSON
 * text or a parsed object; throws on a shape no runtime would accept.
 */
export function toConfigList(config: unknown): CniConfigList {
  const obj = typeof config === 'string' ? (JSON.parse(config) as unknown) : config;
  if (!isObject(obj)) throw new Error(`'config' must be a JSON object: got ${JSON.stringify(obj)}; pass a CNI config or config list`);
  if (typeof obj.name !== 'string' || obj.name === '') {
    throw new Error(`'name' must be a non-empty string: got ${JSON.stringify(obj.name)}; set the network name`);
  }
  if (obj.cniVersion !== undefined && typeof obj.cniVersion !== 'string') {
    throw new Error(`'cniVersion' must be a string: got ${JSON.stringify(obj.cniVersion)}; write it as e.g. "1.0.0"`);
  }
  if ('plugins' in obj) {
    const plugins = obj.plugins;
    if (!Array.isArray(plugins) || plugins.length === 0) {
      throw new Error(`'plugins' must be a non-empty array: got ${JSON.stringify(plugins)}; add at least one plugin`);
    }
    plugins.forEach((p, i) => {
      if (!isObject(p) || typeof p.type !== 'string') {
        throw new Error(`'plugins[${i}].type' must be a string: got ${JSON.stringify(isObject(p) ? p.type : p)}; name the plugin binary`);
      }
    });
    return obj as unknown as CniConfigList;
  }
  if (typeof obj.type !== 'string') {
    throw new Error(`'type' must be a string: got ${JSON.stringify(obj.type)}; a config needs 'type' (single) or 'plugins' (list)`);
  }
  const list: JsonObject = { name: obj.name, plugins: [obj] };
  if (obj.cniVersion !== undefined) list.cniVersion = obj.cniVersion;
  return list as unknown as CniConfigList;
}

/** Every plugin `type` a list runs, IPAM types included, in order, without duplicates. */
export function pluginTypesOf(list: CniConfigList): string[] {
  const out: string[] = [];
  for (const p of list.plugins) {
    for (const t of [p.type, isObject(p.ipam) ? p.ipam.type : undefined]) {
      if (typeof t === 'string' && t !== '' && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

function deepClone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Options of {@link buildPluginConfig}. */
export interface BuildPluginConfigOptions {
  /**
   * Capability arguments; only those the plugin declares are injected.
   * @default - none
   */
  readonly capabilityArgs?: CapabilityArgs;
  /**
   * The previous plugin's result (ADD) or the final result (DEL, CHECK).
   * @default - none
   */
  readonly prevResult?: JsonObject;
  /**
   * The run's state directory; host-local/tuning/dhcp paths are rewritten under it.
   * @default - paths are left as configured
   */
  readonly stateDir?: string;
}

/**
 * The stdin of one plugin of a list, as libcni builds it: a copy of the plugin object with the
 * list's `name` and `cniVersion`, `prevResult` when given, and `runtimeConfig` holding exactly the
 * capability arguments whose capability the object declares (replacing any authored one).
 */
export function buildPluginConfig(list: CniConfigList, index: number, options: BuildPluginConfigOptions = {}): JsonObject {
  const src = list.plugins[index];
  if (!src) throw new Error(`'index' must point at a plugin of the list: got ${index}; the list has ${list.plugins.length}`);
  let conf: JsonObject = deepClone(src);
  conf.name = list.name;
  if (list.cniVersion !== undefined) conf.cniVersion = list.cniVersion;
  // state paths first: nothing added below (prevResult, runtimeConfig) is a plugin option
  if (options.stateDir) conf = rewriteStatePaths(conf, options.stateDir);
  if (options.prevResult !== undefined) conf.prevResult = deepClone(options.prevResult);
  const rc: JsonObject = {};
  const caps = isObject(conf.capabilities) ? conf.capabilities : {};
  for (const key of Object.keys(caps).sort()) {
    if (caps[key] !== true) continue;
    const value = options.capabilityArgs?.[key];
    if (value !== undefined) rc[key] = deepClone(value);
  }
  if (Object.keys(rc).length > 0) conf.runtimeConfig = rc;
  return conf;
}

/** Plugins that keep state in `ipam.dataDir` when they run as IPAM or as the main plugin. */
const IPAM_STATE_PLUGINS = new Set(['host-local']);

/**
 * Points every node-state path of a plugin object at the run's state directory, so nothing is
 * written to /var/lib/cni, /run/cni or wherever a config points: `ipam.dataDir` of any IPAM (and
 * set for host-local, as IPAM or as the main plugin, whose default is /var/lib/cni/networks),
 * tuning's `dataDir` (set too), every other `dataDir` at any depth, and dhcp's
 * `ipam.daemonSocketPath`. Returns a new object.
 */
export function rewriteStatePaths(conf: JsonObject, stateDir: string): JsonObject {
  const out = deepClone(conf);
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}${i}-`));
      return;
    }
    if (!isObject(v)) return;
    for (const k of Object.keys(v)) {
      if (k === 'dataDir') v[k] = path.join(stateDir, 'data', `${at}dataDir`);
      else walk(v[k], `${at}${k.replace(/[^A-Za-z0-9]/g, '_')}-`);
    }
  };
  walk(out, '');
  if (out.type === 'tuning') out.dataDir = path.join(stateDir, 'tuning');
  const hostLocalMain = typeof out.type === 'string' && IPAM_STATE_PLUGINS.has(out.type);
  if (isObject(out.ipam) || hostLocalMain) {
    const ipam: JsonObject = isObject(out.ipam) ? out.ipam : {};
    if (hostLocalMain || (typeof ipam.type === 'string' && IPAM_STATE_PLUGINS.has(ipam.type)) || 'dataDir' in ipam) {
      ipam.dataDir = path.join(stateDir, 'host-local');
    }
    if (ipam.type === 'dhcp') ipam.daemonSocketPath = path.join(stateDir, 'dhcp.sock');
    out.ipam = ipam;
  }
  return out;
}

/** The `CNI_ARGS` string Multus would pass: `IgnoreUnknown=true;K8S_POD_NAMESPACE=..;K8S_POD_NAME=..;...`. */
export function cniArgsString(rt: Pick<RuntimeConf, 'containerId' | 'podNamespace' | 'podName' | 'args'>): string {
  const pairs: Array<readonly [string, string]> = [
    ['IgnoreUnknown', 'true'],
    ['K8S_POD_NAMESPACE', rt.podNamespace ?? 'default'],
    ['K8S_POD_NAME', rt.podName ?? 'nfv-verify'],
    ['K8S_POD_INFRA_CONTAINER_ID', rt.containerId],
    ...(rt.args ?? []),
  ];
  for (const [k, v] of pairs) {
    if (/[;=]/.test(k) || /;/.test(v)) {
      throw new Error(`'args' must not contain ';' (or '=' in keys): got ${JSON.stringify(`${k}=${v}`)}; pass one pair per entry`);
    }
  }
  return pairs.map(([k, v]) => `${k}=${v}`).join(';');
}

/** Parses a plugin's stdout; a non-JSON answer becomes undefined. */
function parseJson(text: string): JsonObject | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The PATH plugins run with (they exec iptables, ip...): fixed, never read from the environment. */
export const PLUGIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function environmentFor(command: CniCommand, rt: RuntimeConf, searchPath: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: PLUGIN_PATH,
    CNI_COMMAND: command,
    CNI_PATH: searchPath.join(':'),
  };
  // STATUS and GC concern the network, not an attachment: CNI_COMMAND and CNI_PATH only (SPEC 1.1 §2)
  if (command !== 'VERSION' && command !== 'STATUS' && command !== 'GC') {
    env.CNI_CONTAINERID = rt.containerId;
    env.CNI_NETNS = netnsPath(rt.netns);
    env.CNI_IFNAME = rt.ifname;
    env.CNI_ARGS = cniArgsString(rt);
  }
  return env;
}

/** Time spent in plugin processes (wall clock, `ip netns exec` wrapper included), added up per run. */
export interface PluginExecStats {
  /** Plugin processes run. */
  calls: number;
  /** Milliseconds spent waiting for them, summed. */
  totalMs: number;
}

/**
 * Runs one plugin once, with `stdin` as its config, inside the node namespace. The binary is
 * looked up from `stdin.type`; a missing one gives a `missing-plugin` outcome without running.
 */
export function execPlugin(stdin: JsonObject, command: CniCommand, rt: RuntimeConf): PluginOutcome {
  const searchPath = rt.searchPath ?? DEFAULT_CNI_PATH;
  const plugin = String(stdin.type ?? '');
  const binary = findPluginBinary(plugin, searchPath);
  if (!binary) return { kind: 'missing-plugin', plugin, command, searchPath };
  const started = performance.now();
  const r = execInNetns(rt.hostNetns, binary, [], {
    input: JSON.stringify(stdin),
    env: environmentFor(command, rt, searchPath),
    timeoutMs: rt.timeoutMs,
  });
  if (rt.stats) {
    rt.stats.calls++;
    rt.stats.totalMs += performance.now() - started;
  }
  const out = parseJson(r.stdout);
  if (r.status === 0 && !r.error) return { kind: 'ok', plugin, command, result: out, stdin, stderr: r.stderr };
  let error: CniError;
  if (out && typeof out.code === 'number' && typeof out.msg === 'string') {
    error = { code: out.code, msg: out.msg, ...(typeof out.details === 'string' && out.details !== '' ? { details: out.details } : {}) };
  } else if (r.error || r.signal) {
    error = { code: -1, msg: r.signal ? `plugin killed by ${r.signal} (timeout ${rt.timeoutMs ?? 30000} ms?)` : String(r.error?.message) };
  } else {
    const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join(' | ');
    error = { code: -1, msg: `plugin exited with status ${r.status}${text ? `: ${text}` : ''}` };
  }
  return { kind: 'error', plugin, command, error, exitStatus: r.status, stdin, stderr: r.stderr };
}

/** Asks a plugin binary which spec versions it supports (`CNI_COMMAND=VERSION`); runs in the caller's namespace. */
export function pluginVersionInfo(type: string, searchPath: readonly string[] = DEFAULT_CNI_PATH): PluginOutcome {
  const binary = findPluginBinary(type, searchPath);
  if (!binary) return { kind: 'missing-plugin', plugin: type, command: 'VERSION', searchPath };
  const stdin = { cniVersion: '0.4.0' };
  const r = runCommand(binary, [], {
    input: JSON.stringify(stdin),
    env: { PATH: PLUGIN_PATH, CNI_COMMAND: 'VERSION', CNI_PATH: searchPath.join(':') },
    timeoutMs: 10000,
  });
  const out = parseJson(r.stdout);
  if (r.status === 0 && out) return { kind: 'ok', plugin: type, command: 'VERSION', result: out, stdin, stderr: r.stderr };
  return {
    kind: 'error', plugin: type, command: 'VERSION', stdin, stderr: r.stderr, exitStatus: r.status,
    error: out && typeof out.code === 'number' ? { code: out.code, msg: String(out.msg) } : { code: -1, msg: `VERSION failed: ${r.stderr.trim() || r.error?.message || r.status}` },
  };
}

/** What running a whole list for one verb gave. */
export interface ListOutcome {
  readonly command: CniCommand;
  /** True when every plugin call succeeded (or there was nothing to run). */
  readonly ok: boolean;
  /** Every call made, in the order made. */
  readonly steps: readonly PluginOutcome[];
  /** ADD: the final result (the last plugin's output). */
  readonly result?: JsonObject;
  /** The call that stopped the list, if any. */
  readonly failed?: PluginFailed | PluginMissing;
  /** The index in `plugins` of the call that stopped the list. */
  readonly failedIndex?: number;
  /** Why nothing ran (e.g. CHECK on a list below 0.4.0, or `disableCheck`). */
  readonly skipped?: string;
}

function atLeast(version: string | undefined, min: string): boolean {
  const v = semver.valid(version ?? '0.1.0');
  return v !== null && semver.gte(v, min);
}

/** ADD: plugins in list order, each getting the previous plugin's result as `prevResult`. Stops at the first failure. */
export function addNetworkList(list: CniConfigList, rt: RuntimeConf): ListOutcome {
  const steps: PluginOutcome[] = [];
  let prev: JsonObject | undefined;
  for (let i = 0; i < list.plugins.length; i++) {
    const stdin = buildPluginConfig(list, i, { capabilityArgs: rt.capabilityArgs, prevResult: prev, stateDir: rt.stateDir });
    const o = execPlugin(stdin, 'ADD', rt);
    steps.push(o);
    if (o.kind !== 'ok') return { command: 'ADD', ok: false, steps, failed: o, failedIndex: i, result: prev };
    prev = o.result;
  }
  return { command: 'ADD', ok: true, steps, result: prev };
}

/**
 * DEL: plugins in reverse order. From 0.4.0 each gets the final ADD result as `prevResult` (as
 * libcni's `DelNetworkList`); below 0.4.0 none. Stops at the first failure, like libcni.
 */
export function delNetworkList(list: CniConfigList, rt: RuntimeConf, finalResult?: JsonObject): ListOutcome {
  const steps: PluginOutcome[] = [];
  const prev = atLeast(list.cniVersion, '0.4.0') ? finalResult : undefined;
  for (let i = list.plugins.length - 1; i >= 0; i--) {
    const stdin = buildPluginConfig(list, i, { capabilityArgs: rt.capabilityArgs, prevResult: prev, stateDir: rt.stateDir });
    const o = execPlugin(stdin, 'DEL', rt);
    steps.push(o);
    if (o.kind !== 'ok') return { command: 'DEL', ok: false, steps, failed: o, failedIndex: i };
  }
  return { command: 'DEL', ok: true, steps };
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

/** CHECK: plugins in list order with the final ADD result; skipped below 0.4.0 or with `disableCheck`. */
export function checkNetworkList(list: CniConfigList, rt: RuntimeConf, finalResult: JsonObject | undefined): ListOutcome {
  if (!atLeast(list.cniVersion, '0.4.0')) return { command: 'CHECK', ok: true, steps: [], skipped: `cniVersion ${JSON.stringify(list.cniVersion ?? '0.1.0')} does not allow CHECK` };
  if (truthy(list.disableCheck)) return { command: 'CHECK', ok: true, steps: [], skipped: 'disableCheck is set' };
  const steps: PluginOutcome[] = [];
  for (let i = 0; i < list.plugins.length; i++) {
    const stdin = buildPluginConfig(list, i, { capabilityArgs: rt.capabilityArgs, prevResult: finalResult, stateDir: rt.stateDir });
    const o = execPlugin(stdin, 'CHECK', rt);
    steps.push(o);
    if (o.kind !== 'ok') return { command: 'CHECK', ok: false, steps, failed: o, failedIndex: i };
  }
  return { command: 'CHECK', ok: true, steps };
}

/** The key of the GC input listing the attachments that are still in use (SPEC 1.1 §2.5). */
export const VALID_ATTACHMENTS_KEY = 'cni.dev/valid-attachments';

/** An attachment GC must keep. */
export interface ValidAttachment {
  readonly containerID: string;
  readonly ifname: string;
}

/**
 * STATUS: whether each plugin of the list is ready to ADD (SPEC 1.1), in list order, as libcni's
 * `GetStatusNetworkList`: skipped below cniVersion 1.1.0. Stops at the first failure (code 50:
 * the plugin is not available; 51: limited connectivity).
 */
export function statusNetworkList(list: CniConfigList, rt: RuntimeConf): ListOutcome {
  if (!atLeast(list.cniVersion, '1.1.0')) return { command: 'STATUS', ok: true, steps: [], skipped: `cniVersion ${JSON.stringify(list.cniVersion ?? '0.1.0')} does not have STATUS (1.1.0 does)` };
  const steps: PluginOutcome[] = [];
  for (let i = 0; i < list.plugins.length; i++) {
    const o = execPlugin(buildPluginConfig(list, i, { stateDir: rt.stateDir }), 'STATUS', rt);
    steps.push(o);
    if (o.kind !== 'ok') return { command: 'STATUS', ok: false, steps, failed: o, failedIndex: i };
  }
  return { command: 'STATUS', ok: true, steps };
}

/** What GC did: the list outcome, and the plugin state it removed (leaks it found). */
export interface GcOutcome extends ListOutcome {
  /** State files under the run's state directory that GC removed, relative to it, sorted. */
  readonly released: readonly string[];
}

function stateFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/**
 * GC: each plugin of the list gets the attachments still in use (`cni.dev/valid-attachments`) and
 * releases what it holds for any other (SPEC 1.1), as libcni's `GCNetworkList` for 1.1.0 lists;
 * skipped below 1.1.0 (libcni then DELs cached attachments; this runner keeps no cache) and with
 * `disableGC`. Every plugin runs (a failure does not stop the others); what the run's state
 * directory lost is reported as `released`: state a DEL should have removed.
 */
export function gcNetworkList(list: CniConfigList, rt: RuntimeConf, valid: readonly ValidAttachment[] = []): GcOutcome {
  if (!atLeast(list.cniVersion, '1.1.0')) return { command: 'GC', ok: true, steps: [], released: [], skipped: `cniVersion ${JSON.stringify(list.cniVersion ?? '0.1.0')} does not have GC (1.1.0 does)` };
  if (truthy(list.disableGC)) return { command: 'GC', ok: true, steps: [], released: [], skipped: 'disableGC is set' };
  const before = stateFiles(rt.stateDir);
  const steps: PluginOutcome[] = [];
  let failed: PluginFailed | PluginMissing | undefined;
  let failedIndex: number | undefined;
  for (let i = 0; i < list.plugins.length; i++) {
    const stdin = buildPluginConfig(list, i, { stateDir: rt.stateDir });
    stdin[VALID_ATTACHMENTS_KEY] = valid.map((v) => ({ containerID: v.containerID, ifname: v.ifname }));
    const o = execPlugin(stdin, 'GC', rt);
    steps.push(o);
    if (o.kind !== 'ok' && !failed) {
      failed = o;
      failedIndex = i;
    }
  }
  const after = new Set(stateFiles(rt.stateDir));
  const released = before.filter((f) => !after.has(f));
  return failed ? { command: 'GC', ok: false, steps, failed, failedIndex, released } : { command: 'GC', ok: true, steps, released };
}
