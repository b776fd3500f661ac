import { linkName, macAddress, mtuValue } from './argv-values';
import { DataplaneCapabilities, Unsupported, UnsupportedKind, unsupportedReasons } from './capabilities';
import {
  CapabilityArgs,
  CniConfigList,
  CniError,
  DEFAULT_CNI_PATH,
  JsonObject,
  ListOutcome,
  PluginOutcome,
  RuntimeConf,
  addNetworkList,
  checkNetworkList,
  delNetworkList,
  toConfigList,
} from './cni-exec';
import { CleanupReport, LinkInfo, NetnsRun, checkIfname, createVethPair, ipIn, listLinks } from './netns';
import type { NetworkSelectionElement } from '../../multus/selection-element';

/**
 * One attachment, end to end, through the real plugins: a node namespace (the plugins' host
 * side, with emulated uplinks), a pod namespace, ADD, an observation of the pod's interfaces,
 * optionally CHECK, DEL, and removal of everything.
 */

/** How an attachment went. */
export type AttachmentOutcome = 'passed' | 'failed' | 'unsupported';

/** Where an attachment failed. */
export type AttachmentPhase = 'parse' | 'setup' | 'ADD' | 'CHECK' | 'DEL';

/** An emulated node interface: a veth in the node namespace, its peer in an underlay namespace. */
export interface UplinkSpec {
  /** The name inside the node namespace (what `master`/`device` says). */
  readonly name: string;
  /**
   * The MTU.
   * @default 1500
   */
  readonly mtu?: number;
  /**
   * The MAC address (host-device `hwaddr` selection).
   * @default - kernel-random
   */
  readonly mac?: string;
  /**
   * Whether this uplink carries the node's default route (macvlan/ipvlan without `master` use
   * the default-route interface); it gets 192.0.2.2/24 via 192.0.2.1, inside the node namespace.
   * @default false
   */
  readonly defaultRoute?: boolean;
}

/** Why an attachment failed. */
export interface AttachmentFailure {
  readonly phase: AttachmentPhase;
  /** The plugin type that failed, for ADD/CHECK/DEL. */
  readonly plugin?: string;
  /** Its index in `plugins`. */
  readonly index?: number;
  /** The plugin's error object, or a synthesized one (code -1) for parse/setup failures. */
  readonly error: CniError;
  /** The plugin's stderr. */
  readonly stderr?: string;
}

