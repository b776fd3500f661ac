import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { AttachmentRendering } from '../../lib/attachment-rendering';
import { DraNetworkClaims } from '../../lib/dra/network-claims';
import { PodNetworks } from '../../lib/pod-networks';
import { MacvlanMode } from '../../lib/cni/plugins/macvlan';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { PluginsProfile } from '../../lib/cni/profile';
import { PreinstalledCniPlugins } from '../../lib/installers';

/** Namespaces of the example, as in ../five-g. */
export const CONTROL_PLANE = 'fivegc-cp';
export const USER_PLANE = 'fivegc-up';
export const RAN = 'ran';

/** The addresses of the UPF replicas on N3, N4 and N6, as in ../five-g. */
export const UPF_ADDRESSES: readonly { n3: string; n4: string; n6: string }[] = [
  { n3: '10.3.0.20/24', n4: '10.4.0.20/24', n6: '10.6.0.20/24' },
  { n3: '10.3.0.21/24', n4: '10.4.0.21/24', n6: '10.6.0.21/24' },
];

/** The renderings the example is written in (the UDN one is ./udn-chart.ts). */
export type FiveGRendering = AttachmentRendering.NAD_ANNOTATION | AttachmentRendering.DRA_CNI | AttachmentRendering.DRA_SRIOV;

/** Properties of {@link FiveGDraChart}. */
export interface FiveGDraChartProps extends ChartProps {
  /**
   * How the attachments are written: NADs and the Multus annotation; cni-dra-driver claims; or
   * cni-dra-driver claims with N3 on SR-IOV virtual functions through the SR-IOV DRA driver.
   * @default AttachmentRendering.DRA_CNI
   */
  readonly rendering?: FiveGRendering;
}

/** One workload's attach: through the annotation (PodNetworks) or through claims. */
type Attach = (network: Network, options: { interface: string; ips: string[] }) => void;

/**
 * The 5G core of ../five-g with its attachments rendered as DRA claims for cni-dra-driver instead
 * of NADs selected by a Multus annotation: the same logical networks (no NAD is written: each
 * claim carries the network's config for its namespace, the one its NAD would hold, with the pod's
 * addresses as `runtimeConfig`), the same interfaces and addresses. The UPF's default route
 * through N6 is not carried (moving the default route off eth0 is Multus's doing); everything
 * else is. The same chart writes the annotation rendering (NADs and annotations), and the SR-IOV
 * DRA one: N3, the user plane, on SR-IOV VFs (`intel.com/sriov_n3`) whose claims name a NAD per
 * workload with its address baked in (the SR-IOV DRA driver runs the NAD as written: no per-pod
 * values), the other networks through cni-dra-driver.
 */
export class FiveGDraChart extends Chart {
  public readonly n2: Network;
  public readonly n3: Network;
  public readonly n4: Network;
  public readonly n6: Network;
  /** The rendering of the attachments. */
  public readonly rendering: FiveGRendering;
  /** Each workload's claims, by workload name (none in the annotation rendering). */
  public readonly claims: Readonly<Record<string, DraNetworkClaims>>;

  constructor(scope: Construct, id: string, props: FiveGDraChartProps = {}) {
    const { rendering = AttachmentRendering.DRA_CNI, ...chartProps } = props;
    super(scope, id, chartProps);
    this.rendering = rendering;
    const sriov = rendering === AttachmentRendering.DRA_SRIOV;
    // cni-dra-driver runs the plugins from the nodes' /opt/cni/bin: Debian's 1.1.1, as in ../five-g
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);
    for (const ns of [CONTROL_PLANE, USER_PLANE, RAN]) {
      new kplus.Namespace(this, `Namespace-${ns}`, { metadata: { name: ns } });
    }
    this.n2 = new Network(this, 'N2', { name: 'n2', plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }), subnets: ['10.2.0.0/24'], gateways: ['10.2.0.1'], ipam: IpamMode.STATIC });
    this.n3 = new Network(this, 'N3', {
      name: 'n3',
      plugin: sriov ? NetworkPlugin.sriov({ resourceName: 'intel.com/sriov_n3' }) : NetworkPlugin.macvlan({ uplink: 'eth2', mode: MacvlanMode.BRIDGE }),
      subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'], ipam: IpamMode.STATIC,
    });
    this.n4 = new Network(this, 'N4', { name: 'n4', plugin: NetworkPlugin.bridge({ bridge: 'br-n4' }), subnets: ['10.4.0.0/24'], ipam: IpamMode.STATIC });
    this.n6 = new Network(this, 'N6', { name: 'n6', plugin: NetworkPlugin.macvlan({ uplink: 'eth3', mode: MacvlanMode.BRIDGE }), subnets: ['10.6.0.0/24'], gateways: ['10.6.0.1'], ipam: IpamMode.STATIC });

    const claims: Record<string, DraNetworkClaims> = {};
    const workload = (name: string, namespace: string, image: string, command: string, netAdmin: boolean): Attach => {
      const d = new kplus.Deployment(this, `Workload-${name}`, {
        metadata: { name, namespace },
        replicas: 1,
        automountServiceAccountToken: false,
        securityContext: { ensureNonRoot: false },
        containers: [{
          name: name.replace(/-\d+$/, ''),
          image,
          command: [command],
          securityContext: {
            ensureNonRoot: false,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: netAdmin ? { drop: [kplus.Capability.ALL], add: [kplus.Capability.NET_ADMIN] } : { drop: [kplus.Capability.ALL] },
          },
        }],
      });
      if (rendering === AttachmentRendering.NAD_ANNOTATION) {
        const nets = PodNetworks.of(d);
        return (network, options) => { nets.attach(network, options); };
      }
      const c = new DraNetworkClaims(this, `Claims-${name}`, { workload: d });
      claims[name] = c;
      return (network, options) => {
        if (!(sriov && network === this.n3)) {
          c.attach(network, options);
          return;
        }
        // a VF runs its NAD as written: the address is baked into a NAD of this workload
        const nad = network.addNad(`N3-${name}`, { name: `n3-${name}`, namespace, addresses: options.ips });
        c.attach(nad, { interface: options.interface, rendering: AttachmentRendering.DRA_SRIOV });
      };
    };

    workload('amf', CONTROL_PLANE, 'docker.io/openverso/open5gs:2.7.2', 'open5gs-amfd', false)(this.n2, { interface: 'n2', ips: ['10.2.0.10/24'] });
    workload('smf', CONTROL_PLANE, 'docker.io/openverso/open5gs:2.7.2', 'open5gs-smfd', false)(this.n4, { interface: 'n4', ips: ['10.4.0.10/24'] });
    UPF_ADDRESSES.forEach((a, i) => {
      const upf = workload(`upf-${i}`, USER_PLANE, 'docker.io/openverso/open5gs:2.7.2', 'open5gs-upfd', true);
      upf(this.n3, { interface: 'n3', ips: [a.n3] });
      upf(this.n4, { interface: 'n4', ips: [a.n4] });
      upf(this.n6, { interface: 'n6', ips: [a.n6] });
    });
    const gnb = workload('gnb-sim', RAN, 'docker.io/openverso/ueransim:3.2.6', 'nr-gnb', true);
    gnb(this.n2, { interface: 'n2', ips: ['10.2.0.50/24'] });
    gnb(this.n3, { interface: 'n3', ips: ['10.3.0.50/24'] });
    this.claims = claims;
  }
}
