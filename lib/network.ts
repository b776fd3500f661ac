import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Cidr, IpAddress, IpFamily } from './addressing/ip';
import { ALL_CAPABILITIES, CniCapability, ConfigFormat, ROUTE, Route } from './cni/common';
import { CniConfig } from './cni/config';
import { CniVersion } from './cni/cni-version';
import { Ipam } from './cni/ipam';
import { CniPlugin, capabilityFix } from './cni/plugin';
import { BridgePlugin } from './cni/plugins/bridge';
import { HostDevicePlugin } from './cni/plugins/host-device';
import { IpvlanMode, IpvlanPlugin } from './cni/plugins/ipvlan';
import { MacvlanMode, MacvlanPlugin } from './cni/plugins/macvlan';
import { OvsPlugin } from './cni/plugins/ovs';
import { SriovPlugin, SriovToggle } from './cni/plugins/sriov';
import { VlanPlugin } from './cni/plugins/vlan';
import { DhcpIpam } from './cni/ipam/dhcp';
import { HostLocalIpam } from './cni/ipam/host-local';
import { StaticAddress, StaticIpam, staticAddressesProblems } from './cni/ipam/static';
import { WhereaboutsIpam } from './cni/ipam/whereabouts';
import { ProblemSink, reportProblems } from './cni/problem';
import { PluginsProfile } from './cni/profile';
import { PropsShape, assertArg, assertOptionsObject, assertProps, pArray, pBool, pEnum, pField, pFunction, pInstance, pInt, pString, propsShape } from './cni/props-check';
import { ifname } from './cni/field';
import { DNS1123_LABEL, EXTENDED_RESOURCE_NAME } from './multus/selection-element';
import { NetworkAttachmentDefinition } from './network-attachment-definition';

/**
 * The logical network of a derived NAD, kept on the NAD under a process-wide symbol, so that
 * `Network.of` also answers for a NAD made by another copy of the library.
 */
const NETWORK_OF = Symbol.for('cdk8s-nfv.Network.of');

/**
 * The key of a logical network's configs handed out by {@link Network.configFor} in namespaces
 * that have no NAD of it: `network[CONFIGS_WITHOUT_NAD]()` maps each such namespace to its config. The
 * whole-topology check reads it, so that an attachment rendered without a NAD (DRA claims)
 * resolves to its network. A registered symbol, read the same in every copy of the package.
 * @internal
 */
export const CONFIGS_WITHOUT_NAD = Symbol.for('cdk8s-nfv.Network.configsWithoutNad');

/** How a logical network assigns addresses. */
export enum IpamMode {
  /** A per-node pool (host-local); addresses may repeat across nodes. */
  HOST_LOCAL = 'host-local',
  /** A cluster-wide pool (whereabouts). */
  WHEREABOUTS = 'whereabouts',
  /** Addresses requested by each attachment (`ips`), through static IPAM with the ips capability. */
  STATIC = 'static',
  /** A DHCP server on the segment (the dhcp daemon must run on the nodes). */
  DHCP = 'dhcp',
  /** No addresses: a layer-2 attachment. */
  NONE = 'none',
}

/** What a network plugin of a logical network knows about itself. */
export interface NetworkPluginInfo {
  /** The CNI plugin type. */
  readonly type: string;
  /** The host interface carrying the network, if any. */
  readonly uplink?: string;
  /** The VLAN, if tagged. */
  readonly vlan?: number;
  /** The device-plugin resource backing the network (SR-IOV, OVS, host-device, macvlan on an RDMA NIC, ...). */
  readonly resourceName?: string;
}

