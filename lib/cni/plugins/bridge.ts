import { CniCapability, JsonObject } from '../common';
import { SHAPE, anyJson, arrayOf, bool, field, fieldsToJson, ifname, int, mac, objectOf, oneOf } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRenderOptions, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject, PluginsProfile } from '../profile';
import { registerPlugin } from '../registry';
import { mtuField, warnJumboMtu } from './interface-checks';

/** Which firewall backend sets up `ipMasq` (bridge, ptp). */
export enum IpMasqBackend {
  IPTABLES = 'iptables',
  NFTABLES = 'nftables',
}

/** One entry of a bridge `vlanTrunk`: a single VLAN (`id`) or a range (`minID`..`maxID`). */
export interface VlanTrunkEntry {
  /**
   * A single VLAN ID, 1..4094.
   * @default - none
   */
  readonly id?: number;
  /**
   * First VLAN ID of a range, 1..4094 (with `maxID`).
   * @default - none
   */
  readonly minID?: number;
  /**
   * Last VLAN ID of a range, 1..4094 (with `minID`).
   * @default - none
   */
  readonly maxID?: number;
}

/** Properties of a {@link BridgePlugin}. */
export interface BridgeProps extends InterfacePluginProps {
  /**
   * The Linux bridge on the node; created when missing.
   * @default "cni0"
   */
  readonly bridge?: string;
  /**
   * Put the gateway address on the bridge and enable forwarding (needs an IPAM).
   * @default false
   */
  readonly isGateway?: boolean;
  /**
   * Add a default route via the bridge per family when the IPAM gives none (implies `isGateway`).
   * @default false
   */
  readonly isDefaultGateway?: boolean;
  /**
   * Replace a different IPv4 address on the bridge instead of failing.
   * @default false
   */
  readonly forceAddress?: boolean;
  /**
   * SNAT traffic leaving the subnet (needs an IPAM).
   * @default false
   */
  readonly ipMasq?: boolean;
  /**
   * The backend for `ipMasq` (containernetworking/plugins 1.6.0+).
   * @default - iptables, unless only nftables exists on the node
   */
  readonly ipMasqBackend?: IpMasqBackend;
  /**
   * MTU of the bridge (set only when the bridge is created) and of the veth pair.
   * @default - kernel default (1500)
   */
  readonly mtu?: number;
  /**
   * Let frames leave through the port they came in on (not with `promiscMode`).
   * @default false
   */
  readonly hairpinMode?: boolean;
  /**
   * Put the bridge in promiscuous mode (not with `hairpinMode`).
   * @default false
   */
  readonly promiscMode?: boolean;
  /**
   * Access VLAN of the pod's port (0..4094; 0 = untagged); enables VLAN filtering on the bridge.
   * @default 0
   */
  readonly vlan?: number;
  /**
   * Tagged VLANs of the pod's port (containernetworking/plugins 1.3.0+; not with `vlan`).
   * @default - none
   */
  readonly vlanTrunk?: readonly VlanTrunkEntry[];
  /**
   * Keep VLAN 1 on the host veth when `vlan`/`vlanTrunk` is set (containernetworking/plugins 1.3.0+).
   * The plugin's own default flips from true to false in 1.8.0, so whenever `vlan` or `vlanTrunk`
   * is set and the target reads the key, the library writes it explicitly.
   * @default - the target version's default (true before 1.8.0, false from 1.8.0), written explicitly
   */
  readonly preserveDefaultVlan?: boolean;
  /**
   * Drop frames whose source MAC is not the pod's (nftables).
   * @default false
   */
  readonly macspoofchk?: boolean;
  /**
   * IPv6 duplicate address detection on the pod's interface.
   * @default false
   */
  readonly enabledad?: boolean;
  /**
   * Leave the pod's veth down (containernetworking/plugins 1.5.0+; not with an IPAM).
   * @default false
   */
  readonly disableContainerInterface?: boolean;
  /**
   * Isolate the pod's bridge port from other isolated ports (containernetworking/plugins 1.7.0+).
   * @default false
   */
  readonly portIsolation?: boolean;
  /**
   * A fixed MAC for the pod's interface (prefer the per-pod `mac` capability). bridge reads no
   * top-level `mac` key: the library writes it as `args.cni.mac`, which bridge reads.
   * @default - random
   */
  readonly mac?: string;
}

