import { Cidr, IpAddress } from '../addressing/ip';
import { canonicalMac } from '../addressing/mac';
import { CniCapability } from '../cni/common';
import { CniConfig } from '../cni/config';
import { AddressingMode, IpamAddressing, poolCapacity } from '../cni/ipam';
import { Problem, ProblemSink, Severity, joinField } from '../cni/problem';
import { ChainTypes, UndeclaredRequest, undeclaredRequest } from '../multus/cni-args';
import { hostAddressProblem } from '../multus/host-address';
import { DNS1123_LABEL, NetworkSelectionElement, selectionElementProblems } from '../multus/selection-element';
import {
  DefaultRouteSources, defaultRouteProblems, emptyDefaultRouteProblem, ipamDefaultRouteFamilies, newDefaultRouteSources, recordDefaultRouteRequest, recordIpamDefaultRoutes,
} from './default-routes';
import { deviceSourceProblems, needsDevice, ovnKubernetesIpsProblem } from './network-rules';
import { HostLocalUse, hostLocalStore, sharedRangeConflicts } from './host-local-stores';
import { segmentOfConfig } from './segment';

/**
 * Whole-topology checks over plain data: networks (NADs) and the pods that attach to them. The
 * constructs build this data from the construct tree; the command line builds it from YAML.
 * Every check is linear or n log n in the number of attachments: lookups go through maps keyed
 * by network and address, never through pairwise loops.
 *
 * One rulebook for synth and lint, with what the real Multus 4.3.0 and the plugins do as its
 * reference (test/rulebook/multus-evidence.test.ts): requests without a declared capability
 * (lib/multus/cni-args.ts), default routes (./default-routes.ts), host addresses
 * (lib/multus/host-address.ts), device sources of NADs (./network-rules.ts), and addresses and
 * MACs unique per address space or L2 segment (./segment.ts), one host-local store per range of a
 * segment (./host-local-stores.ts). test/rulebook/ holds the tests that
 * synth output passes lint and that lint flags what the constructs refuse.
 */

/** A network a pod can attach to: one NetworkAttachmentDefinition. */
export interface TopologyNetwork {
  readonly name: string;
  readonly namespace: string;
  /** The typed config, when known (undefined for node-file or external NADs). */
  readonly config?: CniConfig;
  /** The device-plugin resource (NAD `resourceName` annotation). */
  readonly resourceName?: string;
  /** Where it is declared (construct path, or file and object). */
  readonly path?: string;
  /** Declared as existing outside the App: references to it are not checked further. */
  readonly external?: boolean;
  /**
   * NADs that share one address space (e.g. the per-namespace NADs derived from one logical
   * network) carry the same key; static addresses must be unique across it.
   * @default - `namespace/name`
   */
  readonly addressSpace?: string;
  /** Subnets declared by a logical network, added to those the IPAM config names. @default - none */
  readonly subnets?: readonly Cidr[];
  /** Gateways declared by a logical network. @default - none */
  readonly gateways?: readonly IpAddress[];
}

/** Pods that share one template: a Pod, or the pods of a Deployment, StatefulSet or DaemonSet. */
export interface TopologyPod {
  readonly name: string;
  readonly namespace: string;
  /** Where it is declared. */
  readonly path?: string;
  /**
   * How many pods run this template.
   * @default - unknown (a DaemonSet: one per node)
   */
  readonly replicas?: number;
  /** The additional networks, in annotation order. */
  readonly attachments: readonly NetworkSelectionElement[];
  /**
   * The attachments were each checked on their own already (`selectionElementProblems`), e.g. by
   * the construct that made them, so the whole-topology check does not repeat it.
   * @default false
   */
  readonly attachmentsChecked?: boolean;
  /** The `v1.multus-cni.io/default-network` override. */
  readonly defaultNetwork?: NetworkSelectionElement;
  /** Extended resources requested by the containers, summed (e.g. `intel.com/sriov`: 2). */
  readonly resourceRequests?: Readonly<Record<string, number>>;
  /**
   * The namespace Multus looks up the default-network override in.
   * @default kube-system
   */
  readonly multusNamespace?: string;
}

/** What the checks see. */
export interface Topology {
  readonly networks: readonly TopologyNetwork[];
  readonly pods: readonly TopologyPod[];
}

