import { bool, field, ifname, oneOf } from '../field';
import { ChainContext, CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { mtuField, resultInterfaceCount } from './interface-checks';

/** How an ipvlan forwards. */
export enum IpvlanMode {
  /** Switching by MAC (all endpoints share the master's MAC). */
  L2 = 'l2',
  /** Routing by IP; no broadcast or multicast. */
  L3 = 'l3',
  /** As l3, with netfilter (iptables) seeing the traffic. */
  L3S = 'l3s',
}

/** Properties of an {@link IpvlanPlugin}. */
export interface IpvlanProps extends InterfacePluginProps {
  /**
   * The host interface the ipvlan sits on.
   * @default - the interface of the node's default route; when chained, the single interface of
   * the previous result
   */
  readonly master?: string;
  /**
   * @default IpvlanMode.L2
   */
  readonly mode?: IpvlanMode;
  /**
   * Interface MTU (not checked by the plugin; the kernel refuses more than the master's).
   * @default - the master's MTU
   */
  readonly mtu?: number;
  /**
   * Look up `master` inside the pod's network namespace (containernetworking/plugins 1.3.0+).
   * @default false
   */
  readonly linkInContainer?: boolean;
}

/**
 * The ipvlan plugin: an IP-addressed child of a host interface sharing its MAC (`plugins/main/ipvlan`).
 *
 * IPAM: ipvlan needs addresses, from its own IPAM or, when chained after another interface
 * plugin, from the previous result. Whether it may go without IPAM depends on its place in the
 * list, which the plugin does not know when built; so the spec says `IpamUse.OPTIONAL` and the
 * rule is checked when the plugin meets its list (CniConfig): first (or single) without
 * IPAM is an error, chained without IPAM needs a previous plugin that assigns IPs.
 */
export class IpvlanPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'ipvlan',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [],
    fields: {
      master: field('master', ifname()),
      mode: field('mode', oneOf(IpvlanMode, 'IpvlanMode')),
      mtu: field('mtu', mtuField()),
      linkInContainer: field('linkInContainer', bool(), { since: '1.3.0' }),
    },
    create: (props: IpvlanProps, sink?: ProblemSink) => new IpvlanPlugin(props, sink),
  };

  constructor(props?: IpvlanProps);
  /** @internal */
  constructor(props: IpvlanProps | undefined, sink: ProblemSink | undefined);
  constructor(props: IpvlanProps = {}, sink?: ProblemSink) {
    super(IpvlanPlugin.SPEC, props, sink);
  }

  /** The master, if named. */
  public get master(): string | undefined {
    return this.values.master as string | undefined;
  }

  public get mode(): IpvlanMode {
    return (this.values.mode as IpvlanMode | undefined) ?? IpvlanMode.L2;
  }

  protected checkChain(sink: ProblemSink, ctx: ChainContext): void {
    const master = this.values.master as string | undefined;
    if (ctx.previous.length === 0) {
      if (!this.ipam) {
        sink.error('ipam', 'is required by ipvlan when it creates the first interface of the list', undefined,
          'add an IPAM such as host-local, static or whereabouts (only an ipvlan chained after another interface plugin may reuse its IPs)');
      }
      if (master === undefined && !this.values.linkInContainer) {
        sink.warn('master', "is not set, so the node's default-route interface is used", undefined, 'name the uplink explicitly');
      }
      return;
    }
    // Chained: the previous result is that of the last interface plugin before (chained plugins pass it on).
    const source = [...ctx.previous].reverse().find((p) => p.unchecked || p.spec.role === PluginRole.INTERFACE);
    if (!source || source.unchecked) return;
    const count = resultInterfaceCount(source.type);
    if (master === undefined && count !== undefined && count !== 1) {
      sink.error('master', `is required: the ${source.type} result before it lists ${count} interfaces, not one`, undefined,
        'name the master interface, or chain ipvlan after a plugin that returns a single interface (macvlan, vlan, host-device, ...)');
    }
    if (!this.ipam && !source.ipam) {
      sink.error('ipam', `is required: the ${source.type} before it assigns no IPs to reuse`, undefined,
        `add an IPAM to ipvlan or to ${source.type}`);
    }
  }
}

registerPlugin(IpvlanPlugin.SPEC);
