import { Cidr, IpFamily } from '../addressing/ip';
import { Problem, ProblemSink } from '../cni/problem';

/**
 * OVN-Kubernetes user-defined networks (`k8s.ovn.org/v1`): `UserDefinedNetwork` (namespaced;
 * Layer2, Layer3) and `ClusterUserDefinedNetwork` (namespaces by selector; Layer2, Layer3,
 * Localnet), as plain data, and the rules of their CRDs (the kubebuilder markers of
 * ovn-org/ovn-kubernetes `go-controller/pkg/crd/userdefinednetwork/v1`, shared.go and cudn.go),
 * including those its CRDs leave as TODO (IPv6 MTU, CIDR families, overlap).
 */

export const UDN_API_VERSION = 'k8s.ovn.org/v1';

/** The namespace label a primary UDN needs, set when the namespace is created. */
export const PRIMARY_UDN_NAMESPACE_LABEL = 'k8s.ovn.org/primary-user-defined-network';

export enum UdnTopology {
  LAYER2 = 'Layer2',
  LAYER3 = 'Layer3',
  /** ClusterUserDefinedNetwork only: a physical network through an OVS bridge mapping. */
  LOCALNET = 'Localnet',
}

export enum UdnRole {
  PRIMARY = 'Primary',
  SECONDARY = 'Secondary',
}

export enum UdnIpamMode {
  ENABLED = 'Enabled',
  /** OVN-Kubernetes assigns MAC addresses only; pods' addresses come from elsewhere (`ips`, DHCP). */
  DISABLED = 'Disabled',
}

const MTU_MIN = 576;
const MTU_MAX = 65536;
const MTU_MIN_IPV6 = 1280;

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a list of CIDRs (at most two, one per family), reporting under `field`. */
function dualStack(list: unknown, field: string, s: ProblemSink, max = 2): Cidr[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length === 0) {
    s.error(field, 'is not a non-empty list of CIDRs', list, 'list one subnet per IP family, e.g. ["10.1.0.0/16"]');
    return [];
  }
  if (list.length > max) s.error(field, `holds ${list.length} CIDRs, more than ${max}`, list, max === 2 ? 'give one IPv4 and one IPv6 subnet at most' : `keep at most ${max}`);
  const out: Cidr[] = [];
  list.forEach((t, i) => {
    const c = typeof t === 'string' ? Cidr.tryParse(t) : undefined;
    if (!c) s.error(`${field}[${i}]`, 'is not a CIDR', t, 'write a prefix such as 10.1.0.0/16');
    else out.push(c);
  });
  if (max === 2 && out.length === 2 && out[0].family === out[1].family) {
    s.error(field, 'holds two CIDRs of one IP family', list, 'give one IPv4 and one IPv6 subnet');
  }
  return out;
}

function checkMtu(cfg: Record<string, any>, subnets: readonly Cidr[], s: ProblemSink): void {
  const mtu = cfg.mtu;
  if (mtu === undefined) return;
  if (typeof mtu !== 'number' || !Number.isInteger(mtu) || mtu < MTU_MIN || mtu > MTU_MAX) {
    s.error('mtu', `is not a whole number from ${MTU_MIN} to ${MTU_MAX}`, mtu, 'write an MTU such as 1400');
  } else if (mtu < MTU_MIN_IPV6 && subnets.some((c) => c.family === IpFamily.IPV6)) {
    s.error('mtu', `is below ${MTU_MIN_IPV6} with an IPv6 subnet`, mtu, `use ${MTU_MIN_IPV6} or more (IPv6's minimum link MTU)`);
  }
}

function checkOverlaps(named: readonly [string, Cidr][], s: ProblemSink): void {
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) {
      if (named[i][1].overlaps(named[j][1])) {
        s.error(named[j][0], `overlaps ${named[i][0]} (${named[i][1]})`, named[j][1].toString(), 'give each subnet of the network its own range');
      }
    }
  }
}

function checkRole(cfg: Record<string, any>, s: ProblemSink, allowed: readonly UdnRole[]): UdnRole | undefined {
  const role = cfg.role;
  if (!allowed.includes(role)) {
    s.error('role', `is not ${allowed.join(' or ')}`, role, allowed.length === 1 ? `write role: ${allowed[0]}` : 'write role: Primary (every pod of the namespace) or Secondary (pods that select it)');
    return undefined;
  }
  return role;
}

