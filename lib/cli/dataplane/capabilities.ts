import * as fs from 'fs';
import * as path from 'path';
import { CapabilityArgs, CniConfigList, DEFAULT_CNI_PATH, JsonObject, findPluginBinary, toConfigList } from './cni-exec';
import { COMMAND_ENV, NetnsRun, runCommand } from './netns';

/**
 * What this machine can run: the environment (root, iproute2, named namespaces), the kernel's
 * link types, tools the plugins shell out to, and the plugin binaries. Link types are probed by
 * creating each in a throwaway namespace; results are cached per process.
 *
 * {@link unsupportedReasons} turns that into "this config cannot run here, because ..." so a
 * caller reports "unsupported here" rather than a pass or a failure.
 */

/** Kernel link types the CNI plugins create. */
export enum LinkType {
  VETH = 'veth',
  BRIDGE = 'bridge',
  MACVLAN = 'macvlan',
  IPVLAN = 'ipvlan',
  VLAN = 'vlan',
  DUMMY = 'dummy',
  BOND = 'bond',
  VRF = 'vrf',
  IFB = 'ifb',
  VXLAN = 'vxlan',
}

/** Every probed link type. */
export const ALL_LINK_TYPES: readonly LinkType[] = Object.values(LinkType);

/** Kernel features beyond link types. */
export enum KernelFeature {
  /** `vlan_filtering` on a Linux bridge (bridge `vlan`/`vlanTrunk`). */
  BRIDGE_VLAN_FILTERING = 'bridge-vlan-filtering',
  /** `/dev/net/tun` (tap). */
  TUN = 'tun',
}

/** Why the environment as a whole cannot run plugins. */
export enum EnvironmentProblem {
  NOT_LINUX = 'not-linux',
  NOT_ROOT = 'not-root',
  NO_IPROUTE2 = 'no-iproute2',
  NO_NETNS = 'no-netns',
}

/** Whether plugins can be run in namespaces at all. */
export interface EnvironmentStatus {
  readonly ok: boolean;
  readonly root: boolean;
  readonly iproute2: boolean;
  /** A named namespace could be created and removed. */
  readonly netns: boolean;
  readonly problem?: EnvironmentProblem;
  /** A sentence for reports. */
  readonly reason?: string;
}

/** What the kernel and the machine provide. */
export interface DataplaneCapabilities {
  readonly environment: EnvironmentStatus;
  readonly linkTypes: Readonly<Record<LinkType, boolean>>;
  readonly features: Readonly<Record<KernelFeature, boolean>>;
  /** Tools plugins exec (`iptables` for portmap, firewall and ipMasq). */
  readonly tools: Readonly<Record<string, boolean>>;
}

let envCache: EnvironmentStatus | undefined;
let capsCache: DataplaneCapabilities | undefined;