// The runtime shapes of the factory options and of NetworkProps (for callers without a type checker).
const MTU = pInt({ min: 68, max: 65535 });
const VLAN_ID = pInt({ min: 0, max: 4094 });
const IFNAME = pField(ifname());
const UPLINK = { type: IFNAME, required: 'name the host interface, e.g. uplink: "eth1"' };
const FACTORY_HINTS = { master: "write it as 'uplink'", vlanId: "write it as 'vlan'", name: 'name the network in NetworkProps, not in the plugin' };
const BRIDGE_OPTS = propsShape('NetworkPlugin.bridge options', { bridge: IFNAME, vlan: VLAN_ID, mtu: MTU, isGateway: pBool(), ipMasq: pBool() }, FACTORY_HINTS);
const RESOURCE = pString({ fix: 'write vendor-domain/resource, e.g. "nvidia.com/rdma_shared_device_a"' });
const MACVLAN_OPTS = propsShape('NetworkPlugin.macvlan options', { uplink: UPLINK, mode: pEnum(MacvlanMode, 'MacvlanMode'), mtu: MTU, resourceName: RESOURCE }, FACTORY_HINTS);
const IPVLAN_OPTS = propsShape('NetworkPlugin.ipvlan options', { uplink: UPLINK, mode: pEnum(IpvlanMode, 'IpvlanMode'), mtu: MTU }, FACTORY_HINTS);
const VLAN_OPTS = propsShape('NetworkPlugin.vlan options', {
  uplink: UPLINK, vlanId: { type: pInt({ min: 0, max: 4094 }), required: 'give the VLAN id, 0 to 4094' }, mtu: MTU,
}, { ...FACTORY_HINTS, vlan: "write it as 'vlanId'" });
const HOST_DEVICE_OPTS = propsShape('NetworkPlugin.hostDevice options', { device: IFNAME, pciBusID: pString(), resourceName: RESOURCE }, FACTORY_HINTS);
const SRIOV_OPTS = propsShape('NetworkPlugin.sriov options', {
  resourceName: { type: pString(), required: 'name the device-plugin resource, e.g. "intel.com/sriov_netdevice"' },
  vlan: VLAN_ID, spoofchk: pEnum(SriovToggle, 'SriovToggle'), trust: pEnum(SriovToggle, 'SriovToggle'),
}, {
  ...FACTORY_HINTS,
  master: 'remove it: the VF (and its PF) come from the device plugin resource named by resourceName',
  uplink: 'remove it: the VF (and its PF) come from the device plugin resource named by resourceName',
  mode: 'remove it: sriov has no mode (the VF is moved into the pod as it is)',
});
const OVS_OPTS = propsShape('NetworkPlugin.ovs options', { bridge: { type: IFNAME, required: 'name the OVS bridge, e.g. "br-data"' }, vlan: VLAN_ID, mtu: MTU, resourceName: RESOURCE }, FACTORY_HINTS);

function checkOpts(shape: PropsShape, opts: unknown): void {
  assertProps(shape, opts, shape.owner.replace(/ options$/, '()'));
}

/** The interface plugin of a logical network: a small factory of typed CNI plugins. */
export abstract class NetworkPlugin {
  /** A Linux bridge on each node (optionally VLAN-tagged on the bridge port). */
  public static bridge(opts: { bridge?: string; vlan?: number; mtu?: number; isGateway?: boolean; ipMasq?: boolean } = {}): NetworkPlugin {
    checkOpts(BRIDGE_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'bridge', uplink: opts.bridge, vlan: opts.vlan };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new BridgePlugin({ bridge: opts.bridge, vlan: opts.vlan, mtu: opts.mtu, isGateway: opts.isGateway, ipMasq: opts.ipMasq, ipam, capabilities });
      }
    })();
  }

  /**
   * macvlan children of a host interface (`uplink`); `resourceName` when the NIC is handed out by a
   * device plugin (e.g. an RDMA shared device). `mode` is written only when given (the plugin's
   * default is bridge).
   */
  public static macvlan(opts: { uplink: string; mode?: MacvlanMode; mtu?: number; resourceName?: string }): NetworkPlugin {
    checkOpts(MACVLAN_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'macvlan', uplink: opts.uplink, resourceName: opts.resourceName };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new MacvlanPlugin({ master: opts.uplink, mode: opts.mode, mtu: opts.mtu, ipam, capabilities });
      }
    })();
  }

  /** ipvlan children of a host interface; `mode` is written only when given (the plugin's default is l2). */
  public static ipvlan(opts: { uplink: string; mode?: IpvlanMode; mtu?: number }): NetworkPlugin {
    checkOpts(IPVLAN_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'ipvlan', uplink: opts.uplink };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new IpvlanPlugin({ master: opts.uplink, mode: opts.mode, mtu: opts.mtu, ipam, capabilities });
      }
    })();
  }

  /** An 802.1q VLAN sub-interface of a host interface. */
  public static vlan(opts: { uplink: string; vlanId: number; mtu?: number }): NetworkPlugin {
    checkOpts(VLAN_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'vlan', uplink: opts.uplink, vlan: opts.vlanId };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new VlanPlugin({ master: opts.uplink, vlanId: opts.vlanId, mtu: opts.mtu, ipam, capabilities });
      }
    })();
  }

  /**
   * A host device moved into the pod: a named `device`, a `pciBusID`, or (with `resourceName`) the
   * device a device plugin allocates, whose ID Multus passes to host-device.
   */
  public static hostDevice(opts: { device?: string; pciBusID?: string; resourceName?: string }): NetworkPlugin {
    checkOpts(HOST_DEVICE_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'host-device', uplink: opts.device, resourceName: opts.resourceName };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        // without device and pciBusID, Multus writes the ID of the device the NAD's resourceName
        // allocates into the config (no capability needed)
        return new HostDevicePlugin({ device: opts.device, pciBusID: opts.pciBusID, ipam, capabilities });
      }
    })();
  }

  /** SR-IOV virtual functions from a device-plugin resource (e.g. `intel.com/sriov_netdevice`). */
  public static sriov(opts: { resourceName: string; vlan?: number; spoofchk?: SriovToggle; trust?: SriovToggle }): NetworkPlugin {
    checkOpts(SRIOV_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'sriov', vlan: opts.vlan, resourceName: opts.resourceName };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new SriovPlugin({ vlan: opts.vlan, spoofchk: opts.spoofchk, trust: opts.trust, ipam, capabilities });
      }
    })();
  }

  /**
   * A port on an Open vSwitch bridge (access port when `vlan` is set); `resourceName` when the
   * bridge is exposed through a device plugin (ovs-cni's marker, e.g. `ovs-cni.network.kubevirt.io/br1`).
   */
  public static ovs(opts: { bridge: string; vlan?: number; mtu?: number; resourceName?: string }): NetworkPlugin {
    checkOpts(OVS_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'ovs', uplink: opts.bridge, vlan: opts.vlan, resourceName: opts.resourceName };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new OvsPlugin({ bridge: opts.bridge, vlan: opts.vlan, mtu: opts.mtu, ipam, capabilities });
      }
    })();
  }

  public abstract readonly info: NetworkPluginInfo;

  /** Builds a fresh plugin instance (one per derived NAD). */
  public abstract build(ipam?: Ipam, capabilities?: CniCapability[]): CniPlugin;
}