function checkIpam(cfg: Record<string, any>, subnets: readonly Cidr[], s: ProblemSink, subnetsNeeded: boolean): void {
  const ipam = cfg.ipam;
  if (ipam !== undefined && !isObject(ipam)) {
    s.error('ipam', 'is not an object', ipam, 'write ipam: { mode: Enabled } or { mode: Disabled }');
    return;
  }
  const mode = ipam?.mode ?? UdnIpamMode.ENABLED;
  if (mode !== UdnIpamMode.ENABLED && mode !== UdnIpamMode.DISABLED) s.error('ipam.mode', 'is neither Enabled nor Disabled', mode, 'write Enabled or Disabled');
  if (mode === UdnIpamMode.DISABLED && cfg.subnets !== undefined) {
    s.error('subnets', 'are set with ipam.mode Disabled', cfg.subnets, 'remove the subnets, or enable IPAM');
  }
  if (mode === UdnIpamMode.ENABLED && subnetsNeeded && subnets.length === 0 && cfg.subnets === undefined) {
    s.error('subnets', 'are required with ipam.mode Enabled (or unset)', undefined, 'give the network a subnet, or set ipam.mode Disabled');
  }
  if (ipam?.lifecycle !== undefined) {
    if (ipam.lifecycle !== 'Persistent') s.error('ipam.lifecycle', 'is not Persistent', ipam.lifecycle, 'write Persistent, or remove it');
    else if (mode !== UdnIpamMode.ENABLED || subnets.length === 0) s.error('ipam.lifecycle', 'is Persistent without OVN-Kubernetes IPAM (subnets, mode Enabled)', ipam.lifecycle, 'give the network subnets, or remove the lifecycle');
  }
}

function layer3Problems(cfg: Record<string, any>, s: ProblemSink): void {
  const role = checkRole(cfg, s, [UdnRole.PRIMARY, UdnRole.SECONDARY]);
  const subnets: Cidr[] = [];
  const list = cfg.subnets;
  if (!Array.isArray(list) || list.length === 0) {
    s.error('subnets', 'are required for Layer3', list, 'give the network a subnet such as { cidr: "10.100.0.0/16", hostSubnet: 24 }');
  } else {
    if (list.length > 2) s.error('subnets', `holds ${list.length} subnets, more than 2`, list.length, 'give one IPv4 and one IPv6 subnet at most');
    list.forEach((sub: unknown, i: number) => {
      const f = `subnets[${i}]`;
      const c = isObject(sub) && typeof sub.cidr === 'string' ? Cidr.tryParse(sub.cidr) : undefined;
      if (!c) { s.error(`${f}.cidr`, 'is not a CIDR', isObject(sub) ? sub.cidr : sub, 'write a prefix such as 10.100.0.0/16'); return; }
      subnets.push(c);
      const host = (sub as Record<string, any>).hostSubnet;
      if (host !== undefined && (typeof host !== 'number' || host <= c.prefix || (c.family === IpFamily.IPV4 && host >= 32))) {
        s.error(`${f}.hostSubnet`, `is not a prefix longer than the subnet's /${c.prefix}${c.family === IpFamily.IPV4 ? ' and shorter than /32' : ''}`, host, 'give each node a smaller subnet, e.g. 24 for a /16');
      }
    });
    if (subnets.length === 2 && subnets[0].family === subnets[1].family) s.error('subnets', 'holds two CIDRs of one IP family', list, 'give one IPv4 and one IPv6 subnet');
  }
  const join = dualStack(cfg.joinSubnets, 'joinSubnets', s);
  if (cfg.joinSubnets !== undefined && role !== UdnRole.PRIMARY) s.error('joinSubnets', 'are only for a Primary network', cfg.joinSubnets, 'remove them');
  checkOverlaps([...subnets.map((c, i) => [`subnets[${i}]`, c] as [string, Cidr]), ...join.map((c, i) => [`joinSubnets[${i}]`, c] as [string, Cidr])], s);
  checkMtu(cfg, subnets, s);
}

function layer2Problems(cfg: Record<string, any>, s: ProblemSink): void {
  const role = checkRole(cfg, s, [UdnRole.PRIMARY, UdnRole.SECONDARY]);
  const subnets = dualStack(cfg.subnets, 'subnets', s);
  if (role === UdnRole.PRIMARY && cfg.subnets === undefined) s.error('subnets', 'are required for a Primary Layer2 network', undefined, 'give the network a subnet');
  const join = dualStack(cfg.joinSubnets, 'joinSubnets', s);
  if (cfg.joinSubnets !== undefined && role !== UdnRole.PRIMARY) s.error('joinSubnets', 'are only for a Primary network', cfg.joinSubnets, 'remove them');
  checkIpam(cfg, subnets, s, false);
  checkOverlaps([...subnets.map((c, i) => [`subnets[${i}]`, c] as [string, Cidr]), ...join.map((c, i) => [`joinSubnets[${i}]`, c] as [string, Cidr])], s);
  checkMtu(cfg, subnets, s);
}