const CAPABILITY_OF: readonly [keyof NetworkSelectionElement, CniCapability][] = [
  ['ips', CniCapability.IPS],
  ['mac', CniCapability.MAC],
  ['portMappings', CniCapability.PORT_MAPPINGS],
  ['bandwidth', CniCapability.BANDWIDTH],
  ['infiniband-guid', CniCapability.INFINIBAND_GUID],
];

interface Resolved {
  readonly network: TopologyNetwork;
  readonly addressing?: IpamAddressing;
  readonly subnets: Cidr[];
  readonly gateways: IpAddress[];
  /** Whether the config declares each capability of CAPABILITY_OF (same order), asked once per network. */
  readonly declared: readonly boolean[];
  /** Whether it declares every one of them (nothing to check per attachment). */
  readonly declaresAll: boolean;
  /** The address space: `addressSpace`, else `namespace/name` (pool use is summed over it). */
  readonly space: string;
  /**
   * Where addresses and MACs must be unique: `addressSpace`, else the L2 segment the config names
   * (segmentOfConfig: the NADs of one bridge or uplink, whatever their names), else `namespace/name`.
   */
  readonly uniqueIn: string;
  /** Static addresses of `uniqueIn` so far, by `IpAddress.key`, to the index of their owner in `ownerRefs`. */
  readonly ipOwners: Map<number | bigint, number>;
  /** The families of the default routes its IPAM hands out (bits: 1 IPv4, 2 IPv6). */
  readonly ipamDefaultRoutes: number;
  /** The plugin and IPAM types of the chain, for requests without a declared capability. */
  readonly chain: ChainTypes;
  /** Whether its plugin cannot work without the device of its resourceName (sriov, host-device without a device). */
  readonly needsDevice: boolean;
  /** Why `ips` cannot be requested on it (an OVN-K network with subnets), or undefined. */
  readonly ovnIps?: { readonly message: string; readonly fix: string };
}

function networkKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** A problem with the path of the object at fault (none when the path is empty). */
function located(p: Problem, path: string): Problem {
  return path ? { ...p, path } : p;
}

/** An error, shaped as `ProblemSink.error` records it. */
function error(field: string, message: string, value: unknown, fix: string): Problem {
  return { field, message, value, fix, severity: Severity.ERROR };
}

/** Records an error of attachment `i` of a pod: `attachments[i].<field>`, with the pod's path. */
function attachmentError(problems: Problem[], path: string, i: number, field: string, message: string, value: unknown, fix: string): void {
  problems.push(located(error(joinField(`attachments[${i}]`, field), message, value, fix), path));
}

function isGateway(gateways: readonly IpAddress[], ip: IpAddress): boolean {
  for (const g of gateways) if (g.equals(ip)) return true;
  return false;
}

/** What the attachment checks share across the pods of one `checkTopology` run. */
interface Checks {
  readonly problems: Problem[];
  readonly networks: ReadonlyMap<string, Resolved>;
  readonly macOwners: Map<string, number>;
  /**
   * Owners of addresses and MACs as (pod path, interface) pairs; the maps above hold the index of
   * a pair, so an owner's text is built only when a second attachment claims the address.
   */
  readonly ownerRefs: string[];
  readonly poolUse: Map<string, { network: Resolved; replicas: number; unknown: boolean }>;
}

/** The state of the pod being checked. */
interface PodChecks {
  readonly pod: TopologyPod;
  /** The pod's path, carried by each of its problems. */
  readonly where: string;
  ifnames?: Map<string, number>;
  /** Default-route sources, made when the first one is seen. */
  defaultRoutes?: DefaultRouteSources;
  /** The network of each attachment that resolved (for the default-route messages). */
  resolvedAt?: Map<number, Resolved>;
  resourceUse?: Map<string, number>;
  /** The resources of `resourceUse` that some attachment's plugin cannot work without. */
  devicesNeeded?: Set<string>;
}

function ownerText(c: Checks, k: number): string {
  return `${c.ownerRefs[k]} (${c.ownerRefs[k + 1]})`;
}

/**
 * Checks attachment `i` of a pod. A function of its own, called once per attachment: it is
 * compiled after a few calls, where the same code inline in the pod loop would run interpreted
 * until the loop is replaced on the stack (most of a run of a few thousand attachments). The
 * per-address, MAC and route checks are functions of their own too: small functions reach
 * optimized code sooner, and the common path stays short.
 */
