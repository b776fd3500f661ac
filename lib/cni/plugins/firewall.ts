import { CniVersion } from '../cni-version';
import { field, oneOf, str } from '../field';
import { ChainContext, CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** Where the firewall plugin writes its rules. */
export enum FirewallBackend {
  IPTABLES = 'iptables',
  FIREWALLD = 'firewalld',
}

/** Which traffic may enter the pod interface. */
export enum FirewallIngressPolicy {
  /** Everything (the plugin only adds allow rules). */
  OPEN = 'open',
  /** Only traffic from the same bridge (needs bridge as the interface plugin). */
  SAME_BRIDGE = 'same-bridge',
  /** No traffic from other pods on the same bridge (containernetworking/plugins 1.7.0+). */
  ISOLATED = 'isolated',
}

/** The first containernetworking/plugins release that knows `ingressPolicy: isolated`. */
export const FIREWALL_ISOLATED_SINCE = '1.7.0';

/** Properties of a {@link FirewallPlugin}. */
export interface FirewallProps extends PluginBaseProps {
  /**
   * Any other value falls back to auto-detection without an error, hence the enum.
   * @default - firewalld when it runs on D-Bus, else iptables
   */
  readonly backend?: FirewallBackend;
  /**
   * The iptables chain for administrator rules (at most 28 characters, an iptables limit).
   * @default CNI-ADMIN
   */
  readonly iptablesAdminChainName?: string;
  /**
   * The firewalld zone the pod addresses are added to.
   * @default trusted
   */
  readonly firewalldZone?: string;
  /**
   * A policy unknown to the installed plugin fails ADD and every later DEL (pod teardown gets
   * stuck), so it is checked against the target profile.
   * @default FirewallIngressPolicy.OPEN
   */
  readonly ingressPolicy?: FirewallIngressPolicy;
}

/** The firewall plugin: allow rules for the pod addresses, and an ingress policy (`plugins/meta/firewall`). */
export class FirewallPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'firewall',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.CHAINED,
    minCniVersion: CniVersion.V0_4_0,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [],
    fields: {
      backend: field('backend', oneOf(FirewallBackend, 'FirewallBackend')),
      iptablesAdminChainName: field('iptablesAdminChainName', str({ pattern: /^[^\s]{1,28}$/, patternText: 'of 1 to 28 characters without whitespace (an iptables chain name)' })),
      firewalldZone: field('firewalldZone', str()),
      ingressPolicy: field('ingressPolicy', oneOf(FirewallIngressPolicy, 'FirewallIngressPolicy'), { since: '1.1.0' }),
    },
    create: (props: FirewallProps, sink?: ProblemSink) => new FirewallPlugin(props, sink),
  };

  constructor(props?: FirewallProps);
  /** @internal */
  constructor(props: FirewallProps | undefined, sink: ProblemSink | undefined);
  constructor(props: FirewallProps = {}, sink?: ProblemSink) {
    super(FirewallPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    if (v.backend === FirewallBackend.FIREWALLD && v.iptablesAdminChainName !== undefined) {
      sink.warn('iptablesAdminChainName', 'is ignored with the firewalld backend', v.iptablesAdminChainName, 'remove it, or use backend iptables');
    }
    if (v.backend === FirewallBackend.IPTABLES && v.firewalldZone !== undefined) {
      sink.warn('firewalldZone', 'is ignored with the iptables backend', v.firewalldZone, 'remove it, or use backend firewalld');
    }
  }

  protected checkChain(sink: ProblemSink, ctx: ChainContext): void {
    const policy = this.ingressPolicy;
    if (policy === FirewallIngressPolicy.ISOLATED && !ctx.profile.supports(PluginProject.CNI_PLUGINS, FIREWALL_ISOLATED_SINCE)) {
      sink.error('ingressPolicy', `is not known to ${ctx.profile.describe(PluginProject.CNI_PLUGINS)}, which fails ADD and every later DEL with it (pod teardown gets stuck)`,
        policy, `use FirewallIngressPolicy.SAME_BRIDGE or OPEN, or target ${PluginProject.CNI_PLUGINS} ${FIREWALL_ISOLATED_SINCE} or later`);
    }
    const first = ctx.previous[0];
    if (policy !== FirewallIngressPolicy.OPEN && first && !first.unchecked && first.type !== 'bridge') {
      sink.error('ingressPolicy', `reads the first interface of the result as a bridge name, but the interface plugin is ${first.type}`, policy,
        'use it after a bridge plugin, or use FirewallIngressPolicy.OPEN');
    }
  }

  public get ingressPolicy(): FirewallIngressPolicy {
    return (this.values.ingressPolicy as FirewallIngressPolicy | undefined) ?? FirewallIngressPolicy.OPEN;
  }
}

registerPlugin(FirewallPlugin.SPEC);
