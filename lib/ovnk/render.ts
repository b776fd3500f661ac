import { renderValue } from '../cni/problem';
import { PRIMARY_UDN_NAMESPACE_LABEL, UDN_API_VERSION, UdnIpamMode, UdnRole, UdnTopology } from './user-defined-network';

/**
 * A logical network written as an OVN-Kubernetes ClusterUserDefinedNetwork, for the namespaces
 * that attach to it. OVN-Kubernetes then renders a same-named NAD (type `ovn-k8s-cni-overlay`) in
 * each of those namespaces; pods keep selecting it by name through the Multus annotation, so the
 * network's own NADs must not be written as well (OVN-Kubernetes does not take over a NAD it did
 * not create).
 */

/** What the rendering reads of a logical network (a `Network`'s public members fit). */
export interface UdnSourceNetwork {
  readonly name: string;
  /** The subnets, as CIDR text. */
  readonly subnets: readonly string[];
  /** The interface plugin: its type, host interface and VLAN. */
  readonly plugin: { readonly type: string; readonly uplink?: string; readonly vlan?: number };
  /** How addresses are assigned (`IpamMode` values: host-local, whereabouts, static, dhcp, none). */
  readonly ipamMode: string;
}

/** Options of {@link clusterUdnFor}. */
export interface ClusterUdnOptions {
  /** The namespaces the network is for. */
  readonly namespaces: readonly string[];
  /**
   * The OVS bridge-mapping network name, per host interface, for networks on a physical
   * interface (Localnet).
   * @default - the host interface's name
   */
  readonly physicalNetworkNames?: Readonly<Record<string, string>>;
  /**
   * The MTU of the network.
   * @default - OVN-Kubernetes's (1400 overlay, 1500 localnet)
   */
  readonly mtu?: number;
  /**
   * The network's role in the selected namespaces' pods. `UdnRole.PRIMARY` makes it the pods'
   * primary network (their eth0, instead of the cluster default network): Layer2 only (a Localnet
   * cannot be primary), with OVN-Kubernetes IPAM over the subnets (pool IPAM); the namespaces must
   * carry {@link PRIMARY_UDN_NAMESPACE_LABEL} from their creation ({@link primaryUdnNamespace}).
   * Pods do not select a primary network: do not attach it through the annotation.
   * @default UdnRole.SECONDARY
   */
  readonly role?: UdnRole;
}

/** Plugin types whose network is a physical interface of the node (rendered as Localnet). */
const PHYSICAL = ['macvlan', 'ipvlan', 'vlan', 'host-device', 'sriov'];

/**
 * The ClusterUserDefinedNetwork of a logical network: Localnet for a network on a host interface
 * (macvlan, ipvlan, vlan, host-device, sriov; the VLAN as access VLAN), Layer2 otherwise (bridge,
 * ovs); OVN-Kubernetes IPAM over the subnets for pool IPAM (host-local, whereabouts), disabled
 * for static, DHCP or no addresses (pods' `ips` then set them). Always Secondary: pods select it.
 */
export function clusterUdnFor(network: UdnSourceNetwork, opts: ClusterUdnOptions): { [key: string]: unknown } {
  const role = opts.role ?? UdnRole.SECONDARY;
  const pool = network.ipamMode === 'host-local' || network.ipamMode === 'whereabouts';
  if (role !== UdnRole.PRIMARY && role !== UdnRole.SECONDARY) {
    throw new Error(`clusterUdnFor ${network.name}: 'role' is not a UdnRole: got ${renderValue(role)}; use UdnRole.PRIMARY or UdnRole.SECONDARY`);
  }
  const addressing = pool ? { subnets: [...network.subnets] } : { ipam: { mode: UdnIpamMode.DISABLED } };
  const mtu = opts.mtu !== undefined ? { mtu: opts.mtu } : {};
  const physical = PHYSICAL.includes(network.plugin.type) && network.plugin.uplink !== undefined;
  const topology = physical ? UdnTopology.LOCALNET : UdnTopology.LAYER2;
  if (role === UdnRole.PRIMARY && physical) {
    throw new Error(`clusterUdnFor ${network.name}: 'role' Primary is not possible for a network on a host interface (Localnet): got ${renderValue(network.plugin.type)}; `
      + 'keep it Secondary, or make the primary network a bridge/overlay network (Layer2)');
  }
  if (role === UdnRole.PRIMARY && (!pool || network.subnets.length === 0)) {
    throw new Error(`clusterUdnFor ${network.name}: 'role' Primary needs OVN-Kubernetes IPAM over subnets, but the network assigns addresses with ${network.ipamMode}: got ${renderValue(network.ipamMode)}; `
      + 'give the network subnets and pool IPAM (host-local or whereabouts)');
  }
  const config = physical
    ? {
      role: UdnRole.SECONDARY,
      physicalNetworkName: opts.physicalNetworkNames?.[network.plugin.uplink!] ?? network.plugin.uplink!,
      ...addressing,
      ...mtu,
      ...(network.plugin.vlan !== undefined && network.plugin.vlan > 0 ? { vlan: { mode: 'Access', access: { id: network.plugin.vlan } } } : {}),
    }
    : { role, ...addressing, ...mtu };
  return {
    apiVersion: UDN_API_VERSION,
    kind: 'ClusterUserDefinedNetwork',
    metadata: { name: network.name },
    spec: {
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...opts.namespaces].sort() }] },
      network: { topology, [physical ? 'localnet' : 'layer2']: config },
    },
  };
}

/**
 * A Namespace for pods whose primary network is a user-defined network: labelled
 * {@link PRIMARY_UDN_NAMESPACE_LABEL} (OVN-Kubernetes reads the label only when the namespace is
 * created; adding it later has no effect).
 */
export function primaryUdnNamespace(name: string, labels: Readonly<Record<string, string>> = {}): { [key: string]: unknown } {
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
    throw new Error(`primaryUdnNamespace: 'name' is not a DNS-1123 label of at most 63 characters: got ${renderValue(name)}; use a valid namespace name`);
  }
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...labels, [PRIMARY_UDN_NAMESPACE_LABEL]: '' } } };
}
