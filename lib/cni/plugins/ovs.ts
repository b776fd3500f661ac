import { arrayOf, field, ifname, int, objectOf, str } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { rejectedField } from './rejected-field';

/** One entry of an OVS trunk: a single VLAN id, or a range. */
export interface OvsTrunk {
  /**
   * One VLAN id, 0..4095.
   * @default - none (give `minID` and `maxID` instead)
   */
  readonly id?: number;
  /**
   * First VLAN of a range, 1..4095; needs `maxID`.
   * @default - none
   */
  readonly minID?: number;
  /**
   * Last VLAN of a range, 1..4095; needs `minID`.
   * @default - none
   */
  readonly maxID?: number;
}

const TRUNK = objectOf({
  id: field('id', int({ min: 0, max: 4095 })),
  minID: field('minID', int({ min: 1, max: 4095, fix: 'write a VLAN id from 1 to 4095 (a range with 0 is silently skipped by the plugin)' })),
  maxID: field('maxID', int({ min: 1, max: 4095, fix: 'write a VLAN id from 1 to 4095 (a range with 0 is silently skipped by the plugin)' })),
}, {
  description: 'a trunk entry {id} or {minID, maxID}',
  check(value: OvsTrunk, sink) {
    const hasRange = value.minID !== undefined || value.maxID !== undefined;
    if (value.id === undefined && !hasRange) {
      sink.error('', 'names no VLAN', value, 'write {"id": 100} or {"minID": 100, "maxID": 199}');
      return;
    }
    if (value.id !== undefined && hasRange) {
      sink.error('', 'mixes an id and a range', value, 'split it into two entries, {"id": ...} and {"minID": ..., "maxID": ...}');
      return;
    }
    if (value.minID === undefined && value.maxID !== undefined) {
      sink.error('minID', "is missing while 'maxID' is set", undefined, 'give both minID and maxID, or use {"id": ...}');
    } else if (value.maxID === undefined && value.minID !== undefined) {
      sink.error('maxID', "is missing while 'minID' is set", undefined, 'give both minID and maxID, or use {"id": ...}');
    } else if (value.minID !== undefined && value.maxID !== undefined && value.minID > value.maxID) {
      sink.error('minID', `is greater than 'maxID' ${value.maxID}`, value.minID, 'swap them');
    }
  },
});

/** Properties of an {@link OvsPlugin}. */
export interface OvsProps extends InterfacePluginProps {
  /**
   * The OVS bridge the port is added to; required unless `configurationPath` names a file that sets it.
   * @default - from the configuration file (or br-int with an OVN port)
   */
  readonly bridge?: string;
  /**
   * Access VLAN tag, 0..4095; ignored when `trunk` is set.
   * @default - none: the port is a trunk of every VLAN
   */
  readonly vlan?: number;
  /**
   * VLANs allowed on a trunk port (ids up to 4095).
   * @default - every VLAN
   */
  readonly trunk?: readonly OvsTrunk[];
  /**
   * MTU of the veth.
   * @default - kernel default
   */
  readonly mtu?: number;
  /**
   * The OpenFlow port number to request, 1..65279.
   * @default - chosen by OVS
   */
  readonly ofportRequest?: number;
  /**
   * The OVS interface type, e.g. `system` or `dpdk`.
   * @default - the OVS default
   */
  readonly interfaceType?: string;
  /**
   * A flat configuration file on the node, merged under the inline keys.
   * @default - /etc/kubernetes/cni/net.d/ovs.d/ovs.conf or /etc/cni/net.d/ovs.d/ovs.conf if present
   */
  readonly configurationPath?: string;
  /**
   * The OVSDB socket: `unix:<path>`, `tcp:<ip>:<port>` or `ssl:<ip>:<port>`.
   * @default - the OVS default socket
   */
  readonly socketFile?: string;
  /**
   * How many times the link state is checked.
   * @default 5
   */
  readonly linkStateCheckRetries?: number;
  /**
   * Milliseconds between link state checks.
   * @default 600
   */
  readonly linkStateCheckInterval?: number;
}

/** ovs-cni (k8snetworkplumbingwg): a veth whose host end is a port of an Open vSwitch bridge. */
export class OvsPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'ovs',
    project: PluginProject.OVS_CNI,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [],
    fields: {
      bridge: field('bridge', ifname()),
      vlan: field('vlan', int({ min: 0, max: 4095 })),
      trunk: field('trunk', arrayOf(TRUNK, { minItems: 1 })),
      mtu: field('mtu', int({ min: 68, max: 65535 })),
      ofportRequest: field('ofport_request', int({ min: 1, max: 65279 })),
      interfaceType: field('interface_type', str()),
      configurationPath: field('configuration_path', str()),
      socketFile: field('socket_file', str({ pattern: /^(unix:.+|(tcp|ssl):.+:\d+)$/, patternText: 'unix:<path>, tcp:<ip>:<port> or ssl:<ip>:<port>' })),
      linkStateCheckRetries: field('link_state_check_retries', int({ min: 0 })),
      linkStateCheckInterval: field('link_state_check_interval', int({ min: 0, unit: 'ms' })),
      deviceID: field('deviceID', rejectedField(
        'is injected by Multus from the NetworkAttachmentDefinition\'s k8s.v1.cni.cncf.io/resourceName annotation (hardware offload) and must not be written',
        'remove it and set the resourceName annotation instead')),
    },
    create: (props: OvsProps, sink?: ProblemSink) => new OvsPlugin(props, sink),
  };

  constructor(props?: OvsProps);
  /** @internal */
  constructor(props: OvsProps | undefined, sink: ProblemSink | undefined);
  constructor(props: OvsProps = {}, sink?: ProblemSink) {
    super(OvsPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    const args = this.args as { cni?: { ovnPort?: unknown } } | undefined;
    if (v.bridge === undefined && v.configurationPath === undefined && args?.cni?.ovnPort === undefined) {
      sink.error('bridge', "is required unless 'configuration_path' names a file that sets it", undefined, 'name the OVS bridge, e.g. "br1"');
    }
    if (v.vlan !== undefined && v.trunk !== undefined) {
      sink.warn('vlan', "is ignored because 'trunk' is set", v.vlan, "remove 'vlan' (access port) or 'trunk' (trunk port)");
    }
  }

  public get bridge(): string | undefined {
    return this.values.bridge as string | undefined;
  }
}

registerPlugin(OvsPlugin.SPEC);
