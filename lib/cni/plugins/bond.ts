import { FieldType, arrayOf, bool, field, ifname, int, objectOf, oneOf } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { BOND_CNI_MASTER, PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** Linux bonding modes. */
export enum BondMode {
  BALANCE_RR = 'balance-rr',
  ACTIVE_BACKUP = 'active-backup',
  BALANCE_XOR = 'balance-xor',
  BROADCAST = 'broadcast',
  /** LACP. */
  IEEE_802_3AD = '802.3ad',
  BALANCE_TLB = 'balance-tlb',
  BALANCE_ALB = 'balance-alb',
}

/** Transmit hash policies (balance-xor, 802.3ad, balance-tlb/alb). */
export enum BondXmitHashPolicy {
  LAYER2 = 'layer2',
  LAYER3_4 = 'layer3+4',
  LAYER2_3 = 'layer2+3',
  ENCAP2_3 = 'encap2+3',
  ENCAP3_4 = 'encap3+4',
  VLAN_SRCMAC = 'vlan+srcmac',
}

/** One link of a bond. */
export interface BondLink {
  /** The interface name (in the pod with `linksInContainer`, else on the node). */
  readonly name: string;
}

/** Properties of a {@link BondPlugin}. */
export interface BondProps extends InterfacePluginProps {
  /** The bonding mode. */
  readonly mode: BondMode;
  /**
   * MII link monitoring interval in milliseconds, as a string of digits (bond-cni reads a string;
   * a JSON number fails), e.g. `'100'`.
   */
  readonly miimon: string;
  /** The links to enslave: at least two, with distinct names. */
  readonly links: readonly BondLink[];
  /**
   * The bond's name in the pod.
   * @default - the pod interface name chosen by Multus
   */
  readonly ifname?: string;
  /**
   * `true` when the links are pod interfaces made by earlier attachments (e.g. two SR-IOV VFs);
   * `false` moves node interfaces into the pod.
   * @default false
   */
  readonly linksInContainer?: boolean;
  /**
   * Bond MTU, at least 68 and at most the MTU of every link.
   * @default 1500
   */
  readonly mtu?: number;
  /**
   * fail_over_mac: 0 none, 1 active, 2 follow (use 1 for active-backup over VFs).
   * @default 0
   */
  readonly failOverMac?: number;
  /**
   * all_slaves_active, 0 or 1.
   * @default 0
   */
  readonly allSlavesActive?: number;
  /**
   * tlb_dynamic_lb, 0 or 1; only for balance-tlb and balance-alb.
   * @default - kernel default (1)
   */
  readonly tlbDynamicLb?: number;
  /**
   * @default - kernel default (layer2)
   */
  readonly xmitHashPolicy?: BondXmitHashPolicy;
}

/** The `miimon` string: digits only, never a JSON number. */
const MIIMON: FieldType = {
  description: 'a string of digits such as "100"',
  check(value, f, sink, phase) {
    if (phase.kind !== 'shape') return;
    if (typeof value === 'number') {
      sink.error(f, 'must be a string of digits, not a JSON number (bond-cni reads a Go string and fails to decode a number)', value,
        `write it as a JSON string: ${JSON.stringify(String(value))}`);
      return;
    }
    if (typeof value !== 'string' || !/^\d+$/.test(value)) {
      sink.error(f, 'must be a string of digits such as "100"', value, 'write the monitoring interval in milliseconds as a string, e.g. "100"');
      return;
    }
    if (/^0+$/.test(value)) {
      sink.warn(f, 'turns link monitoring off, so a failed link is never detected', value, 'use an interval such as "100"');
    }
  },
  toJson: (v) => v,
  fromJson: (j) => j,
};

const LINK = objectOf({
  name: field('name', ifname(), { required: 'name the link, e.g. "net1"' }),
}, { description: 'a link {name}' });

/** bond-cni (k8snetworkplumbingwg): a Linux bond over links in the pod or moved from the node. */
export class BondPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'bond',
    project: PluginProject.BOND_CNI,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [],
    fields: {
      ifname: field('ifname', ifname()),
      mode: field('mode', oneOf(BondMode, 'BondMode'), { required: 'choose a bonding mode such as BondMode.ACTIVE_BACKUP' }),
      miimon: field('miimon', MIIMON, { required: 'set the monitoring interval as a string, e.g. "100" (without it the bond fails to come up)' }),
      links: field('links', arrayOf(LINK, { minItems: 2 }), { required: 'list at least two links, e.g. [{"name": "net1"}, {"name": "net2"}]' }),
      linksInContainer: field('linksInContainer', bool()),
      mtu: field('mtu', int({ min: 68, max: 65535 }), { since: BOND_CNI_MASTER }),
      failOverMac: field('failOverMac', int({ min: 0, max: 2 }), { since: BOND_CNI_MASTER }),
      allSlavesActive: field('allSlavesActive', int({ min: 0, max: 1 }), { since: BOND_CNI_MASTER }),
      tlbDynamicLb: field('tlbDynamicLb', int({ min: 0, max: 1 }), { since: BOND_CNI_MASTER }),
      xmitHashPolicy: field('xmitHashPolicy', oneOf(BondXmitHashPolicy, 'BondXmitHashPolicy'), { since: BOND_CNI_MASTER }),
    },
    create: (props: BondProps, sink?: ProblemSink) => new BondPlugin(props, sink),
  };

  constructor(props: BondProps);
  /** @internal */
  constructor(props: BondProps, sink: ProblemSink | undefined);
  constructor(props: BondProps, sink?: ProblemSink) {
    super(BondPlugin.SPEC, props ?? {}, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    const links = v.links as BondLink[];
    const seen = new Set<string>();
    links.forEach((l, i) => {
      if (seen.has(l.name)) {
        sink.error(`links[${i}].name`, 'names a link already in the bond', l.name, 'list each link once');
      }
      seen.add(l.name);
    });
    const mode = v.mode as BondMode;
    if (v.tlbDynamicLb !== undefined && mode !== BondMode.BALANCE_TLB && mode !== BondMode.BALANCE_ALB) {
      sink.error('tlbDynamicLb', `only applies to balance-tlb and balance-alb, not ${mode}`, v.tlbDynamicLb,
        'remove it, or use BondMode.BALANCE_TLB or BALANCE_ALB');
    }
    if (this.ipam?.type === 'bond') {
      sink.error('ipam.type', 'is not an IPAM (bond-cni refuses it)', 'bond', 'use an IPAM such as host-local, static or whereabouts, or leave ipam out');
    }
  }

  public get mode(): BondMode {
    return this.values.mode as BondMode;
  }

  /** The links, a copy. */
  public get links(): BondLink[] {
    return [...(this.values.links as BondLink[])];
  }
}

registerPlugin(BondPlugin.SPEC);