function checkAttachment(c: Checks, st: PodChecks, el: NetworkSelectionElement, i: number): void {
  if (!st.pod.attachmentsChecked) {
    for (const p of selectionElementProblems(el)) c.problems.push(located({ ...p, field: joinField(`attachments[${i}]`, p.field) }, st.where));
  }
  const ns = el.namespace ?? st.pod.namespace;
  const ifname = el.interface ?? `net${i + 1}`;
  const prev = st.ifnames?.get(ifname);
  if (prev !== undefined) {
    attachmentError(c.problems, st.where, i, 'interface', `is used twice in the pod (also by attachment ${prev})`, ifname, 'give every attachment of a pod its own interface name');
  } else {
    (st.ifnames ??= new Map()).set(ifname, i);
  }
  const dr = el['default-route'];
  if (dr !== undefined) {
    const empty = emptyDefaultRouteProblem(el, i);
    if (empty) c.problems.push(located(empty, st.where));
    recordDefaultRouteRequest(st.defaultRoutes ??= newDefaultRouteSources(), el, i);
  }

  const resolved = c.networks.get(networkKey(ns, el.name));
  if (!resolved) {
    attachmentError(c.problems, st.where, i, 'name', `does not resolve to a NetworkAttachmentDefinition of the App in namespace ${ns}`, el.name,
      el.namespace === undefined
        ? `create it in namespace ${ns}, give the attachment the namespace of the NAD, or declare it as an external network`
        : `create it in namespace ${ns}, or declare it as an external network`);
    return;
  }
  const net = resolved.network;
  if (net.external || !net.config) return;
  if (resolved.ipamDefaultRoutes !== 0) {
    recordIpamDefaultRoutes(st.defaultRoutes ??= newDefaultRouteSources(), i, resolved.ipamDefaultRoutes);
  }
  if (st.defaultRoutes) (st.resolvedAt ??= new Map()).set(i, resolved);

  if (!resolved.declaresAll) checkCapabilities(c, st, el, i, resolved);
  if (el.ips !== undefined && resolved.ovnIps) attachmentError(c.problems, st.where, i, 'ips', resolved.ovnIps.message, el.ips, resolved.ovnIps.fix);
  if (net.resourceName) {
    st.resourceUse ??= new Map();
    st.resourceUse.set(net.resourceName, (st.resourceUse.get(net.resourceName) ?? 0) + 1);
    if (resolved.needsDevice) (st.devicesNeeded ??= new Set()).add(net.resourceName);
  }

  const replicas = st.pod.replicas;
  const addressing = resolved.addressing;
  // malformed values (a scalar 'ips', a numeric 'mac') are reported by selectionElementProblems
  const ips = el.ips;
  if (Array.isArray(ips) && ips.length > 0) {
    if (replicas === undefined || replicas > 1) {
      attachmentError(c.problems, st.where, i, 'ips', `is a static address on ${replicas === undefined ? 'a pod per node' : `${replicas} replicas`}, which would all claim it`, ips,
        'use per-replica addressing (one address per replica), or a pool IPAM (host-local, whereabouts) without static ips');
    }
    for (let j = 0; j < ips.length; j++) checkStaticAddress(c, st, i, ifname, resolved, ips[j], j);
  } else if (addressing?.mode === AddressingMode.POOL) {
    const use = c.poolUse.get(resolved.space) ?? { network: resolved, replicas: 0, unknown: false };
    if (replicas === undefined) use.unknown = true;
    else use.replicas += replicas;
    c.poolUse.set(resolved.space, use);
  }
  if (addressing?.mode === AddressingMode.STATIC && !ips) {
    if (addressing.staticAddresses.length === 0) {
      attachmentError(c.problems, st.where, i, 'name', `selects ${net.namespace}/${net.name}, whose static IPAM has no addresses, and requests none, so the plugin fails ('IPAM plugin returned missing IP config')`, el.name,
        'request the pod\'s addresses with ips, or write the address into the NAD');
    } else {
      if (replicas === undefined || replicas > 1) {
        attachmentError(c.problems, st.where, i, 'name', `is a network with fixed addresses in its config (static IPAM), shared by ${replicas === undefined ? 'a pod per node' : `${replicas} replicas`}`, el.name,
          'request per-pod addresses with ips (static IPAM with the ips capability), or use a pool IPAM');
      }
      checkBakedAddresses(c, st, i, ifname, resolved, addressing.staticAddresses);
    }
  }
  if (typeof el.mac === 'string' && el.mac !== '') checkMac(c, st, i, ifname, resolved, el.mac);
  if (Array.isArray(dr) && dr.length > 0 && resolved.subnets.length > 0) checkDefaultRoute(c, st, i, resolved, dr);
}