/** Properties of a {@link Network}. */
export interface NetworkProps {
  /**
   * The name of the NADs derived per namespace ({@link Network.nadFor}), what pods reference;
   * {@link Network.addNad} may give a NAD another name.
   * @default - the construct id in lower case
   */
  readonly name?: string;
  /** The interface plugin. */
  readonly plugin: NetworkPlugin;
  /**
   * Subnets (at most one IPv4 and one IPv6), as network addresses.
   * @default - none (required unless ipam is NONE or DHCP)
   */
  readonly subnets?: readonly string[];
  /**
   * Gateways (one per family), inside the subnets.
   * @default - the first address of each subnet for pool IPAM; none otherwise
   */
  readonly gateways?: readonly string[];
  /**
   * How addresses are assigned.
   * @default IpamMode.HOST_LOCAL when subnets are given, IpamMode.NONE otherwise
   */
  readonly ipam?: IpamMode;
  /**
   * First and last pool addresses of the IPv4 subnet (pool IPAM only).
   * @default - the whole subnet
   */
  readonly rangeStart?: string;
  /** @default - the whole subnet */
  readonly rangeEnd?: string;
  /**
   * Routes returned with the addresses.
   * @default - none
   */
  readonly routes?: readonly Route[];
  /**
   * Chained plugins appended to each derived config (a factory: each NAD gets its own instances).
   * @default - none
   */
  readonly chain?: () => CniPlugin[];
  /**
   * The target the derived configs are checked against.
   * @default PluginsProfile.UPSTREAM
   */
  readonly profile?: PluginsProfile;
  /** @default CniVersion.V1_0_0 */
  readonly cniVersion?: CniVersion;
  /**
   * Namespaces to derive NADs for up front (others are derived when a function attaches).
   * @default - none
   */
  readonly namespaces?: readonly string[];
  /**
   * The shape of the derived configs: a plugin list, or a single-plugin config (the `.conf` shape
   * many deployments write; it cannot chain plugins).
   * @default ConfigFormat.LIST
   */
  readonly format?: ConfigFormat;
  /**
   * `disableCheck` of the derived lists (lists only). Written only when given, or where CHECK
   * exists (cniVersion 0.4.0 and later) and is known to fail.
   * @default - the CniConfig default: true where CHECK exists and is known to fail, else not written
   */
  readonly disableCheck?: boolean;
  /**
   * Capabilities declared on the interface plugin of every derived config (e.g. `mac` on a bridge,
   * so that pods may request their MAC); each must be read by the plugin or its IPAM.
   * @default - none (plus `ips` for IpamMode.STATIC, where the pods bring their addresses)
   */
  readonly capabilities?: readonly CniCapability[];
  /**
   * The device-plugin resource behind the network (written as the NAD's
   * `k8s.v1.cni.cncf.io/resourceName` annotation, so Multus passes the allocated device), for any
   * device-plugin network: OVS, host-device, userspace, macvlan on an RDMA NIC, SR-IOV.
   * @default - the plugin's own (NetworkPlugin.sriov's resourceName, ...), else none
   */
  readonly resourceName?: string;
}

/**
 * Options of {@link Network.addNad}: one more NAD of the network, under its own name and namespace,
 * optionally with addresses baked into its IPAM.
 */
export interface NetworkNadOptions {
  /**
   * The NAD's name (what pods select). Several NADs of one network may carry different names:
   * the usual Helm pattern of one copy per chart.
   * @default - the network's name
   */
  readonly name?: string;
  /**
   * The NAD's namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Addresses written into the NAD's IPAM (static IPAM): one NAD per function interface. Each is
   * an address of the network's subnets (written with the subnet's prefix when given bare), or an
   * address with its own narrower prefix: a secondary address such as `10.1.0.200/32`, inside the
   * subnet or outside it. The network's gateway of a family goes with the first address whose
   * prefix holds it; the network's routes come along.
   * @default - none: the network's own IPAM
   */
  readonly addresses?: readonly string[];
  /**
   * Routes of this NAD, after the network's (e.g. a host route `{ dst: "192.0.2.10/32" }`).
   * @default - none
   */
  readonly routes?: readonly Route[];
}

