import { bool, field, ifname, int } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { checkUplinkMtu, mtuField } from './interface-checks';

/** Properties of a {@link VlanPlugin}. */
export interface VlanProps extends InterfacePluginProps {
  /** The host interface the 802.1Q sub-interface is created on (required by the plugin). */
  readonly master: string;
  /**
   * The VLAN ID, 0..4094 (each master/VLAN pair serves one pod per node).
   * @default 0 (priority tagging only: almost never meant)
   */
  readonly vlanId?: number;
  /**
   * Interface MTU; must not exceed the master's MTU.
   * @default - the master's MTU
   */
  readonly mtu?: number;
  /**
   * Look up `master` inside the pod's network namespace (containernetworking/plugins 1.3.0+).
   * @default false
   */
  readonly linkInContainer?: boolean;
  /**
   * The uplink's MTU, if known: only used to check `mtu`; not written out.
   * @default - not checked
   */
  readonly uplinkMtu?: number;
}

/** The vlan plugin: an 802.1Q sub-interface of a host interface, moved into the pod (`plugins/main/vlan`). */
export class VlanPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'vlan',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.REQUIRED,
    dns: true,
    consumes: [],
    fields: {
      master: field('master', ifname(), { required: 'name the host interface to create the VLAN on, e.g. eth1' }),
      vlanId: field('vlanId', int({ min: 0, max: 4094 })),
      mtu: field('mtu', mtuField()),
      linkInContainer: field('linkInContainer', bool(), { since: '1.3.0' }),
    },
    checkOnly: { uplinkMtu: field('uplinkMtu', int({ min: 68, max: 65535 })) },
    create: (props: VlanProps, sink?: ProblemSink) => new VlanPlugin(props, sink),
  };

  constructor(props: VlanProps);
  /** @internal */
  constructor(props: VlanProps, sink: ProblemSink | undefined);
  constructor(props: VlanProps, sink?: ProblemSink) {
    super(VlanPlugin.SPEC, props, sink);
  }

  public get master(): string {
    return this.values.master as string;
  }

  public get vlanId(): number {
    return (this.values.vlanId as number | undefined) ?? 0;
  }

  protected checkShape(sink: ProblemSink): void {
    checkUplinkMtu(sink, this.values.mtu as number | undefined, this.values.uplinkMtu as number | undefined);
    const vlanId = this.values.vlanId as number | undefined;
    if (vlanId === undefined || vlanId === 0) {
      sink.warn('vlanId', vlanId === undefined ? 'is not set, so VLAN 0 (priority tagging only) is used' : 'is 0 (priority tagging only), not a VLAN',
        vlanId, 'use a VLAN ID from 1 to 4094');
    }
  }
}

registerPlugin(VlanPlugin.SPEC);
