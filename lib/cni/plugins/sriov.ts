import { CniCapability } from '../common';
import { field, int, mac, oneOf, str } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { rejectedField } from './rejected-field';

/** The VLAN protocol of the VF's port VLAN. */
export enum SriovVlanProto {
  /** Plain 802.1Q. */
  DOT1Q = '802.1q',
  /** QinQ (802.1ad); needs a non-zero `vlan`. */
  DOT1AD = '802.1ad',
}

/** An on/off VF setting, written as the string the plugin reads. */
export enum SriovToggle {
  ON = 'on',
  OFF = 'off',
}

/** The VF link state. */
export enum SriovLinkState {
  /** Follows the PF. */
  AUTO = 'auto',
  ENABLE = 'enable',
  DISABLE = 'disable',
}

/** sriov-cni log levels. */
export enum SriovLogLevel {
  PANIC = 'panic',
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
  DEBUG = 'debug',
}

/** Properties of an {@link SriovPlugin}. The VF itself comes from the device plugin, not from here. */
export interface SriovProps extends InterfacePluginProps {
  /**
   * Port VLAN of the VF, 0..4094 (0 clears it).
   * @default - unchanged
   */
  readonly vlan?: number;
  /**
   * 802.1p priority of the port VLAN, 0..7; needs `vlan` (non-zero needs a non-zero `vlan`).
   * @default 0 when `vlan` is set
   */
  readonly vlanQoS?: number;
  /**
   * VLAN protocol (sriov-cni 2.8.0+); needs `vlan`.
   * @default SriovVlanProto.DOT1Q
   */
  readonly vlanProto?: SriovVlanProto;
  /**
   * A fixed MAC for the VF (prefer the per-pod `mac` capability).
   * @default - unchanged
   */
  readonly mac?: string;
  /**
   * MAC spoof checking on the VF.
   * @default - unchanged
   */
  readonly spoofchk?: SriovToggle;
  /**
   * VF trust (needed for promiscuous mode or MAC changes inside the pod).
   * @default - unchanged
   */
  readonly trust?: SriovToggle;
  /**
   * @default - unchanged
   */
  readonly linkState?: SriovLinkState;
  /**
   * Minimum transmit rate, Mbps (0 = none; support depends on the driver).
   * @default - unchanged
   */
  readonly minTxRate?: number;
  /**
   * Maximum transmit rate, Mbps (0 = no limit).
   * @default - unchanged
   */
  readonly maxTxRate?: number;
  /**
   * sriov-cni 2.8.0+.
   * @default SriovLogLevel.INFO
   */
  readonly logLevel?: SriovLogLevel;
  /**
   * A log file on the node (sriov-cni 2.8.0+).
   * @default - stderr
   */
  readonly logFile?: string;
}

const INJECTED = 'is injected by Multus from the NetworkAttachmentDefinition\'s k8s.v1.cni.cncf.io/resourceName annotation and must not be written';
const INJECTED_FIX = 'remove it and set the resourceName annotation (NetworkAttachmentDefinition resourceName) instead';

/** sriov-cni (k8snetworkplumbingwg): moves an SR-IOV VF, allocated by the device plugin, into the pod. */
export class SriovPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'sriov',
    project: PluginProject.SRIOV_CNI,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [CniCapability.MAC],
    fields: {
      vlan: field('vlan', int({ min: 0, max: 4094 })),
      vlanQoS: field('vlanQoS', int({ min: 0, max: 7 })),
      vlanProto: field('vlanProto', oneOf(SriovVlanProto, 'SriovVlanProto'), { since: '2.8.0' }),
      mac: field('mac', mac()),
      spoofchk: field('spoofchk', oneOf(SriovToggle, 'SriovToggle')),
      trust: field('trust', oneOf(SriovToggle, 'SriovToggle')),
      linkState: field('link_state', oneOf(SriovLinkState, 'SriovLinkState')),
      minTxRate: field('min_tx_rate', int({ min: 0, unit: 'Mbps' })),
      maxTxRate: field('max_tx_rate', int({ min: 0, unit: 'Mbps' })),
      logLevel: field('logLevel', oneOf(SriovLogLevel, 'SriovLogLevel'), { since: '2.8.0' }),
      logFile: field('logFile', str(), { since: '2.8.0' }),
      deviceID: field('deviceID', rejectedField(INJECTED, INJECTED_FIX)),
      pciBusID: field('pciBusID', rejectedField(INJECTED, INJECTED_FIX)),
      mtu: field('mtu', rejectedField('is not configurable: sriov-cni overwrites it with the MTU of the VF',
        'remove it; set the MTU on the PF (e.g. the sriov-network-operator policy) or chain a tuning plugin with mtu')),
    },
    create: (props: SriovProps, sink?: ProblemSink) => new SriovPlugin(props, sink),
    hints: {
      master: 'remove it: sriov-cni takes the VF (and so its PF) from the device plugin; name the resource with the NetworkAttachmentDefinition resourceName (NetworkPlugin.sriov({ resourceName }))',
      mode: 'remove it: sriov-cni has no mode (the VF is moved into the pod as it is); set vlan, spoofchk or trust instead',
      resourceName: 'set it on the NetworkAttachmentDefinition (resourceName), not on the plugin',
    },
  };

  constructor(props?: SriovProps);
  /** @internal */
  constructor(props: SriovProps | undefined, sink: ProblemSink | undefined);
  constructor(props: SriovProps = {}, sink?: ProblemSink) {
    super(SriovPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    const vlan = v.vlan as number | undefined;
    const qos = v.vlanQoS as number | undefined;
    if (qos !== undefined && vlan === undefined) {
      sink.error('vlanQoS', "needs 'vlan' (the plugin refuses a QoS without a VLAN id)", qos, "set 'vlan', or remove 'vlanQoS'");
    } else if (qos !== undefined && qos !== 0 && vlan === 0) {
      sink.error('vlanQoS', "must be 0 when 'vlan' is 0 (a non-zero QoS needs a non-zero VLAN id)", qos, "set a non-zero 'vlan', or use vlanQoS 0");
    }
    const proto = v.vlanProto as SriovVlanProto | undefined;
    if (proto !== undefined && vlan === undefined) {
      sink.error('vlanProto', "needs 'vlan' (the plugin refuses a protocol without a VLAN id)", proto, "set 'vlan', or remove 'vlanProto'");
    } else if (proto === SriovVlanProto.DOT1AD && vlan === 0) {
      sink.error('vlanProto', "needs a non-zero 'vlan' for 802.1ad", proto, "set a non-zero 'vlan', or use SriovVlanProto.DOT1Q");
    }
    const min = v.minTxRate as number | undefined;
    const max = v.maxTxRate as number | undefined;
    if (min !== undefined && max !== undefined && max > 0 && min > max) {
      sink.warn('min_tx_rate', `is above 'max_tx_rate' ${max}`, min, 'lower min_tx_rate or raise max_tx_rate (most drivers refuse it)');
    }
  }

  public get vlan(): number | undefined {
    return this.values.vlan as number | undefined;
  }
}

registerPlugin(SriovPlugin.SPEC);