/** The shape of {@link NetworkProps}. */
const NETWORK_SHAPE = propsShape('NetworkProps', {
  name: pString(),
  plugin: { type: pInstance([NetworkPlugin], 'a NetworkPlugin', 'build it with a factory such as NetworkPlugin.macvlan({ uplink: "eth1" })'), required: 'give the interface plugin, e.g. NetworkPlugin.macvlan({ uplink: "eth1" })' },
  subnets: pArray(pString({ fix: 'write a prefix such as "10.3.0.0/24"' })),
  gateways: pArray(pString({ fix: 'write an address such as "10.3.0.1"' })),
  ipam: pEnum(IpamMode, 'IpamMode'),
  rangeStart: pString(),
  rangeEnd: pString(),
  routes: pArray(pField(ROUTE)),
  chain: pFunction('a function returning the chained plugins', 'write chain: () => [new TuningPlugin({...})] (a factory: each NAD gets its own instances)'),
  profile: pInstance([PluginsProfile], 'a PluginsProfile', 'use a PluginsProfile such as PluginsProfile.UPSTREAM'),
  cniVersion: pEnum(CniVersion, 'CniVersion'),
  namespaces: pArray(pString({ fix: 'write a namespace name such as "core"' })),
  format: pEnum(ConfigFormat, 'ConfigFormat'),
  disableCheck: pBool(),
  capabilities: pArray(pEnum(CniCapability, 'CniCapability')),
  resourceName: pString({ fix: 'write vendor-domain/resource, e.g. "intel.com/sriov_netdevice"' }),
}, { subnet: "write it as 'subnets' (a list)", gateway: "write it as 'gateways' (a list)", namespace: "write it as 'namespaces' (a list)" });

/** The shape of {@link NetworkNadOptions}. */
const NAD_OPTIONS_SHAPE = propsShape('NetworkNadOptions', {
  name: pString(),
  namespace: pString(),
  addresses: pArray(pString({ fix: 'write an address such as "10.3.0.5/24" or "10.3.0.5"' })),
  routes: pArray(pField(ROUTE)),
}, { address: "write it as 'addresses' (a list)", ips: "write it as 'addresses' (baked into the NAD)" });

const CHAIN_ITEMS = pArray(pInstance([CniPlugin], 'a CNI plugin', 'return plugin objects such as new TuningPlugin({...}) from chain()'));

/**
 * A logical network: subnets, gateway, plugin, uplink and VLAN, IPAM mode. One network attached
 * by functions in many namespaces yields one consistent NAD per namespace, all with the same
 * name and config, instead of copies written by hand ({@link Network.nadFor}). It also yields NADs
 * under other names, and NADs with addresses baked in ({@link Network.addNad}). Every NAD of a
 * network keeps the network's identity: `Network.of(nad)` is the network, and the whole-topology
 * check treats them all as one address space (its construct path).
 */
export class Network extends Construct {
  /** The logical network a NAD was derived from, if any. */
  public static of(nad: NetworkAttachmentDefinition): Network | undefined {
    const network = (nad as unknown as Record<symbol, unknown> | undefined)?.[NETWORK_OF];
    return Construct.isConstruct(network) ? network as Network : undefined;
  }

