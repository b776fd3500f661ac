import { AddressingMode, IpamAddressing } from '../ipam';
import { arrayOf, field, ip, objectOf, str } from '../field';
import { IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { registerIpam, registerPlugin } from '../registry';
import { ThirdPartyIpamSpec, ThirdPartyIpam, ThirdPartyPlugin, ThirdPartyProject, ThirdPartyPluginSpec, thirdPartyIpamSpec, thirdPartyPluginSpec } from './third-party-plugin';
import { ProblemSink } from '../problem';

/**
 * Kube-OVN's CNI plugin and IPAM, as configured in NetworkAttachmentDefinitions. Fields from
 * kubeovn/kube-ovn pkg/netconf/netconf.go (@475cf5379ddab2677796ebe08387d160bcbe3539) and
 * pkg/netconf/ipam_conf.go (@43f944cb871121fea636c4d3730c42a7975948e9); their use from kubeovn/docs
 * docs/advance/multi-nic.en.md (@9f678c1f335d1803d48c7cbad5201961170072d5).
 */

/** The socket of the kube-ovn daemon on the node, where the plugin and the IPAM send their requests. */
export const KUBE_OVN_DAEMON_SOCKET = '/run/openvswitch/kube-ovn-daemon.sock';

/** A route Kube-OVN adds to the interface. */
export interface KubeOvnRoute {
  /**
   * Destination prefix.
   * @default - the default route
   */
  readonly dst?: string;
  /** Next hop. */
  readonly gw: string;
}

const ROUTES = arrayOf(objectOf({
  dst: field('dst', str()),
  gw: field('gw', ip(), { required: 'write the next hop address' }),
}, { description: 'a route {dst, gw}' }));

const SOCKET = str({ pattern: /^\//, patternText: 'an absolute path' });
const DNS1123 = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** Properties of a {@link KubeOvnIpam}. */
export interface KubeOvnIpamProps {
  /**
   * The Kube-OVN provider: `<nad name>.<nad namespace>`; the address comes from the Kube-OVN Subnet
   * whose `provider` is this value.
   */
  readonly provider: string;
  /**
   * The kube-ovn daemon's socket on the node.
   * @default - Kube-OVN's default, /run/openvswitch/kube-ovn-daemon.sock
   */
  readonly serverSocket?: string;
  /**
   * Routes added to the interface.
   * @default - none
   */
  readonly routes?: readonly KubeOvnRoute[];
}

const IPAM_SPEC: ThirdPartyIpamSpec = {
  type: 'kube-ovn',
  thirdPartyProject: ThirdPartyProject.KUBE_OVN,
  consumes: [],
  fields: {
    serverSocket: field('server_socket', SOCKET),
    provider: field('provider', str({ pattern: new RegExp(`^${DNS1123}\\.${DNS1123}$`), patternText: '<nad name>.<nad namespace>' }),
      { required: 'write <nad name>.<nad namespace>, the provider of the Kube-OVN Subnet the addresses come from' }),
    routes: field('routes', ROUTES),
  },
  create: (props: KubeOvnIpamProps, sink?: ProblemSink) => new KubeOvnIpam(props, sink),
};

/**
 * Kube-OVN as the IPAM of another plugin (e.g. macvlan): the kube-ovn controller allocates the
 * address from the Subnet of the `provider`, cluster-wide; fixed addresses, MACs and pools are
 * pod annotations keyed by the provider (`<provider>.kubernetes.io/ip_address`, ...).
 */
export class KubeOvnIpam extends ThirdPartyIpam {
  public static readonly SPEC = thirdPartyIpamSpec(IPAM_SPEC);

  constructor(props: KubeOvnIpamProps);
  /** @internal */
  constructor(props: KubeOvnIpamProps, sink: ProblemSink | undefined);
  constructor(props: KubeOvnIpamProps, sink?: ProblemSink) {
    super(KubeOvnIpam.SPEC, props, sink);
  }

  public addressing(): IpamAddressing {
    // the subnet is a Kube-OVN Subnet object, not part of the config
    return { mode: AddressingMode.UNKNOWN, pools: [], staticAddresses: [], routes: [], clusterWide: true };
  }
}

/** Properties of a {@link KubeOvnPlugin}. */
export interface KubeOvnProps extends PluginBaseProps {
  /**
   * The Kube-OVN provider of the attachment: `<nad name>.<nad namespace>.ovn`; the Kube-OVN Subnet
   * whose `provider` is this value gives the logical switch and the addresses.
   */
  readonly provider: string;
  /**
   * The kube-ovn daemon's socket on the node.
   * @default - Kube-OVN's default, /run/openvswitch/kube-ovn-daemon.sock
   */
  readonly serverSocket?: string;
  /**
   * Routes added to the interface.
   * @default - none
   */
  readonly routes?: readonly KubeOvnRoute[];
}

const SPEC: ThirdPartyPluginSpec = {
  type: 'kube-ovn',
  thirdPartyProject: ThirdPartyProject.KUBE_OVN,
  role: PluginRole.INTERFACE,
  ipam: IpamUse.NONE,
  dns: false,
  consumes: [],
  fields: {
    serverSocket: field('server_socket', SOCKET),
    provider: field('provider', str({ pattern: new RegExp(`^${DNS1123}\\.${DNS1123}\\.ovn$`), patternText: '<nad name>.<nad namespace>.ovn' }),
      { required: 'write <nad name>.<nad namespace>.ovn, the provider of the Kube-OVN Subnet of the attachment' }),
    routes: field('routes', ROUTES),
  },
  create: (props: KubeOvnProps, sink?: ProblemSink) => new KubeOvnPlugin(props, sink),
};

/**
 * `kube-ovn` as the plugin of an attachment: an extra OVN logical switch port, on the Kube-OVN
 * Subnet whose provider is `<nad name>.<nad namespace>.ovn`.
 */
export class KubeOvnPlugin extends ThirdPartyPlugin {
  public static readonly SPEC: PluginSpec = thirdPartyPluginSpec(SPEC);

  constructor(props: KubeOvnProps);
  /** @internal */
  constructor(props: KubeOvnProps, sink: ProblemSink | undefined);
  constructor(props: KubeOvnProps, sink?: ProblemSink) {
    super(SPEC, KubeOvnPlugin.SPEC, props, sink);
  }
}

registerPlugin(KubeOvnPlugin.SPEC);
registerIpam(KubeOvnIpam.SPEC);
