import { Construct } from 'constructs';
import { Cidr, IpAddress, IpFamily } from './addressing/ip';
import { CniCapability, ROUTE, Route } from './cni/common';
import { CniConfig } from './cni/config';
import { CniVersion } from './cni/cni-version';
import { Ipam } from './cni/ipam';
import { CniPlugin } from './cni/plugin';
import { BridgePlugin } from './cni/plugins/bridge';
import { HostDevicePlugin } from './cni/plugins/host-device';
import { IpvlanMode, IpvlanPlugin } from './cni/plugins/ipvlan';
import { MacvlanMode, MacvlanPlugin } from './cni/plugins/macvlan';
import { OvsPlugin } from './cni/plugins/ovs';
import { SriovPlugin, SriovToggle } from './cni/plugins/sriov';
import { VlanPlugin } from './cni/plugins/vlan';
import { DhcpIpam } from './cni/ipam/dhcp';
import { HostLocalIpam } from './cni/ipam/host-local';
import { StaticIpam } from './cni/ipam/static';
import { WhereaboutsIpam } from './cni/ipam/whereabouts';
import { ProblemSink, reportProblems } from './cni/problem';
import { PluginsProfile } from './cni/profile';
import { PropsShape, assertProps, pArray, pBool, pEnum, pField, pFunction, pInstance, pInt, pString, propsShape } from './cni/props-check';
import { ifname } from './cni/field';
import { DNS1123_LABEL } from './multus/selection-element';
import { NetworkAttachmentDefinition } from './network-attachment-definition';

const NETWORK_OF = new WeakMap<NetworkAttachmentDefinition, Network>();

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
  /** The device-plugin resource backing the network (SR-IOV). */
  readonly resourceName?: string;
}