  /** The name of the NADs derived by {@link nadFor} (and the default of {@link addNad}). */
  public readonly name: string;
  /** What the interface plugin knows about itself; `resourceName` includes the network's own. */
  public readonly plugin: NetworkPluginInfo;
  public readonly ipamMode: IpamMode;
  /** The subnets, parsed. */
  public readonly subnets: readonly Cidr[];
  /** The gateways, parsed. */
  public readonly gateways: readonly IpAddress[];
  /** The shape of the derived configs. */
  public readonly format: ConfigFormat;
  /** The device-plugin resource of every derived NAD, if any. */
  public readonly resourceName?: string;
  /** The capabilities declared on every derived config's interface plugin (a copy). */
  public readonly capabilities: readonly CniCapability[];
  private readonly props: NetworkProps;
  /** The NADs of {@link nadFor}, by namespace. */
  private readonly nads = new Map<string, NetworkAttachmentDefinition>();
  /** Configs handed out by configFor in namespaces without a NAD yet (nadFor takes them over). */
  private readonly configs = new Map<string, CniConfig>();
  /** Every NAD of the network, by `namespace/name`, with whether addresses are baked in. */
  private readonly byName = new Map<string, { nad: NetworkAttachmentDefinition; baked: boolean }>();
  private readonly all: NetworkAttachmentDefinition[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    assertProps(NETWORK_SHAPE, props, `Network ${this.node.path}`);
    this.props = props;
    this.name = props.name ?? id.toLowerCase();
    this.ipamMode = props.ipam ?? ((props.subnets?.length ?? 0) > 0 ? IpamMode.HOST_LOCAL : IpamMode.NONE);
    this.format = props.format ?? ConfigFormat.LIST;
    const sink = new ProblemSink();
    if (!DNS1123_LABEL.test(this.name) || this.name.length > 63) {
      sink.error('name', 'is not a DNS-1123 label', this.name, 'use lowercase letters, digits and "-", at most 63 characters');
    }
    const subnets: Cidr[] = [];
    (props.subnets ?? []).forEach((s, i) => {
      const c = Cidr.tryParse(s);
      if (!c) sink.error(`subnets[${i}]`, 'is not a prefix in CIDR notation', s, 'write a network address such as 10.3.0.0/24');
      else if (c.hasHostBits) sink.error(`subnets[${i}]`, 'has host bits set', s, `use the network address ${c.canonical}`);
      else if (subnets.some((o) => o.family === c.family)) sink.error(`subnets[${i}]`, 'is a second subnet of one address family', s, 'give at most one IPv4 and one IPv6 subnet');
      else subnets.push(c);
    });
    const gateways: IpAddress[] = [];
    (props.gateways ?? []).forEach((g, i) => {
      const a = IpAddress.tryParse(g);
      if (!a) { sink.error(`gateways[${i}]`, 'is not an IP address', g, 'write an address such as 10.3.0.1'); return; }
      const subnet = subnets.find((c) => c.family === a.family);
      if (!subnet || !subnet.contains(a)) sink.error(`gateways[${i}]`, 'is outside the subnets', g, `pick an address inside ${subnet ?? 'a subnet of the same family'}`);
      else if (a.equals(subnet.network) || (subnet.broadcast && a.equals(subnet.broadcast))) sink.error(`gateways[${i}]`, 'is the network or broadcast address', g, 'pick a host address');
      else gateways.push(a);
    });
    const needsSubnet = [IpamMode.HOST_LOCAL, IpamMode.WHEREABOUTS, IpamMode.STATIC].includes(this.ipamMode);
    if (needsSubnet && subnets.length === 0) {
      sink.error('subnets', `are required with ${this.ipamMode} IPAM`, props.subnets, 'give the network a subnet such as 10.3.0.0/24');
    }
    if (!needsSubnet && subnets.length > 0 && this.ipamMode === IpamMode.NONE) {
      sink.error('subnets', 'are given but the network assigns no addresses (ipam NONE)', props.subnets, 'choose an IPAM mode, or remove the subnets');
    }
    if (this.format === ConfigFormat.SINGLE) {
      if (props.chain) {
        sink.error('format', 'is a single-plugin config, which cannot hold the chained plugins of chain()', this.format, 'use ConfigFormat.LIST to chain plugins, or remove chain');
      }
      if (props.disableCheck !== undefined) {
        sink.error('disableCheck', 'is only read in plugin lists, and format is a single-plugin config', props.disableCheck, 'use ConfigFormat.LIST, or remove disableCheck');
      }
    }
    const own = props.plugin.info.resourceName;
    if (props.resourceName !== undefined && own !== undefined && props.resourceName !== own) {
      sink.error('resourceName', `differs from the plugin's resourceName ${JSON.stringify(own)}`, props.resourceName, 'give the resource once, on the plugin or on the network');
    }
    if (props.resourceName !== undefined && !EXTENDED_RESOURCE_NAME.test(props.resourceName)) {
      sink.error('resourceName', 'is not an extended resource name', props.resourceName, 'write vendor-domain/resource, e.g. "intel.com/sriov_netdevice"');
    }
    const caps = props.capabilities ?? [];
    caps.forEach((cap, i) => {
      if (caps.indexOf(cap) !== i) sink.error(`capabilities[${i}]`, 'repeats a capability', cap, 'list each capability once');
    });
    reportProblems(sink.problems, `Network ${this.node.path}`);
    this.subnets = subnets;
    this.gateways = gateways.length > 0 || this.ipamMode === IpamMode.STATIC ? gateways
      : (this.ipamMode === IpamMode.HOST_LOCAL || this.ipamMode === IpamMode.WHEREABOUTS) ? subnets.map((s) => s.firstHost) : [];
    this.resourceName = props.resourceName ?? own;
    this.plugin = { ...props.plugin.info, resourceName: this.resourceName };
    this.capabilities = [...caps];
    if (caps.length > 0) {
      // each capability must be read by the plugin or the network's IPAM: checked once, on a probe
      collectCapabilityProblems(props.plugin, this.buildIpam(), caps, `Network ${this.node.path}`);
    }
    Object.defineProperty(this, CONFIGS_WITHOUT_NAD, { value: () => this.configs, enumerable: false });
    for (const ns of props.namespaces ?? []) this.nadFor(ns);
  }

