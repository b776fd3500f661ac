import { bool, field, oneOf } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { IpMasqBackend } from './bridge';
import { mtuField, warnJumboMtu } from './interface-checks';

/** Properties of a {@link PtpPlugin}. */
export interface PtpProps extends InterfacePluginProps {
  /**
   * SNAT traffic leaving the pod's subnet.
   * @default false
   */
  readonly ipMasq?: boolean;
  /**
   * The backend for `ipMasq` (containernetworking/plugins 1.6.0+).
   * @default - iptables, unless only nftables exists on the node
   */
  readonly ipMasqBackend?: IpMasqBackend;
  /**
   * MTU of the veth pair.
   * @default - kernel default (1500)
   */
  readonly mtu?: number;
}

/**
 * The ptp plugin: a routed veth pair between the pod and the node, no bridge (`plugins/main/ptp`).
 * Needs an IPAM; returns the IPAM's DNS unless a top-level `dns` is set.
 */
export class PtpPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'ptp',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.REQUIRED,
    dns: true,
    consumes: [],
    fields: {
      ipMasq: field('ipMasq', bool()),
      ipMasqBackend: field('ipMasqBackend', oneOf(IpMasqBackend, 'IpMasqBackend'), { since: '1.6.0' }),
      mtu: field('mtu', mtuField()),
    },
    create: (props: PtpProps, sink?: ProblemSink) => new PtpPlugin(props, sink),
  };

  constructor(props: PtpProps);
  /** @internal */
  constructor(props: PtpProps, sink: ProblemSink | undefined);
  constructor(props: PtpProps, sink?: ProblemSink) {
    super(PtpPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    warnJumboMtu(sink, this.values.mtu as number | undefined);
    if (this.values.ipMasqBackend !== undefined && this.values.ipMasq !== true) {
      sink.warn('ipMasqBackend', "has no effect without 'ipMasq'", this.values.ipMasqBackend, 'set ipMasq: true, or remove it');
    }
  }
}

registerPlugin(PtpPlugin.SPEC);
