import { arrayOf, field, int, oneOf, str } from '../field';
import { AddressingMode, IpamAddressing } from '../ipam';
import { InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { registerIpam, registerPlugin } from '../registry';
import { ThirdPartyIpam, ThirdPartyIpamSpec, ThirdPartyPlugin, ThirdPartyPluginSpec, ThirdPartyProject, thirdPartyIpamSpec, thirdPartyPluginSpec } from './third-party-plugin';

/**
 * Antrea's native secondary networks and Antrea IPAM, as configured in NetworkAttachmentDefinitions
 * (antrea-io/antrea docs/secondary-network.md and docs/antrea-ipam.md
 * @fc70f2bb7037f398196fd42210d34800cb6aa398).
 */

/** The kind of secondary network Antrea builds. */
export enum AntreaNetworkType {
  /** A port of the secondary OVS bridge, optionally on a VLAN. */
  VLAN = 'vlan',
  /** An SR-IOV VF from the device plugin (the NAD names the resource). */
  SRIOV = 'sriov',
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Properties of an {@link AntreaIpam}. */
export interface AntreaIpamProps {
  /** The Antrea `IPPool` resources the addresses come from: one per IP family. */
  readonly ippools: readonly string[];
}

const IPAM_SPEC: ThirdPartyIpamSpec = {
  type: 'antrea',
  thirdPartyProject: ThirdPartyProject.ANTREA,
  consumes: [],
  fields: {
    ippools: field('ippools', arrayOf(str({ pattern: K8S_NAME, patternText: 'the name of an Antrea IPPool' }), { minItems: 1, maxItems: 2 }),
      { required: 'name the Antrea IPPool(s), one per IP family, e.g. ["vlan100-ipv4"]' }),
  },
  create: (props: AntreaIpamProps, sink?: ProblemSink) => new AntreaIpam(props, sink),
};

/** Antrea IPAM: addresses from Antrea `IPPool` resources (feature gate `AntreaIPAM`). */
export class AntreaIpam extends ThirdPartyIpam {
  public static readonly SPEC = thirdPartyIpamSpec(IPAM_SPEC);

  constructor(props: AntreaIpamProps);
  /** @internal */
  constructor(props: AntreaIpamProps, sink: ProblemSink | undefined);
  constructor(props: AntreaIpamProps, sink?: ProblemSink) {
    super(AntreaIpam.SPEC, props, sink);
  }

  public addressing(): IpamAddressing {
    // the pools are Kubernetes resources, not part of the config
    return { mode: AddressingMode.UNKNOWN, pools: [], staticAddresses: [], routes: [], clusterWide: true };
  }
}

/** Properties of an {@link AntreaPlugin}. */
export interface AntreaProps extends InterfacePluginProps {
  /** The kind of secondary network. */
  readonly networkType: AntreaNetworkType;
  /**
   * The VLAN of a `vlan` network, 0 (untagged) or 1..4094; overrides the VLAN of the IPPool.
   * @default 0
   */
  readonly vlan?: number;
  /**
   * The MTU of the pod interface.
   * @default 1500
   */
  readonly mtu?: number;
}

const SPEC: ThirdPartyPluginSpec = {
  type: 'antrea',
  thirdPartyProject: ThirdPartyProject.ANTREA,
  role: PluginRole.INTERFACE,
  ipam: IpamUse.OPTIONAL,
  dns: false,
  consumes: [],
  fields: {
    networkType: field('networkType', oneOf(AntreaNetworkType, 'AntreaNetworkType'), { required: 'write AntreaNetworkType.VLAN or AntreaNetworkType.SRIOV' }),
    mtu: field('mtu', int({ min: 68, max: 65535 })),
    vlan: field('vlan', int({ min: 0, max: 4094 })),
  },
  create: (props: AntreaProps, sink?: ProblemSink) => new AntreaPlugin(props, sink),
};

/**
 * `antrea` as the plugin of a secondary network (feature gate `SecondaryNetwork`): Antrea, the
 * cluster's primary CNI, attaches the pod to its secondary OVS bridge (`vlan`) or moves an SR-IOV
 * VF into it (`sriov`). Its IPAM, when any, is {@link AntreaIpam}.
 */
export class AntreaPlugin extends ThirdPartyPlugin {
  public static readonly SPEC: PluginSpec = thirdPartyPluginSpec(SPEC);

  constructor(props: AntreaProps);
  /** @internal */
  constructor(props: AntreaProps, sink: ProblemSink | undefined);
  constructor(props: AntreaProps, sink?: ProblemSink) {
    super(SPEC, AntreaPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    if (this.values.networkType === AntreaNetworkType.SRIOV && this.values.vlan !== undefined) {
      sink.error('vlan', 'is only read by networkType "vlan"', this.values.vlan, 'remove it: an sriov network has no VLAN in Antrea\'s config');
    }
    if (this.ipam && !(this.ipam instanceof AntreaIpam)) {
      sink.error('ipam.type', 'is not Antrea IPAM, the only IPAM of Antrea secondary networks', this.ipam.type, 'use new AntreaIpam({ ippools: [...] }) or leave the IPAM out');
    }
  }
}

registerPlugin(AntreaPlugin.SPEC);
registerIpam(AntreaIpam.SPEC);