  /** The gateway of a family, if any. */
  public gatewayOf(family: IpFamily): IpAddress | undefined {
    return this.gateways.find((g) => g.family === family);
  }

  /**
   * The NAD a pod in `podNamespace` references when it attaches to the network: the network's NAD
   * of that namespace, derived on first use (the network is an attach target).
   */
  public networkReference(podNamespace: string): { readonly name: string; readonly namespace: string; readonly config?: CniConfig; readonly resourceName?: string; readonly gateways?: readonly string[]; readonly perNamespace?: boolean } {
    const nad = this.nadFor(podNamespace);
    return { name: nad.name, namespace: podNamespace, config: nad.config, resourceName: nad.resourceName, gateways: this.gateways.map(String), perNamespace: true };
  }

  /** Every NAD of the network ({@link nadFor} and {@link addNad}), in creation order (a copy). */
  public get attachments(): NetworkAttachmentDefinition[] {
    return [...this.all];
  }

  /**
   * The NAD of this network in a namespace, under the network's name, derived on first use (or the
   * one {@link addNad} made there under that name without addresses).
   */
  public nadFor(namespace: string): NetworkAttachmentDefinition {
    const existing = this.nads.get(namespace);
    if (existing) return existing;
    this.checkNamespace(namespace, 'nadFor');
    const same = this.byName.get(`${namespace}/${this.name}`);
    if (same) {
      if (same.baked) {
        const sink = new ProblemSink();
        sink.error('namespace', `already holds the NAD ${this.name} of this network with addresses baked in (${same.nad.node.path}), which is not the shared NAD`, namespace,
          'give the NAD with baked addresses its own name in addNad, or attach that NAD itself');
        reportProblems(sink.problems, `Network ${this.node.path} nadFor`);
      }
      this.nads.set(namespace, same.nad);
      return same.nad;
    }
    const nad = this.createNad(namespace, this.name, namespace, undefined, this.configs.get(namespace));
    this.configs.delete(namespace);
    this.nads.set(namespace, nad);
    return nad;
  }

  /**
   * Adds a NAD of this network under its own id, name and namespace, with the network's config
   * or with addresses baked into its IPAM. All NADs of a network share its identity (subnets,
   * gateways, segment): `Network.of(nad)` returns the network, and the whole-topology check
   * treats them as one address space.
   *
   * @example
   * // one logical N2 segment, one copy per chart (the Helm pattern)
   * const n2 = new Network(chart, 'N2', { plugin: NetworkPlugin.ipvlan({ uplink: 'eth0' }), subnets: ['10.100.50.248/29'], ipam: IpamMode.STATIC });
   * n2.addNad('Amf', { name: 'n2network-amf', namespace: 'free5gc' });
   * n2.addNad('Gnb', { name: 'n2network-ueransim', namespace: 'free5gc' });
   * // one NAD per function interface, the address baked in
   * const upfN3 = n3.addNad('UpfN3', { name: 'upf-n3', addresses: ['10.100.50.233/29'] });
   */
  public addNad(id: string, options: NetworkNadOptions = {}): NetworkAttachmentDefinition {
    const context = `Network ${this.node.path} addNad ${typeof id === 'string' ? id : ''}`.trimEnd();
    assertArg(pString(), id, 'id', context, 'give the construct id of the NAD, e.g. addNad("AmfN2", { ... })');
    if (options !== null && typeof options === 'object' && !Array.isArray(options)) assertProps(NAD_OPTIONS_SHAPE, options, context);
    else assertOptionsObject(options, 'options', context);
    const name = options.name ?? this.name;
    const sink = new ProblemSink();
    if (!DNS1123_LABEL.test(name) || name.length > 63) {
      sink.error('name', 'is not a DNS-1123 label', name, 'use lowercase letters, digits and "-", at most 63 characters');
    }
    const ns = options.namespace;
    if (ns !== undefined && (!DNS1123_LABEL.test(ns) || ns.length > 63)) {
      sink.error('namespace', 'is not a DNS-1123 label of at most 63 characters', ns, 'use a valid namespace name (lowercase letters, digits and "-")');
    }
    const baked = options.addresses !== undefined ? this.bakedAddresses(options.addresses, sink) : undefined;
    if (options.routes !== undefined && options.addresses === undefined) {
      sink.error('routes', 'are only written with baked addresses (the network\'s own routes go into its IPAM)', options.routes,
        'give addresses too, or put the routes on the network');
    }
    reportProblems(sink.problems, context);
    const nad = this.createNad(id, name, ns, baked ? { addresses: baked, routes: options.routes } : undefined);
    return nad;
  }