/**
 * The addresses baked into a NAD's static IPAM, claimed by every pod that attaches to it: a second
 * claim (another workload, or another NAD of the same segment or address space with the same
 * address) is two interfaces with one address on one wire.
 */
function checkBakedAddresses(c: Checks, st: PodChecks, i: number, ifname: string, resolved: Resolved, baked: IpamAddressing['staticAddresses']): void {
  const owners = resolved.ipOwners;
  for (const { address } of baked) {
    const ip = address.address;
    const owner = owners.get(ip.key);
    if (owner !== undefined) {
      attachmentError(c.problems, st.where, i, 'name', `is a network with the address ${address} in its config, which ${ownerText(c, owner)} uses already`, resolved.network.name,
        'give each pod its own address: one NAD per interface with its address, or per-pod addresses with ips');
    } else {
      owners.set(ip.key, c.ownerRefs.length);
      c.ownerRefs.push(st.where, ifname);
    }
  }
}

/**
 * The requests of an attachment whose capability its network's chain does not declare: lost (an
 * error), or arriving another way (`ips`/`mac` as CNI_ARGS, Multus's deprecated path: a warning
 * that says so; read from the annotation by the plugin itself: nothing to say).
 */
function checkCapabilities(c: Checks, st: PodChecks, el: NetworkSelectionElement, i: number, resolved: Resolved): void {
  const net = resolved.network;
  for (let k = 0; k < CAPABILITY_OF.length; k++) {
    const key = CAPABILITY_OF[k][0];
    const cap = CAPABILITY_OF[k][1];
    const value = el[key];
    if (value === undefined || resolved.declared[k]) continue;
    const way = undeclaredRequest(key, resolved.chain, Array.isArray(value) ? value.length : 1);
    if (way === UndeclaredRequest.ANNOTATION) continue;
    if (way === UndeclaredRequest.CNI_ARGS) {
      const arg = key === 'ips' ? `IP=${(value as readonly string[]).join(',')}` : `MAC=${String(value)}`;
      c.problems.push(located({
        field: joinField(`attachments[${i}]`, key),
        message: `reaches ${net.namespace}/${net.name} only as ${arg} in CNI_ARGS, Multus's deprecated path (still working in Multus 4.3.0), because no plugin declares the '${cap}' capability`,
        value, fix: `declare "capabilities": {"${cap}": true} on the plugin that reads it, so that it arrives as runtimeConfig.${cap}`, severity: Severity.WARNING,
      }, st.where));
      continue;
    }
    attachmentError(c.problems, st.where, i, key, `is requested but no plugin of ${net.namespace}/${net.name} declares the '${cap}' capability, so Multus drops it`, value,
      `declare "capabilities": {"${cap}": true} on the plugin that reads it`);
  }
}