// The runtime shapes of the factory options and of NetworkProps (for callers without a type checker).
const MTU = pInt({ min: 68, max: 65535 });
const VLAN_ID = pInt({ min: 0, max: 4094 });
const IFNAME = pField(ifname());
const UPLINK = { type: IFNAME, required: 'name the host interface, e.g. uplink: "eth1"' };
const FACTORY_HINTS = { master: "write it as 'uplink'", vlanId: "write it as 'vlan'", name: 'name the network in NetworkProps, not in the plugin' };
const BRIDGE_OPTS = propsShape('NetworkPlugin.bridge options', { bridge: IFNAME, vlan: VLAN_ID, mtu: MTU, isGateway: pBool(), ipMasq: pBool() }, FACTORY_HINTS);
const MACVLAN_OPTS = propsShape('NetworkPlugin.macvlan options', { uplink: UPLINK, mode: pEnum(MacvlanMode, 'MacvlanMode'), mtu: MTU }, FACTORY_HINTS);
const IPVLAN_OPTS = propsShape('NetworkPlugin.ipvlan options', { uplink: UPLINK, mode: pEnum(IpvlanMode, 'IpvlanMode'), mtu: MTU }, FACTORY_HINTS);
const VLAN_OPTS = propsShape('NetworkPlugin.vlan options', {
  uplink: UPLINK, vlanId: { type: pInt({ min: 0, max: 4094 }), required: 'give the VLAN id, 0 to 4094' }, mtu: MTU,
}, { ...FACTORY_HINTS, vlan: "write it as 'vlanId'" });
const HOST_DEVICE_OPTS = propsShape('NetworkPlugin.hostDevice options', { device: IFNAME, pciBusID: pString() }, FACTORY_HINTS);
const SRIOV_OPTS = propsShape('NetworkPlugin.sriov options', {
  resourceName: { type: pString(), required: 'name the device-plugin resource, e.g. "intel.com/sriov_netdevice"' },
  vlan: VLAN_ID, spoofchk: pEnum(SriovToggle, 'SriovToggle'), trust: pEnum(SriovToggle, 'SriovToggle'),
}, {
  ...FACTORY_HINTS,
  master: 'remove it: the VF (and its PF) come from the device plugin resource named by resourceName',
  uplink: 'remove it: the VF (and its PF) come from the device plugin resource named by resourceName',
  mode: 'remove it: sriov has no mode (the VF is moved into the pod as it is)',
});
const OVS_OPTS = propsShape('NetworkPlugin.ovs options', { bridge: { type: IFNAME, required: 'name the OVS bridge, e.g. "br-data"' }, vlan: VLAN_ID, mtu: MTU }, FACTORY_HINTS);

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

  /** macvlan children of a host interface (`uplink`). */
  public static macvlan(opts: { uplink: string; mode?: MacvlanMode; mtu?: number }): NetworkPlugin {
    checkOpts(MACVLAN_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'macvlan', uplink: opts.uplink };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new MacvlanPlugin({ master: opts.uplink, mode: opts.mode ?? MacvlanMode.BRIDGE, mtu: opts.mtu, ipam, capabilities });
      }
    })();
  }

  /** ipvlan children of a host interface. */
  public static ipvlan(opts: { uplink: string; mode?: IpvlanMode; mtu?: number }): NetworkPlugin {
    checkOpts(IPVLAN_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'ipvlan', uplink: opts.uplink };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
        return new IpvlanPlugin({ master: opts.uplink, mode: opts.mode ?? IpvlanMode.L2, mtu: opts.mtu, ipam, capabilities });
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

  /** A host device moved into the pod. */
  public static hostDevice(opts: { device?: string; pciBusID?: string }): NetworkPlugin {
    checkOpts(HOST_DEVICE_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'host-device', uplink: opts.device };
      public build(ipam?: Ipam, capabilities?: CniCapability[]) {
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

  /** A port on an Open vSwitch bridge (access port when `vlan` is set). */
  public static ovs(opts: { bridge: string; vlan?: number; mtu?: number }): NetworkPlugin {
    checkOpts(OVS_OPTS, opts);
    return new (class extends NetworkPlugin {
      public readonly info = { type: 'ovs', uplink: opts.bridge, vlan: opts.vlan };
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
   * The name of every NAD derived from this network (what pods reference).
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
}, { subnet: "write it as 'subnets' (a list)", gateway: "write it as 'gateways' (a list)", namespace: "write it as 'namespaces' (a list)" });

const CHAIN_ITEMS = pArray(pInstance([CniPlugin], 'a CNI plugin', 'return plugin objects such as new TuningPlugin({...}) from chain()'));

/**
 * A logical network: subnets, gateway, plugin, uplink and VLAN, IPAM mode. One network attached
 * by functions in many namespaces yields one consistent NAD per namespace, all with the same
 * name and config, instead of copies written by hand.
 */
export class Network extends Construct {
  /** The name of every derived NAD. */
  public readonly name: string;
  public readonly plugin: NetworkPluginInfo;
  public readonly ipamMode: IpamMode;
  /** The subnets, parsed. */
  public readonly subnets: readonly Cidr[];
  /** The gateways, parsed. */
  public readonly gateways: readonly IpAddress[];
  private readonly props: NetworkProps;
  private readonly nads = new Map<string, NetworkAttachmentDefinition>();

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    assertProps(NETWORK_SHAPE, props, `Network ${this.node.path}`);
    this.props = props;
    this.name = props.name ?? id.toLowerCase();
    this.plugin = props.plugin.info;
    this.ipamMode = props.ipam ?? ((props.subnets?.length ?? 0) > 0 ? IpamMode.HOST_LOCAL : IpamMode.NONE);
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
    reportProblems(sink.problems, `Network ${this.node.path}`);
    this.subnets = subnets;
    this.gateways = gateways.length > 0 || this.ipamMode === IpamMode.STATIC ? gateways
      : (this.ipamMode === IpamMode.HOST_LOCAL || this.ipamMode === IpamMode.WHEREABOUTS) ? subnets.map((s) => s.firstHost) : [];
    for (const ns of props.namespaces ?? []) this.nadFor(ns);
  }

  /** The logical network a NAD was derived from, if any. */
  public static of(nad: NetworkAttachmentDefinition): Network | undefined {
    return NETWORK_OF.get(nad);
  }

  /** The gateway of a family, if any. */
  public gatewayOf(family: IpFamily): IpAddress | undefined {
    return this.gateways.find((g) => g.family === family);
  }

  /** The derived NADs, by namespace (a copy). */
  public get attachments(): NetworkAttachmentDefinition[] {
    return [...this.nads.values()];
  }

  /** The NAD of this network in a namespace, derived on first use. */
  public nadFor(namespace: string): NetworkAttachmentDefinition {
    const existing = this.nads.get(namespace);
    if (existing) return existing;
    if (typeof namespace !== 'string' || !DNS1123_LABEL.test(namespace) || namespace.length > 63) {
      const sink = new ProblemSink();
      sink.error('namespace', 'is not a DNS-1123 label of at most 63 characters', namespace, 'use a valid namespace name (lowercase letters, digits and "-")');
      reportProblems(sink.problems, `Network ${this.node.path} nadFor`);
    }
    const plugin = this.props.plugin.build(this.buildIpam(), this.ipamMode === IpamMode.STATIC ? [CniCapability.IPS] : undefined);
    const chained = this.props.chain?.() ?? [];
    if (this.props.chain) {
      const sink = new ProblemSink();
      CHAIN_ITEMS.check(chained, 'chain()', sink);
      reportProblems(sink.problems, `Network ${this.node.path}`);
    }
    const config = CniConfig.list([plugin, ...chained], {
      profile: this.props.profile,
      cniVersion: this.props.cniVersion,
    });
    const nad = new NetworkAttachmentDefinition(this, namespace, {
      metadata: { name: this.name, namespace },
      config,
      resourceName: this.plugin.resourceName,
    });
    NETWORK_OF.set(nad, this);
    this.nads.set(namespace, nad);
    return nad;
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