  /**
   * The CNI config of this network in a namespace, without creating a NAD: what renderings that
   * carry the config themselves (DRA claims, ...) use. It is the config {@link nadFor} gives that
   * namespace's NAD (one object: capabilities declared on it reach both), built on first use.
   */
  public configFor(namespace: string): CniConfig {
    const existing = this.nads.get(namespace);
    // a NAD of a Network always carries the config it was built with
    if (existing) return existing.config!;
    this.checkNamespace(namespace, 'configFor');
    const same = this.byName.get(`${namespace}/${this.name}`);
    if (same && !same.baked) return same.nad.config!;
    let config = this.configs.get(namespace);
    if (!config) {
      config = this.buildConfig();
      this.configs.set(namespace, config);
    }
    return config;
  }

  private checkNamespace(namespace: string, what: string): void {
    if (typeof namespace !== 'string' || !DNS1123_LABEL.test(namespace) || namespace.length > 63) {
      const sink = new ProblemSink();
      sink.error('namespace', 'is not a DNS-1123 label of at most 63 characters', namespace, 'use a valid namespace name (lowercase letters, digits and "-")');
      reportProblems(sink.problems, `Network ${this.node.path} ${what}`);
    }
  }

  /** The network's config: its plugin and IPAM (or static IPAM with baked addresses), and the chain. */
  private buildConfig(baked?: { addresses: StaticAddress[]; routes?: readonly Route[] }, cniName?: string): CniConfig {
    const ipam = baked ? this.bakedIpam(baked.addresses, baked.routes) : this.buildIpam();
    const caps = new Set<CniCapability>(this.capabilities);
    if (this.ipamMode === IpamMode.STATIC && !baked) caps.add(CniCapability.IPS);
    const plugin = this.props.plugin.build(ipam, caps.size > 0 ? ALL_CAPABILITIES.filter((c) => caps.has(c)) : undefined);
    const chained = this.props.chain?.() ?? [];
    if (this.props.chain) {
      const sink = new ProblemSink();
      CHAIN_ITEMS.check(chained, 'chain()', sink);
      reportProblems(sink.problems, `Network ${this.node.path}`);
    }
    return this.format === ConfigFormat.SINGLE
      ? CniConfig.single(plugin, { name: cniName, profile: this.props.profile, cniVersion: this.props.cniVersion })
      : CniConfig.list([plugin, ...chained], { name: cniName, profile: this.props.profile, cniVersion: this.props.cniVersion, disableCheck: this.props.disableCheck });
  }

  /** The derived NAD, with the given config or one built for it. */
  private createNad(id: string, name: string, namespace: string | undefined, baked?: { addresses: StaticAddress[]; routes?: readonly Route[] }, built?: CniConfig): NetworkAttachmentDefinition {
    // with host-local, a copy under another NAD name keeps the network's CNI name: host-local keeps
    // its allocations per CNI name (<dataDir>/<name>), so every copy of one segment draws from one
    // store (other IPAMs, and baked copies with their static addresses, keep the NAD's name)
    const shareStore = !baked && name !== this.name && this.ipamMode === IpamMode.HOST_LOCAL;
    const config = built ?? this.buildConfig(baked, shareStore ? this.name : undefined);
    // the NAD's namespace as the NAD will resolve it (the chart's when none is given)
    const effective = namespace ?? Chart.of(this).namespace;
    const key = `${effective ?? ''}/${name}`;
    const before = this.byName.get(key);
    if (before) {
      const sink = new ProblemSink();
      sink.error('name', `is already a NAD of this network in namespace ${effective ?? '(none)'} (${before.nad.node.path})`, name,
        'give each NAD of a namespace its own name');
      reportProblems(sink.problems, `Network ${this.node.path}`);
    }
    const nad = new NetworkAttachmentDefinition(this, id, {
      metadata: { name, namespace },
      config,
      resourceName: this.resourceName,
    });
    Object.defineProperty(nad, NETWORK_OF, { value: this, enumerable: false });
    this.byName.set(key, { nad, baked: baked !== undefined });
    this.all.push(nad);
    return nad;
  }