const VLAN_ID = int({ min: 1, max: 4094 });

const TRUNK_ENTRY = objectOf({
  id: field('id', VLAN_ID),
  minID: field('minID', VLAN_ID),
  maxID: field('maxID', VLAN_ID),
}, {
  description: 'a trunk entry {id} or {minID, maxID}',
  check(value: VlanTrunkEntry, sink) {
    const hasMin = value.minID !== undefined;
    const hasMax = value.maxID !== undefined;
    if (!hasMin && !hasMax && value.id === undefined) {
      sink.error('', 'names no VLAN', value, 'write {"id": N} or {"minID": A, "maxID": B}');
    } else if (hasMin && !hasMax) {
      sink.error('maxID', 'is missing while minID is set', undefined, 'set minID and maxID together');
    } else if (!hasMin && hasMax) {
      sink.error('minID', 'is missing while maxID is set', undefined, 'set minID and maxID together');
    } else if (typeof value.minID === 'number' && typeof value.maxID === 'number' && value.minID > value.maxID) {
      sink.error('minID', `is greater than maxID ${value.maxID}`, value.minID, 'swap them: minID must not exceed maxID');
    }
  },
});

/** Names that are usually physical uplinks: a bridge cannot take a name a non-bridge already has. */
const UPLINK_NAME_RE = /^(eth\d+|en[opsx][0-9a-z]+|em\d+|bond\d+|p\d+p\d+)$/;