/** Options of {@link tryAttachment}. */
export interface TryAttachmentOptions {
  /** A CNI config or config list: JSON text or a parsed object (a NAD's `spec.config`). */
  readonly config: unknown;
  /**
   * The interface name inside the pod (`CNI_IFNAME`).
   * @default 'net1'
   */
  readonly ifname?: string;
  /**
   * Capability arguments (`ips`, `mac`, `portMappings`, `bandwidth`...), injected as
   * `runtimeConfig` into plugins that declare the capability.
   * @default - none
   */
  readonly runtime?: CapabilityArgs;
  /**
   * Extra `CNI_ARGS` pairs.
   * @default - none
   */
  readonly cniArgs?: ReadonlyArray<readonly [string, string]>;
  /**
   * The selection element's `cni-args`, written into every plugin as `args: {cni: ...}` (what
   * Multus does with them).
   * @default - none
   */
  readonly podCniArgs?: JsonObject;
  /**
   * Uplinks to create in the node namespace, overriding (by name) or adding to the ones the
   * config names (`master` of macvlan/ipvlan/vlan, `device`/`hwaddr` of host-device).
   * @default - the uplinks the config names, MTU 1500
   */
  readonly uplinks?: ReadonlyArray<UplinkSpec | string>;
  /**
   * Whether to run CHECK after ADD (when the list's version allows it and `disableCheck` is unset).
   * @default false
   */
  readonly check?: boolean;
  /**
   * Plugin search directories.
   * @default DEFAULT_CNI_PATH
   */
  readonly searchPath?: readonly string[];
  /**
   * What the machine can do.
   * @default - probed once per process
   */
  readonly capabilities?: DataplaneCapabilities;
  /**
   * The namespace name prefix of the run.
   * @default - `nfv<pid in hex>`
   */
  readonly prefix?: string;
  /**
   * Pod identity for `CNI_ARGS`.
   * @default - 'default' / 'nfv-verify'
   */
  readonly podNamespace?: string;
  /** @default 'nfv-verify' */
  readonly podName?: string;
  /**
   * Milliseconds a single plugin call may take.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

/** Everything an attachment run found out. */
export interface AttachmentReport {
  readonly outcome: AttachmentOutcome;
  /** The network `name`. */
  readonly network?: string;
  readonly ifname: string;
  /** The first reason it cannot run here (outcome 'unsupported'). */
  readonly unsupported?: Unsupported;
  /** Every reason it cannot run here. */
  readonly unsupportedReasons: readonly Unsupported[];
  /** Why it failed (outcome 'failed'). */
  readonly failure?: AttachmentFailure;
  /** The final ADD result. */
  readonly result?: JsonObject;
  /** The addresses in the ADD result (`ips[].address`). */
  readonly ips: readonly string[];
  /** The pod namespace's interfaces after ADD (loopback excluded). */
  readonly podInterfaces: readonly LinkInfo[];
  /** Every plugin call, in order (ADD, then CHECK, then DEL). */
  readonly steps: readonly PluginOutcome[];
  /** The DEL run, when ADD was attempted. */
  readonly del?: ListOutcome;
  /** Why CHECK did not run, when asked for. */
  readonly checkSkipped?: string;
  /** The uplinks created in the node namespace. */
  readonly uplinks: readonly UplinkSpec[];
  /** What the run could not remove (empty when clean). */
  readonly cleanup: CleanupReport;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The node interfaces a config expects to exist (by name or MAC), in order of first mention. */
export function uplinksOf(config: unknown): UplinkSpec[] {
  const list: CniConfigList = toConfigList(config);
  const out: UplinkSpec[] = [];
  const add = (u: UplinkSpec): void => {
    if (!out.some((o) => o.name === u.name)) out.push(u);
  };
  list.plugins.forEach((p, i) => {
    const inContainer = p.linkInContainer === true;
    switch (p.type) {
      case 'macvlan':
      case 'ipvlan':
      case 'vlan':
        if (typeof p.master === 'string' && p.master !== '') {
          if (!inContainer) add({ name: p.master });
        } else if (p.type !== 'vlan' && !(p.type === 'ipvlan' && i > 0)) {
          add({ name: 'eth0', defaultRoute: true });
        }
        break;
      case 'host-device':
        if (typeof p.device === 'string' && p.device !== '') add({ name: p.device });
        else if (typeof p.hwaddr === 'string' && p.hwaddr !== '') add({ name: `hostdev${i}`, mac: p.hwaddr });
        break;
      case 'bond':
        if (p.linksInContainer !== true && Array.isArray(p.links)) {
          for (const l of p.links) if (isObject(l) && typeof l.name === 'string') add({ name: l.name });
        }
        break;
      default:
        break;
    }
  });
  return out;
}

function withPodCniArgs(list: CniConfigList, cniArgs: JsonObject | undefined): CniConfigList {
  if (cniArgs === undefined) return list;
  return { ...list, plugins: list.plugins.map((p) => ({ ...p, args: { cni: cniArgs } })) };
}

/** What a pod's selection element contributes to an attachment. */
export interface SelectionAttachment {
  /** The element's `interface`, or undefined (Multus then picks `net<N>`). */
  readonly ifname?: string;
  /** The capability arguments Multus builds from the element. */
  readonly runtime: CapabilityArgs;
  /** The element's `cni-args`. */
  readonly podCniArgs?: JsonObject;
}

/**
 * The attachment options of one NetworkSelectionElement, mapped as Multus does
 * (`pkg/types/conf.go:newCNIRuntimeConf`): `ips`, `mac`, `portMappings`, `bandwidth`,
 * `infiniband-guid` → capability arguments; `cni-args` → `args.cni`. (`default-route` is applied
 * by Multus after ADD and is not emulated.)
 */
export function selectionAttachment(element: NetworkSelectionElement): SelectionAttachment {
  const runtime: { [k: string]: unknown } = {};
  if (element.ips !== undefined) runtime.ips = [...element.ips];
  if (element.mac !== undefined) runtime.mac = element.mac;
  if (element.portMappings !== undefined) runtime.portMappings = element.portMappings.map((m) => ({ ...m }));
  if (element.bandwidth !== undefined) runtime.bandwidth = { ...element.bandwidth };
  if (element['infiniband-guid'] !== undefined) runtime.infinibandGUID = element['infiniband-guid'];
  return { ifname: element.interface, runtime: runtime as CapabilityArgs, podCniArgs: element['cni-args'] };
}

function mergeUplinks(fromConfig: UplinkSpec[], given: ReadonlyArray<UplinkSpec | string> = []): UplinkSpec[] {
  const out = [...fromConfig];
  for (const g of given) {
    const u = typeof g === 'string' ? { name: g } : g;
    const i = out.findIndex((o) => o.name === u.name);
    if (i >= 0) out[i] = { ...out[i], ...u };
    else out.push(u);
  }
  return out;
}

function ipsOf(result: JsonObject | undefined): string[] {
  if (!result || !Array.isArray(result.ips)) return [];
  return result.ips.filter(isObject).map((x) => String(x.address));
}

function failureOf(o: ListOutcome): AttachmentFailure {
  const f = o.failed!;
  if (f.kind === 'missing-plugin') {
    return {
      phase: o.command as AttachmentPhase, plugin: f.plugin, index: o.failedIndex,
      error: { code: -1, msg: `failed to find plugin ${JSON.stringify(f.plugin)} in path [${f.searchPath.join(' ')}]` },
    };
  }
  return { phase: o.command as AttachmentPhase, plugin: f.plugin, index: o.failedIndex, error: f.error, stderr: f.stderr };
}

/**
 * Runs one CNI config through the real plugins in throwaway namespaces and reports 'passed',
 * 'failed' (with the plugin's error) or 'unsupported' (with the reason it cannot run here).
 * Always removes every namespace, link and state directory it created.
 */
export function tryAttachment(options: TryAttachmentOptions): AttachmentReport {
  const ifname = options.ifname ?? 'net1';
  const empty = { ips: [], podInterfaces: [], steps: [], uplinks: [], unsupportedReasons: [], cleanup: { namespaces: [], dirs: [] } };
  let list: CniConfigList;
  let uplinks: UplinkSpec[];
  try {
    checkIfname(ifname);
    list = withPodCniArgs(toConfigList(options.config), options.podCniArgs);
    uplinks = mergeUplinks(uplinksOf(list), options.uplinks);
    uplinks.forEach((u) => {
      linkName(u.name, 'uplinks[].name');
      if (u.mac !== undefined) macAddress(u.mac, 'uplinks[].mac');
      if (u.mtu !== undefined) mtuValue(u.mtu, 'uplinks[].mtu');
    });
  } catch (e) {
    return { ...empty, outcome: 'failed', ifname, failure: { phase: 'parse', error: { code: -1, msg: (e as Error).message } } };
  }
  const searchPath = options.searchPath ?? DEFAULT_CNI_PATH;
  const reasons = unsupportedReasons(list, { searchPath, capabilities: options.capabilities, runtime: options.runtime });
  if (reasons.length > 0) {
    return { ...empty, outcome: 'unsupported', network: list.name, ifname, unsupported: reasons[0], unsupportedReasons: reasons, uplinks };
  }

  const run = new NetnsRun({ prefix: options.prefix });
  const steps: PluginOutcome[] = [];
  let failure: AttachmentFailure | undefined;
  let unsupported: Unsupported | undefined;
  let result: JsonObject | undefined;
  let podInterfaces: LinkInfo[] = [];
  let del: ListOutcome | undefined;
  let checkSkipped: string | undefined;
  let cleanup: CleanupReport;
  let phase: AttachmentPhase = 'setup';
  try {
    const node = run.createNamespace('node');
    const pod = run.createNamespace('pod');
    if (uplinks.length > 0) {
      const underlay = run.createNamespace('ul');
      uplinks.forEach((u, i) => {
        createVethPair({ end: { netns: node, name: u.name, mac: u.mac }, peer: { netns: underlay, name: `ul${i}` }, mtu: u.mtu ?? 1500 });
        if (u.defaultRoute) {
          ipIn(node, ['addr', 'add', '192.0.2.2/24', 'dev', u.name]);
          ipIn(node, ['route', 'add', 'default', 'via', '192.0.2.1', 'dev', u.name]);
        }
      });
    }
    const rt: RuntimeConf = {
      containerId: run.id,
      netns: pod,
      hostNetns: node,
      ifname,
      stateDir: run.createTempDir(),
      searchPath,
      podNamespace: options.podNamespace,
      podName: options.podName,
      args: options.cniArgs,
      capabilityArgs: options.runtime,
      timeoutMs: options.timeoutMs,
    };
    phase = 'ADD';
    const add = addNetworkList(list, rt);
    steps.push(...add.steps);
    if (add.ok) {
      result = add.result;
      podInterfaces = listLinks(pod).filter((l) => l.name !== 'lo');
      if (options.check) {
        phase = 'CHECK';
        const check = checkNetworkList(list, rt, result);
        steps.push(...check.steps);
        checkSkipped = check.skipped;
        if (!check.ok) failure = failureOf(check);
      }
    } else if (add.failed?.kind === 'missing-plugin') {
      unsupported = {
        kind: UnsupportedKind.MISSING_PLUGIN, plugin: add.failed.plugin, path: `plugins[${add.failedIndex}]`,
        message: `plugin binary ${JSON.stringify(add.failed.plugin)} is not in ${searchPath.join(':')}`,
      };
    } else {
      failure = failureOf(add);
    }
    // DEL always follows an attempted ADD, as a runtime does after a failed ADD, with the
    // final result when there is one.
    phase = 'DEL';
    del = delNetworkList(list, rt, add.ok ? result : undefined);
    steps.push(...del.steps);
    if (!del.ok && !failure && !unsupported) failure = failureOf(del);
  } catch (e) {
    failure = failure ?? { phase: phase === 'DEL' || phase === 'ADD' || phase === 'CHECK' ? phase : 'setup', error: { code: -1, msg: (e as Error).message } };
  } finally {
    cleanup = run.dispose();
  }
  const outcome: AttachmentOutcome = unsupported ? 'unsupported' : failure ? 'failed' : 'passed';
  return {
    outcome, network: list.name, ifname, unsupported, unsupportedReasons: unsupported ? [unsupported] : [], failure, result,
    ips: ipsOf(result), podInterfaces, steps, del, checkSkipped, uplinks, cleanup,
  };
}

/** One line for a report: `passed lan01: net1 192.168.100.2/24`, `failed ...: ADD macvlan: <msg>`, `unsupported ...: <why>`. */
export function formatAttachmentReport(r: AttachmentReport): string {
  const name = r.network ?? '(unnamed)';
  if (r.outcome === 'passed') return `passed ${name}: ${r.ifname}${r.ips.length ? ` ${r.ips.join(', ')}` : ' (no IPs)'}`;
  if (r.outcome === 'unsupported') return `unsupported here ${name}: ${r.unsupported?.message}`;
  const f = r.failure!;
  const where = f.plugin ? `${f.phase} ${f.plugin}${f.index !== undefined ? ` (plugins[${f.index}])` : ''}` : f.phase;
  return `failed ${name}: ${where}: ${f.error.msg}${f.error.details ? ` (${f.error.details})` : ''}`;
}