  /**
   * The baked addresses in the static IPAM's form: each with a prefix (the subnet's when given
   * bare), the gateway of its family on the first address whose prefix holds it.
   */
  private bakedAddresses(addresses: readonly string[], sink: ProblemSink): StaticAddress[] | undefined {
    if (![IpamMode.HOST_LOCAL, IpamMode.WHEREABOUTS, IpamMode.STATIC].includes(this.ipamMode)) {
      sink.error('addresses', `cannot be baked into a network with ${this.ipamMode} IPAM, which has no subnets`, addresses,
        'give the network subnets and an IPAM mode that assigns addresses (host-local, whereabouts or static)');
      return undefined;
    }
    if (addresses.length === 0) {
      sink.error('addresses', 'is empty', addresses, 'give at least one address, or leave addresses out to use the network\'s IPAM');
      return undefined;
    }
    const out: StaticAddress[] = [];
    const gatewayUsed = new Set<IpFamily>();
    addresses.forEach((text, i) => {
      const f = `addresses[${i}]`;
      const cidr = text.includes('/') ? Cidr.tryParse(text) : undefined;
      const ip = cidr?.address ?? (text.includes('/') ? undefined : IpAddress.tryParse(text));
      if (!ip) {
        sink.error(f, 'is not an address, with or without its prefix', text, 'write an address such as 10.3.0.5 or 10.3.0.5/24');
        return;
      }
      const subnet = this.subnets.find((c) => c.family === ip.family && c.contains(ip));
      const hostPrefix = ip.bits;
      let prefix: number;
      if (!cidr) {
        if (!subnet) {
          sink.error(f, `is outside the subnets of the network (${this.subnets.join(', ') || 'none of its family'})`, text,
            `write it with its own prefix (e.g. ${ip}/${hostPrefix}) for a secondary address, or pick one inside the subnet`);
          return;
        }
        prefix = subnet.prefix;
      } else {
        prefix = cidr.prefix;
        if (subnet && prefix < subnet.prefix) {
          sink.error(f, `has a prefix wider than the network's subnet ${subnet}`, text, `write it as ${ip}/${subnet.prefix}, or narrower (e.g. /${hostPrefix})`);
          return;
        }
        if (!subnet && prefix !== hostPrefix) {
          sink.error(f, `is outside the subnets of the network (${this.subnets.join(', ') || 'none of its family'})`, text,
            `pick an address inside the subnet, or write a secondary address with its own host prefix (${ip}/${hostPrefix})`);
          return;
        }
      }
      if (this.gateways.some((g) => g.equals(ip))) {
        sink.error(f, 'is the gateway of the network', text, 'pick an address other than the gateway');
        return;
      }
      const address = `${ip}/${prefix}`;
      const gw = this.gatewayOf(ip.family);
      const own = Cidr.parse(address);
      if (gw && !gatewayUsed.has(ip.family) && own.contains(gw)) {
        gatewayUsed.add(ip.family);
        out.push({ address, gateway: gw.toString() });
      } else {
        out.push({ address });
      }
    });
    if (out.length === addresses.length) staticAddressesProblems(out, sink, 'addresses');
    return sink.hasErrors ? undefined : out;
  }

  private bakedIpam(addresses: StaticAddress[], extra?: readonly Route[]): Ipam {
    const routes = [...(this.props.routes ?? []), ...(extra ?? [])];
    return new StaticIpam({ addresses, routes: routes.length > 0 ? routes : undefined });
  }

  private buildIpam(): Ipam | undefined {
    const routes = this.props.routes ? [...this.props.routes] : undefined;
    const gwFor = (c: Cidr) => this.gateways.find((g) => g.family === c.family)?.toString();
    switch (this.ipamMode) {
      case IpamMode.NONE:
        return undefined;
      case IpamMode.DHCP:
        return new DhcpIpam({});
      case IpamMode.STATIC:
        return new StaticIpam({ routes });
      case IpamMode.HOST_LOCAL:
        return new HostLocalIpam({
          ranges: this.subnets.map((c) => [{
            subnet: c.toString(),
            rangeStart: c.family === IpFamily.IPV4 ? this.props.rangeStart : undefined,
            rangeEnd: c.family === IpFamily.IPV4 ? this.props.rangeEnd : undefined,
            gateway: gwFor(c),
          }]),
          routes,
        });
      case IpamMode.WHEREABOUTS: {
        // whereabouts does not skip gateways by itself: keep them out of the pools
        const excludeGw = (c: Cidr) => {
          const gw = this.gateways.find((g) => g.family === c.family);
          return gw ? [`${gw}/${gw.bits}`] : undefined;
        };
        if (this.subnets.length === 1) {
          return new WhereaboutsIpam({
            range: this.subnets[0].toString(),
            rangeStart: this.props.rangeStart,
            rangeEnd: this.props.rangeEnd,
            exclude: excludeGw(this.subnets[0]),
            gateway: gwFor(this.subnets[0]),
            routes,
          });
        }
        return new WhereaboutsIpam({ ipRanges: this.subnets.map((c) => ({ range: c.toString(), exclude: excludeGw(c) })), routes });
      }
    }
  }
}

/**
 * Checks that the plugin (with the network's IPAM) reads each capability, by building it once:
 * the plugin's own check reports a capability it does not read, in the plugin's words.
 */
function collectCapabilityProblems(plugin: NetworkPlugin, ipam: Ipam | undefined, caps: readonly CniCapability[], context: string): void {
  // static IPAM without addresses needs ips to be built at all
  const probe = plugin.build(ipam, ipam?.needsAddressesFrom() !== undefined ? [ipam.needsAddressesFrom()!] : undefined);
  const sink = new ProblemSink();
  caps.forEach((cap, i) => {
    if (!probe.consumes(cap)) {
      sink.error(`capabilities[${i}]`, `is not read by ${probe.type}${ipam ? ` or its ${ipam.type} IPAM` : ''}, so Multus would pass it to no one`, cap, capabilityFix(cap));
    }
  });
  reportProblems(sink.problems, context);
}