/** The bridge plugin: a veth pair from the pod into a Linux bridge on the node (`plugins/main/bridge`). */
export class BridgePlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'bridge',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [CniCapability.MAC],
    fields: {
      bridge: field('bridge', ifname()),
      isGateway: field('isGateway', bool()),
      isDefaultGateway: field('isDefaultGateway', bool()),
      forceAddress: field('forceAddress', bool()),
      ipMasq: field('ipMasq', bool()),
      ipMasqBackend: field('ipMasqBackend', oneOf(IpMasqBackend, 'IpMasqBackend'), { since: '1.6.0' }),
      mtu: field('mtu', mtuField()),
      hairpinMode: field('hairpinMode', bool()),
      promiscMode: field('promiscMode', bool()),
      vlan: field('vlan', int({ min: 0, max: 4094 })),
      vlanTrunk: field('vlanTrunk', arrayOf(TRUNK_ENTRY, { minItems: 1 }), { since: '1.3.0' }),
      preserveDefaultVlan: field('preserveDefaultVlan', bool(), { since: '1.3.0' }),
      macspoofchk: field('macspoofchk', bool()),
      enabledad: field('enabledad', bool()),
      disableContainerInterface: field('disableContainerInterface', bool(), { since: '1.5.0' }),
      portIsolation: field('portIsolation', bool(), { since: '1.7.0' }),
    },
    // written as args.cni.mac, checked in checkShape
    checkOnly: { mac: field('mac', anyJson()) },
    create: (props: BridgeProps, sink?: ProblemSink) => new BridgePlugin(props, sink),
  };

  constructor(props?: BridgeProps);
  /** @internal */
  constructor(props: BridgeProps | undefined, sink: ProblemSink | undefined);
  constructor(props: BridgeProps = {}, sink?: ProblemSink) {
    super(BridgePlugin.SPEC, props, sink);
  }

  /** The bridge on the node. */
  public get bridge(): string {
    return (this.values.bridge as string | undefined) ?? 'cni0';
  }

  /** The fixed MAC of the pod's interface: the `mac` prop, or `args.cni.mac` as parsed. */
  public get mac(): string | undefined {
    return (this.values.mac as string | undefined) ?? argsMac(this.args);
  }

  /** Whether the pod's port is an access or trunk port (VLAN filtering on). */
  public get usesVlans(): boolean {
    const vlan = this.values.vlan as number | undefined;
    const trunk = this.values.vlanTrunk as readonly VlanTrunkEntry[] | undefined;
    return (vlan !== undefined && vlan !== 0) || trunk !== undefined;
  }

  /**
   * The `preserveDefaultVlan` written for a target: the given value, else (when VLANs are used and
   * the target reads the key) the target's own default, else undefined (not written).
   */
  public preserveDefaultVlanFor(profile: PluginsProfile = PluginsProfile.UPSTREAM): boolean | undefined {
    const given = this.values.preserveDefaultVlan as boolean | undefined;
    if (given !== undefined) return given;
    if (!this.usesVlans || !profile.supports(PluginProject.CNI_PLUGINS, '1.3.0')) return undefined;
    return !profile.supports(PluginProject.CNI_PLUGINS, '1.8.0');
  }

  public toJson(opts: PluginRenderOptions = {}): JsonObject {
    const base = super.toJson(opts);
    const values = { ...this.values, preserveDefaultVlan: this.preserveDefaultVlanFor(opts.profile) };
    const own = new Set(Object.values(this.spec.fields).map((d) => d.key));
    const { type, ...rest } = base;
    const tail: JsonObject = Object.fromEntries(Object.entries(rest).filter(([k]) => !own.has(k)));
    const macValue = this.values.mac as string | undefined;
    if (macValue !== undefined) {
      const args = (this.args ?? {}) as JsonObject;
      const cni = (typeof args.cni === 'object' && args.cni !== null ? args.cni : {}) as JsonObject;
      tail.args = { ...args, cni: { ...cni, mac: macValue } };
    }
    return { type, ...fieldsToJson(this.spec.fields, values), ...tail };
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    if (v.hairpinMode === true && v.promiscMode === true) {
      sink.error('promiscMode', "cannot be set together with 'hairpinMode'", true, 'set only one of hairpinMode and promiscMode');
    }
    const vlan = v.vlan as number | undefined;
    if (vlan !== undefined && vlan > 0 && v.vlanTrunk !== undefined) {
      sink.error('vlanTrunk', `cannot be set together with 'vlan' ${vlan}`, v.vlanTrunk,
        'use vlan for an access port (untagged) or vlanTrunk for a trunk port (tagged), not both');
    }
    if (v.preserveDefaultVlan !== undefined && !this.usesVlans) {
      sink.warn('preserveDefaultVlan', "has no effect without 'vlan' or 'vlanTrunk'", v.preserveDefaultVlan, 'remove it');
    }
    if (v.disableContainerInterface === true && this.ipam) {
      sink.error('ipam', "cannot be used when 'disableContainerInterface' is set", this.ipam.type,
        'remove the IPAM (the pod interface stays down without addresses), or unset disableContainerInterface');
    }
    if (!this.ipam) {
      for (const key of ['isGateway', 'isDefaultGateway', 'ipMasq'] as const) {
        if (v[key] === true) {
          sink.warn(key, 'has no effect without an IPAM (a layer-2 bridge has no addresses)', true, 'add an IPAM, or remove it');
        }
      }
    }
    warnJumboMtu(sink, v.mtu as number | undefined);
    const bridge = v.bridge as string | undefined;
    if (bridge !== undefined && UPLINK_NAME_RE.test(bridge)) {
      sink.warn('bridge', 'looks like a physical uplink name; bridge fails with "already exists but is not a bridge" when such a non-bridge link exists',
        bridge, 'give the bridge a name of its own, e.g. br-' + bridge.slice(0, 12));
    }
    const fromArgs = argsMac(this.args);
    if (this.args && typeof this.args.cni === 'object' && this.args.cni !== null && (this.args.cni as JsonObject).mac !== undefined) {
      mac().check((this.args.cni as JsonObject).mac, 'args.cni.mac', sink, SHAPE);
    }
    if (v.mac !== undefined) {
      mac().check(v.mac, 'mac', sink, SHAPE);
      if (fromArgs !== undefined && fromArgs.toLowerCase() !== (v.mac as string).toLowerCase()) {
        sink.error('mac', `differs from args.cni.mac ${fromArgs}`, v.mac, "set the MAC once: through the 'mac' prop or args.cni.mac");
      }
    }
  }
}

function argsMac(args: JsonObject | undefined): string | undefined {
  const cni = args?.cni;
  if (typeof cni !== 'object' || cni === null) return undefined;
  const m = (cni as JsonObject).mac;
  return typeof m === 'string' ? m : undefined;
}

registerPlugin(BridgePlugin.SPEC);