/** Whether an executable of that name is on the fixed command PATH (no shell involved). */
function commandExists(cmd: string): boolean {
  for (const dir of String(COMMAND_ENV.PATH).split(':')) {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/**
 * Probes (once per process, unless `refresh`) whether this process can run plugins in
 * namespaces: Linux, root, `ip` present, and a namespace can actually be created (a container
 * without CAP_SYS_ADMIN cannot, even as root).
 */
export function probeEnvironment(options: { refresh?: boolean } = {}): EnvironmentStatus {
  if (envCache && !options.refresh) return envCache;
  const linux = process.platform === 'linux';
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const iproute2 = linux && runCommand('ip', ['-V']).status === 0;
  let netns = false;
  let netnsError = '';
  if (linux && root && iproute2) {
    const run = new NetnsRun();
    try {
      run.createNamespace('probe');
      netns = true;
    } catch (e) {
      netnsError = (e as Error).message;
    } finally {
      run.dispose();
    }
  }
  let problem: EnvironmentProblem | undefined;
  let reason: string | undefined;
  if (!linux) {
    problem = EnvironmentProblem.NOT_LINUX;
    reason = `network namespaces need Linux, this is ${process.platform}`;
  } else if (!root) {
    problem = EnvironmentProblem.NOT_ROOT;
    reason = 'not running as root (uid 0), which creating network namespaces needs';
  } else if (!iproute2) {
    problem = EnvironmentProblem.NO_IPROUTE2;
    reason = "iproute2 ('ip') is not installed";
  } else if (!netns) {
    problem = EnvironmentProblem.NO_NETNS;
    reason = `cannot create a network namespace: ${netnsError}`;
  }
  envCache = { ok: problem === undefined, root, iproute2, netns, problem, reason };
  return envCache;
}

const LINK_PROBES: ReadonlyArray<readonly [LinkType, readonly string[]]> = [
  [LinkType.BRIDGE, ['link', 'add', 'pb0', 'type', 'bridge']],
  [LinkType.MACVLAN, ['link', 'add', 'pm0', 'link', 'pv0', 'type', 'macvlan', 'mode', 'bridge']],
  [LinkType.IPVLAN, ['link', 'add', 'pi0', 'link', 'pv0', 'type', 'ipvlan', 'mode', 'l2']],
  [LinkType.VLAN, ['link', 'add', 'pq0', 'link', 'pv0', 'type', 'vlan', 'id', '10']],
  [LinkType.DUMMY, ['link', 'add', 'pd0', 'type', 'dummy']],
  [LinkType.BOND, ['link', 'add', 'po0', 'type', 'bond']],
  [LinkType.VRF, ['link', 'add', 'pr0', 'type', 'vrf', 'table', '10']],
  [LinkType.IFB, ['link', 'add', 'pf0', 'type', 'ifb']],
  [LinkType.VXLAN, ['link', 'add', 'px0', 'type', 'vxlan', 'id', '42', 'dstport', '4789']],
];

/**
 * Probes (once per process, unless `refresh`) which link types and features this kernel has,
 * by creating each inside a throwaway namespace. Without a usable environment, everything is
 * reported absent.
 */
export function probeCapabilities(options: { refresh?: boolean } = {}): DataplaneCapabilities {
  if (capsCache && !options.refresh) return capsCache;
  const environment = probeEnvironment(options);
  const linkTypes = Object.fromEntries(ALL_LINK_TYPES.map((t) => [t, false])) as Record<LinkType, boolean>;
  const features = { [KernelFeature.BRIDGE_VLAN_FILTERING]: false, [KernelFeature.TUN]: false } as Record<KernelFeature, boolean>;
  if (environment.ok) {
    const run = new NetnsRun();
    try {
      const ns = run.createNamespace('cap');
      const tryIp = (args: readonly string[]): boolean => runCommand('ip', ['-n', ns, ...args]).status === 0;
      linkTypes[LinkType.VETH] = tryIp(['link', 'add', 'pv0', 'type', 'veth', 'peer', 'name', 'pv1']);
      for (const [type, args] of LINK_PROBES) {
        const needsParent = args.includes('pv0');
        linkTypes[type] = needsParent && !linkTypes[LinkType.VETH] ? false : tryIp(args);
      }
      features[KernelFeature.BRIDGE_VLAN_FILTERING] = linkTypes[LinkType.BRIDGE]
        && tryIp(['link', 'add', 'pbv0', 'type', 'bridge', 'vlan_filtering', '1']);
      features[KernelFeature.TUN] = tryIp(['tuntap', 'add', 'pt0', 'mode', 'tap']);
    } catch {
      // the environment probe succeeded, so this is unexpected: report everything absent
    } finally {
      run.dispose();
    }
  }
  const tools = { iptables: environment.ok && commandExists('iptables') };
  capsCache = { environment, linkTypes, features, tools };
  return capsCache;
}

/** Kinds of reasons a config cannot run here. */
export enum UnsupportedKind {
  /** Not root, no iproute2, no namespaces. */
  ENVIRONMENT = 'environment',
  /** A plugin binary (main or IPAM) is in none of the search directories. */
  MISSING_PLUGIN = 'missing-plugin',
  /** The kernel lacks a link type a plugin creates. */
  MISSING_LINK_TYPE = 'missing-link-type',
  /** The kernel lacks a feature (bridge VLAN filtering, tun). */
  MISSING_FEATURE = 'missing-feature',
  /** A tool the plugin execs (iptables) is not installed. */
  MISSING_TOOL = 'missing-tool',
  /** The plugin needs something a namespace cannot emulate (PCI devices, a DHCP server, a Kubernetes API). */
  NOT_EMULATED = 'not-emulated',
}

/** Why a config cannot run here. */
export interface Unsupported {
  readonly kind: UnsupportedKind;
  /** A sentence for reports: what is missing and for which plugin. */
  readonly message: string;
  /** Where in the list: `plugins[0]`, `plugins[0].ipam`. */
  readonly path?: string;
  /** The plugin (or IPAM) type concerned. */
  readonly plugin?: string;
  readonly linkType?: LinkType;
  readonly feature?: KernelFeature;
  readonly tool?: string;
  readonly environment?: EnvironmentProblem;
}

/** What a config needs from the machine. */
export interface Requirement {
  readonly path: string;
  readonly plugin: string;
  readonly linkTypes: readonly LinkType[];
  readonly features: readonly KernelFeature[];
  readonly tools: readonly string[];
  /** Set when the plugin cannot be emulated in namespaces at all: why. */
  readonly notEmulated?: string;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positive(v: unknown): boolean {
  return typeof v === 'number' && v > 0;
}

/** What each plugin of a list (and its IPAM) needs from the kernel and the machine, in list order. */
export function requirementsOf(config: unknown, runtime: CapabilityArgs = {}): Requirement[] {
  const list: CniConfigList = toConfigList(config);
  const out: Requirement[] = [];
  list.plugins.forEach((p, i) => {
    const type = String(p.type);
    const at = `plugins[${i}]`;
    const links: LinkType[] = [];
    const features: KernelFeature[] = [];
    const tools: string[] = [];
    let notEmulated: string | undefined;
    switch (type) {
      case 'bridge':
        links.push(LinkType.BRIDGE, LinkType.VETH);
        if (positive(p.vlan) || (Array.isArray(p.vlanTrunk) && p.vlanTrunk.length > 0)) features.push(KernelFeature.BRIDGE_VLAN_FILTERING);
        if (p.ipMasq === true) tools.push('iptables');
        break;
      case 'ptp':
        links.push(LinkType.VETH);
        if (p.ipMasq === true) tools.push('iptables');
        break;
      case 'macvlan': links.push(LinkType.MACVLAN); break;
      case 'ipvlan': links.push(LinkType.IPVLAN); break;
      case 'vlan': links.push(LinkType.VLAN); break;
      case 'dummy': links.push(LinkType.DUMMY); break;
      case 'bond': links.push(LinkType.BOND); break;
      case 'vrf': links.push(LinkType.VRF); break;
      case 'tap': features.push(KernelFeature.TUN); break;
      case 'portmap': case 'firewall': tools.push('iptables'); break;
      case 'bandwidth': {
        const caps = isObject(p.capabilities) ? p.capabilities : {};
        const rtEgress = caps.bandwidth === true && isObject(runtime.bandwidth) && positive(runtime.bandwidth.egressRate);
        if (positive(p.egressRate) || rtEgress) links.push(LinkType.IFB);
        break;
      }
      case 'host-device':
        if (typeof p.device !== 'string' && typeof p.hwaddr !== 'string') {
          notEmulated = 'host-device selects its device by PCI address or kernel path, which needs real hardware';
        }
        break;
      case 'sriov': notEmulated = 'sriov moves an SR-IOV virtual function, which needs a NIC with SR-IOV'; break;
      case 'ovs': notEmulated = 'ovs attaches to an Open vSwitch bridge, which needs ovs-vswitchd on the node'; break;
      default: break;
    }
    out.push({ path: at, plugin: type, linkTypes: links, features, tools, notEmulated });
    if (isObject(p.ipam) && typeof p.ipam.type === 'string' && p.ipam.type !== '') {
      const ipamType = p.ipam.type;
      let ipamNot: string | undefined;
      if (ipamType === 'dhcp') ipamNot = 'dhcp IPAM needs a DHCP daemon and a DHCP server on the attachment\'s segment, which are not emulated';
      if (ipamType === 'whereabouts') ipamNot = 'whereabouts IPAM needs the Kubernetes API for its IP pool';
      out.push({ path: `${at}.ipam`, plugin: ipamType, linkTypes: [], features: [], tools: [], notEmulated: ipamNot });
    }
  });
  return out;
}

/** Options of {@link unsupportedReasons}. */
export interface UnsupportedOptions {
  /**
   * Directories searched for plugin binaries.
   * @default DEFAULT_CNI_PATH
   */
  readonly searchPath?: readonly string[];
  /**
   * What the machine has.
   * @default - probed ({@link probeCapabilities})
   */
  readonly capabilities?: DataplaneCapabilities;
  /**
   * The capability arguments the config will run with (bandwidth from runtimeConfig needs ifb).
   * @default - none
   */
  readonly runtime?: CapabilityArgs;
}

/**
 * Every reason the config cannot run on this machine, most basic first: the environment, then
 * per plugin a missing binary, a missing link type / feature / tool, and what namespaces cannot
 * emulate. Empty when it can run.
 */
export function unsupportedReasons(config: unknown, options: UnsupportedOptions = {}): Unsupported[] {
  const searchPath = options.searchPath ?? DEFAULT_CNI_PATH;
  const reqs = requirementsOf(config, options.runtime);
  const out: Unsupported[] = [];
  const caps = options.capabilities ?? probeCapabilities();
  if (!caps.environment.ok) {
    out.push({
      kind: UnsupportedKind.ENVIRONMENT,
      environment: caps.environment.problem,
      message: caps.environment.reason ?? 'the environment cannot run plugins',
    });
  }
  for (const r of reqs) {
    if (!findPluginBinary(r.plugin, searchPath)) {
      out.push({
        kind: UnsupportedKind.MISSING_PLUGIN, path: r.path, plugin: r.plugin,
        message: `plugin binary ${JSON.stringify(r.plugin)} (${r.path}) is not in ${searchPath.join(':')}`,
      });
    }
  }
  if (!caps.environment.ok) return out;
  for (const r of reqs) {
    for (const t of r.linkTypes) {
      if (!caps.linkTypes[t]) {
        out.push({
          kind: UnsupportedKind.MISSING_LINK_TYPE, path: r.path, plugin: r.plugin, linkType: t,
          message: `the kernel has no ${t} links, which ${r.plugin} (${r.path}) creates`,
        });
      }
    }
    for (const f of r.features) {
      if (!caps.features[f]) {
        out.push({
          kind: UnsupportedKind.MISSING_FEATURE, path: r.path, plugin: r.plugin, feature: f,
          message: `the kernel has no ${f}, which ${r.plugin} (${r.path}) needs here`,
        });
      }
    }
    for (const t of r.tools) {
      if (!caps.tools[t]) {
        out.push({
          kind: UnsupportedKind.MISSING_TOOL, path: r.path, plugin: r.plugin, tool: t,
          message: `${t} is not installed, which ${r.plugin} (${r.path}) runs`,
        });
      }
    }
    if (r.notEmulated) {
      out.push({ kind: UnsupportedKind.NOT_EMULATED, path: r.path, plugin: r.plugin, message: r.notEmulated });
    }
  }
  return out;
}

/** The first reason the config cannot run here, or undefined when it can. */
export function unsupportedReason(config: unknown, options: UnsupportedOptions = {}): Unsupported | undefined {
  return unsupportedReasons(config, options)[0];
}

/** Forgets the cached probes (tests). */
export function resetCapabilityCache(): void {
  envCache = undefined;
  capsCache = undefined;
}