function localnetProblems(cfg: Record<string, any>, s: ProblemSink): void {
  checkRole(cfg, s, [UdnRole.SECONDARY]);
  const name = cfg.physicalNetworkName;
  if (typeof name !== 'string' || name.length < 1 || name.length > 253 || /[,:]/.test(name)) {
    s.error('physicalNetworkName', 'is not a bridge-mapping network name (1 to 253 characters, no "," or ":")', name, "name the OVS bridge mapping's network configured on the nodes, e.g. \"physnet-n3\"");
  }
  const subnets = dualStack(cfg.subnets, 'subnets', s);
  checkIpam(cfg, subnets, s, true);
  const exclude = dualStack(cfg.excludeSubnets, 'excludeSubnets', s, 25);
  if (cfg.excludeSubnets !== undefined && cfg.subnets === undefined) s.error('excludeSubnets', 'are set without subnets', cfg.excludeSubnets, 'remove them, or give the subnets they are cut from');
  exclude.forEach((e, i) => {
    if (subnets.length > 0 && !subnets.some((c) => c.containsCidr(e))) s.error(`excludeSubnets[${i}]`, 'is inside none of the subnets', e.toString(), 'exclude a range of a subnet of the network');
  });
  checkOverlaps(subnets.map((c, i) => [`subnets[${i}]`, c] as [string, Cidr]), s);
  checkMtu(cfg, subnets, s);
  const vlan = cfg.vlan;
  if (vlan !== undefined) {
    if (!isObject(vlan) || vlan.mode !== 'Access' || !isObject(vlan.access)) {
      s.error('vlan', 'is not { mode: Access, access: { id } }', vlan, 'write vlan: { mode: Access, access: { id: 100 } }');
    } else if (typeof vlan.access.id !== 'number' || !Number.isInteger(vlan.access.id) || vlan.access.id < 1 || vlan.access.id > 4094) {
      s.error('vlan.access.id', 'is not a VLAN id from 1 to 4094', vlan.access.id, 'write a VLAN id from 1 to 4094');
    }
  }
}

/** The problems of a network spec: `{ topology, layer2 | layer3 | localnet }`. */
export function udnNetworkSpecProblems(spec: unknown, opts: { clusterScoped: boolean }): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(spec)) {
    sink.error('', 'is not a network spec', spec, 'write { topology: Layer2, layer2: { role: Secondary, subnets: [...] } }');
    return sink.problems;
  }
  const topologies: readonly string[] = opts.clusterScoped ? [UdnTopology.LAYER2, UdnTopology.LAYER3, UdnTopology.LOCALNET] : [UdnTopology.LAYER2, UdnTopology.LAYER3];
  const t = spec.topology;
  if (!topologies.includes(t)) {
    sink.error('topology', `is not ${topologies.join(', ')}`, t,
      t === UdnTopology.LOCALNET ? 'use a ClusterUserDefinedNetwork: Localnet is cluster-scoped' : `write one of ${topologies.join(', ')}`);
    return sink.problems;
  }
  for (const [key, topo, check] of [['layer2', UdnTopology.LAYER2, layer2Problems], ['layer3', UdnTopology.LAYER3, layer3Problems], ['localnet', UdnTopology.LOCALNET, localnetProblems]] as const) {
    if (t === topo) {
      if (!isObject(spec[key])) sink.error(key, `is required with topology ${topo}`, spec[key], `write ${key}: { role: Secondary, ... }`);
      else check(spec[key], sink.child(key));
    } else if (spec[key] !== undefined) {
      sink.error(key, `is set with topology ${t}`, Object.keys(spec[key] ?? {}), `remove it, or set topology ${topo}`);
    }
  }
  return sink.problems;
}

/**
 * The problems of a UserDefinedNetwork or ClusterUserDefinedNetwork object. `namespaceLabels`,
 * when given, are the labels of the namespaces the network applies to (a primary network needs
 * {@link PRIMARY_UDN_NAMESPACE_LABEL} on them from their creation).
 */
export function udnObjectProblems(o: unknown, namespaceLabels?: ReadonlyMap<string, Readonly<Record<string, string>> | undefined>): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(o) || !isObject(o.spec)) {
    sink.error('spec', 'is required', isObject(o) ? o.spec : o, 'write the network spec');
    return sink.problems;
  }
  const cluster = o.kind === 'ClusterUserDefinedNetwork';
  if (cluster) {
    if (!isObject(o.spec.namespaceSelector)) sink.error('spec.namespaceSelector', 'is required', o.spec.namespaceSelector, 'select the namespaces, e.g. { matchLabels: { ... } }');
    sink.addAll(udnNetworkSpecProblems(o.spec.network, { clusterScoped: true }), 'spec.network');
  } else {
    sink.addAll(udnNetworkSpecProblems(o.spec, { clusterScoped: false }), 'spec');
  }
  const net = cluster ? o.spec.network : o.spec;
  const cfg = isObject(net) ? net.layer2 ?? net.layer3 : undefined;
  if (isObject(cfg) && cfg.role === UdnRole.PRIMARY && namespaceLabels) {
    for (const [ns, labels] of namespaceLabels) {
      if (!labels || !(PRIMARY_UDN_NAMESPACE_LABEL in labels)) {
        sink.error(cluster ? 'spec.namespaceSelector' : 'metadata.namespace', `selects namespace ${ns}, which lacks the label ${PRIMARY_UDN_NAMESPACE_LABEL}`, ns,
          `label the namespace ${PRIMARY_UDN_NAMESPACE_LABEL}: "" when it is created (OVN-Kubernetes reads it only then)`);
      }
    }
  }
  return sink.problems;
}