/** Static address `j` of attachment `i`: its prefix, subnet, allocation range and owner. */
function checkStaticAddress(c: Checks, st: PodChecks, i: number, ifname: string, resolved: Resolved, text: string, j: number): void {
  const cidr = Cidr.tryParse(text);
  const ip = cidr?.address ?? IpAddress.tryParse(text);
  if (!ip) return; // reported by selectionElementProblems
  const net = resolved.network;
  // one report per address: the allocation-range check only runs when the checks above pass
  const before = c.problems.length;
  if (!cidr && resolved.addressing?.mode === AddressingMode.STATIC) {
    // cni-plugins.md §4 case 77: static IPAM needs the prefix on requested addresses
    attachmentError(c.problems, st.where, i, `ips[${j}]`, `has no prefix, which the static IPAM of ${net.name} rejects`, text,
      `write it in CIDR notation, e.g. ${ip}/${resolved.subnets.find((sn) => sn.contains(ip))?.prefix ?? (ip.bits === 32 ? 24 : 64)}`);
  }
  const subnets = resolved.subnets;
  if (subnets.length > 0) {
    let subnet: Cidr | undefined;
    for (let k = 0; k < subnets.length; k++) {
      if (subnets[k].contains(ip)) {
        subnet = subnets[k];
        break;
      }
    }
    if (!subnet) {
      attachmentError(c.problems, st.where, i, `ips[${j}]`, `is outside the subnets of ${net.name} (${subnets.join(', ')})`, text, 'pick an address inside the network\'s subnet');
    } else if (hostAddressProblem(ip, subnet)) {
      // one rule with the addresses baked into static IPAM (lib/multus/host-address.ts)
      const p = hostAddressProblem(ip, subnet)!;
      c.problems.push(located({ field: joinField(`attachments[${i}]`, `ips[${j}]`), message: p.message, value: text, fix: p.fix, severity: p.severity }, st.where));
    } else if (isGateway(resolved.gateways, ip)) {
      attachmentError(c.problems, st.where, i, `ips[${j}]`, `is the gateway of ${net.name}`, text, 'pick an address other than the gateway');
    }
    // a narrower prefix (a /32 or /128 secondary address) is a host route on the interface; only a
    // wider one claims more than the network's subnet
    if (cidr && subnet && cidr.prefix < subnet.prefix) {
      attachmentError(c.problems, st.where, i, `ips[${j}]`, `has prefix /${cidr.prefix} but the subnet is ${subnet}`, text, `write it as ${ip}/${subnet.prefix}`);
    }
  }
  if (c.problems.length === before && resolved.addressing?.mode === AddressingMode.POOL && !resolved.addressing.pools.some((p) => p.start.compare(ip) <= 0 && ip.compare(p.end) <= 0)) {
    attachmentError(c.problems, st.where, i, `ips[${j}]`, `is outside every allocation range of ${net.name}, so host-local cannot hand it out`, text, 'pick an address between rangeStart and rangeEnd');
  }
  const owners = resolved.ipOwners;
  const ipKey = ip.key;
  const owner = owners.get(ipKey);
  if (owner !== undefined) {
    attachmentError(c.problems, st.where, i, `ips[${j}]`, `is already used on ${net.name} by ${ownerText(c, owner)}`, text, 'give every attachment of a network its own address');
  } else {
    owners.set(ipKey, c.ownerRefs.length);
    c.ownerRefs.push(st.where, ifname);
  }
}

/** A fixed MAC: replicas and owner. */
function checkMac(c: Checks, st: PodChecks, i: number, ifname: string, resolved: Resolved, mac: string): void {
  const replicas = st.pod.replicas;
  if (replicas === undefined || replicas > 1) {
    attachmentError(c.problems, st.where, i, 'mac', `is a fixed MAC on ${replicas === undefined ? 'a pod per node' : `${replicas} replicas`}`, mac, 'use per-replica addressing, or let the plugin pick MACs');
  }
  const macKey = `${resolved.uniqueIn}|${canonicalMac(mac)}`;
  const owner = c.macOwners.get(macKey);
  if (owner !== undefined) {
    attachmentError(c.problems, st.where, i, 'mac', `is already used on ${resolved.network.name} by ${ownerText(c, owner)}`, mac, 'give every interface of a network its own MAC');
  } else {
    c.macOwners.set(macKey, c.ownerRefs.length);
    c.ownerRefs.push(st.where, ifname);
  }
}

/** Default-route gateways must lie on the attached subnets. */
function checkDefaultRoute(c: Checks, st: PodChecks, i: number, resolved: Resolved, dr: readonly string[]): void {
  dr.forEach((g, j) => {
    const gw = IpAddress.tryParse(g);
    if (gw && !resolved.subnets.some((sn) => sn.contains(gw))) {
      attachmentError(c.problems, st.where, i, `default-route[${j}]`, `is outside the subnets of ${resolved.network.name} (${resolved.subnets.join(', ')})`, g, 'route through a gateway on the attached subnet');
    }
  });
}

/**
 * Whether a plugin the library does not know (UncheckedPlugin, written as given) declares a
 * capability in the JSON it writes: what Multus reads.
 */
function writtenCapability(config: CniConfig | undefined, cap: CniCapability): boolean {
  if (!config) return false;
  for (const p of config.plugins) {
    if (!p.unchecked) continue;
    const caps = p.toJson().capabilities;
    if (typeof caps === 'object' && caps !== null && !Array.isArray(caps) && (caps as Record<string, unknown>)[cap] === true) return true;
  }
  return false;
}

/**
 * Two host-local networks of one segment whose ranges overlap while host-local keeps their
 * allocations in different stores (./host-local-stores.ts): an error on the later one.
 */
function sharedRangeProblems(all: readonly TopologyNetwork[], segment: string, uses: readonly HostLocalUse[], problems: Problem[]): void {
  const storeOf = new Map(uses.map((u) => [u.index, u.store]));
  for (const [later, earlier, pool] of sharedRangeConflicts(uses)) {
    const n = all[later];
    const o = all[earlier];
    problems.push({
      field: 'ipam',
      message: `overlaps the host-local range of ${networkKey(o.namespace, o.name)} on the same segment (${segment}), but host-local keeps their allocations apart `
        + `(${storeOf.get(later)} and ${storeOf.get(earlier)}), so pods of the two get the same address on a node`,
      value: `${pool.start}-${pool.end}`,
      fix: 'give both configs one CNI name (one store), disjoint ranges (rangeStart, rangeEnd), or a cluster-wide IPAM such as whereabouts',
      severity: Severity.ERROR,
      path: n.path ?? networkKey(n.namespace, n.name),
    });
  }
}

/** Runs every whole-topology check; problems carry the path of the object at fault. */
export function checkTopology(topology: Topology): Problem[] {
  // callers without a type checker: the two lists must be there (their elements are built by the library's readers)
  const given = topology as unknown as { networks?: unknown; pods?: unknown } | null;
  if (typeof given !== 'object' || given === null || !Array.isArray(given.networks) || !Array.isArray(given.pods)) {
    const sink = new ProblemSink();
    sink.error('topology', 'must be an object with the lists networks and pods', topology, 'pass { networks: [...], pods: [...] } as built by the constructs or the manifest reader');
    return sink.problems;
  }
  const problems: Problem[] = [];
  const push = (path: string | undefined, sink: ProblemSink) => {
    for (const p of sink.problems) problems.push(path ? { ...p, path } : p);
  };

  // networks by key, with their addressing computed once
  const networks = new Map<string, Resolved>();
  const spaces = new Map<string, Map<number | bigint, number>>();
  // host-local networks of a known segment or address space, by it (allocated on the first)
  let hostLocal: Map<string, { label: string; uses: HostLocalUse[] }> | undefined;
  let networkIndex = -1;
  for (const n of topology.networks) {
    networkIndex++;
    const sink = new ProblemSink();
    if (!DNS1123_LABEL.test(n.name) || n.name.length > 63) {
      sink.error('metadata.name', 'is not a DNS-1123 label, so pods cannot select it', n.name, 'use lowercase letters, digits and "-", at most 63 characters');
    }
    const key = networkKey(n.namespace, n.name);
    if (networks.has(key)) {
      sink.error('metadata.name', `is declared twice in namespace ${n.namespace}`, n.name, 'give each NetworkAttachmentDefinition of a namespace its own name');
    } else {
      const addressing = n.config?.main?.ipam?.addressing();
      const subnets: Cidr[] = [...(n.subnets ?? [])];
      const gateways: IpAddress[] = [...(n.gateways ?? [])];
      for (const pool of addressing?.pools ?? []) {
        if (!subnets.some((c) => c.toString() === pool.subnet.toString())) subnets.push(pool.subnet);
        if (pool.gateway) gateways.push(pool.gateway);
      }
      for (const s of addressing?.staticAddresses ?? []) {
        subnets.push(s.address.canonical);
        if (s.gateway) gateways.push(s.gateway);
      }
      const config = n.config;
      const declared = CAPABILITY_OF.map(([, cap]) => (config?.declares(cap) ?? false) || writtenCapability(config, cap));
      const space = n.addressSpace ?? key;
      const uniqueIn = n.addressSpace ?? segmentOfConfig(config) ?? key;
      // one owner map per address space or segment, shared by the NADs of one logical network or wire
      let ipOwners = spaces.get(uniqueIn);
      if (!ipOwners) spaces.set(uniqueIn, ipOwners = new Map());
      const plugins = config?.plugins ?? [];
      const chain: ChainTypes = { plugins: plugins.map((p) => p.type), ipams: plugins.map((p) => p.ipam?.type).filter((t): t is string => t !== undefined) };
      networks.set(key, {
        network: n, addressing, subnets, gateways, declared, declaresAll: declared.every((d) => d), space, uniqueIn, ipOwners,
        ipamDefaultRoutes: ipamDefaultRouteFamilies(addressing?.routes), chain, ovnIps: ovnKubernetesIpsProblem(config), needsDevice: needsDevice(config),
      });
      if (!n.external) sink.addAll(deviceSourceProblems(config, n.resourceName));
      if (uniqueIn !== key && addressing && addressing.pools.length > 0) {
        const store = hostLocalStore(config, n.name);
        if (store !== undefined) {
          hostLocal ??= new Map();
          let group = hostLocal.get(uniqueIn);
          if (!group) {
            // named by the wire its config names where it does (a logical network's key otherwise)
            const label = n.addressSpace === undefined ? uniqueIn : segmentOfConfig(config) ?? `the address space ${n.addressSpace}`;
            hostLocal.set(uniqueIn, group = { label, uses: [] });
          }
          group.uses.push({ index: networkIndex, store, pools: addressing.pools });
        }
      }
    }
    push(n.path, sink);
  }
  if (hostLocal) for (const { label, uses } of hostLocal.values()) sharedRangeProblems(topology.networks, label, uses, problems);

  const c: Checks = {
    problems,
    networks,
    macOwners: new Map(),
    ownerRefs: [],
    poolUse: new Map(),
  };
  const poolUse = c.poolUse;

  // problems of a pod go straight into `problems`, in the order they are found, with the pod's
  // path; field strings (`attachments[i].ips[j]`) are built only when a problem is reported
  for (const pod of topology.pods) {
    const where = pod.path ?? `${pod.namespace}/${pod.name}`;
    const st: PodChecks = { pod, where };
    const attachments = pod.attachments;
    for (let i = 0; i < attachments.length; i++) checkAttachment(c, st, attachments[i], i);
    const resourceUse = st.resourceUse;

    if (st.defaultRoutes) {
      const resolvedAt = st.resolvedAt;
      for (const p of defaultRouteProblems(st.defaultRoutes, (k) => attachments[k].name, (k) => attachments[k]['default-route'] ?? [],
        (k, g) => {
          const gw = IpAddress.tryParse(g);
          return !!gw && !!resolvedAt?.get(k) && isGateway(resolvedAt.get(k)!.gateways, gw);
        })) problems.push(located(p, where));
    }
    if (resourceUse) {
      for (const [resource, count] of resourceUse) {
        const requested = pod.resourceRequests?.[resource] ?? 0;
        if (requested >= count) continue;
        if (st.devicesNeeded?.has(resource)) {
          problems.push(located(error(`resources.${resource}`, `is requested ${requested} time(s) but ${count} attachment(s) need a device from it`, requested,
            `request ${count} of ${resource} in the pod's containers (requests and limits)`), where));
        } else {
          // Multus goes on without a device; the plugins of these NADs do not need one
          problems.push(located({
            field: `resources.${resource}`,
            message: `is requested ${requested} time(s) but ${count} attachment(s) name it: their plugins work without its device, but the scheduler may place the pod on a node that lacks the resource`,
            value: requested, fix: `request ${count} of ${resource} in the pod's containers (or let the network-resources-injector add it)`, severity: Severity.WARNING,
          }, where));
        }
      }
    }
    if (pod.defaultNetwork) {
      const sink = new ProblemSink();
      const s = sink.child('defaultNetwork');
      s.addAll(selectionElementProblems(pod.defaultNetwork));
      const ns = pod.defaultNetwork.namespace ?? pod.multusNamespace ?? 'kube-system';
      if (!networks.has(networkKey(ns, pod.defaultNetwork.name))) {
        s.error('name', `does not resolve to a NetworkAttachmentDefinition of the App in namespace ${ns}`, pod.defaultNetwork.name,
          `create it in namespace ${ns} (Multus looks the default network up in its own namespace), or declare it as an external network`);
      }
      push(where, sink);
    }
  }

  for (const [space, use] of poolUse) {
    const capacity = use.network.addressing ? poolCapacity(use.network.addressing) : undefined;
    if (capacity === undefined || use.replicas === 0 || BigInt(use.replicas) <= capacity) continue;
    const n = use.network.network;
    const clusterWide = use.network.addressing?.clusterWide ?? false;
    problems.push({
      field: 'ipam',
      message: `can hand out ${capacity} address(es) but ${use.replicas} pods attach to ${space}${clusterWide ? '' : ' (host-local allocates per node, so this holds only if they spread)'}`,
      value: use.replicas,
      fix: 'widen the range or subnet, or run fewer replicas',
      severity: clusterWide ? Severity.ERROR : Severity.WARNING,
      path: n.path ?? networkKey(n.namespace, n.name),
    });
  }
  return problems;
}
