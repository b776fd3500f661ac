import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { DraNetworkClaims } from '../../lib/dra/network-claims';
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

/**
 * The 5G core of ../five-g with its attachments rendered as DRA claims for cni-dra-driver instead
 * of NADs selected by a Multus annotation: the same logical networks (no NAD is written: each
 * claim carries the network's config for its namespace, the one its NAD would hold, with the pod's
 * addresses as `runtimeConfig`), the same interfaces and addresses. The UPF's default route through N6 is not carried (moving the
 * default route off eth0 is Multus's doing); everything else is.
 */
export class FiveGDraChart extends Chart {
  public readonly n2: Network;
  public readonly n3: Network;
  public readonly n4: Network;
  public readonly n6: Network;
  /** Each workload's claims, by workload name. */
  public readonly claims: Readonly<Record<string, DraNetworkClaims>>;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // cni-dra-driver runs the plugins from the nodes' /opt/cni/bin: Debian's 1.1.1, as in ../five-g
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);
    for (const ns of [CONTROL_PLANE, USER_PLANE, RAN]) {
      new kplus.Namespace(this, `Namespace-${ns}`, { metadata: { name: ns } });
    }
    this.n2 = new Network(this, 'N2', { name: 'n2', plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }), subnets: ['10.2.0.0/24'], gateways: ['10.2.0.1'], ipam: IpamMode.STATIC });
    this.n3 = new Network(this, 'N3', { name: 'n3', plugin: NetworkPlugin.macvlan({ uplink: 'eth2', mode: MacvlanMode.BRIDGE }), subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'], ipam: IpamMode.STATIC });
    this.n4 = new Network(this, 'N4', { name: 'n4', plugin: NetworkPlugin.bridge({ bridge: 'br-n4' }), subnets: ['10.4.0.0/24'], ipam: IpamMode.STATIC });
    this.n6 = new Network(this, 'N6', { name: 'n6', plugin: NetworkPlugin.macvlan({ uplink: 'eth3', mode: MacvlanMode.BRIDGE }), subnets: ['10.6.0.0/24'], gateways: ['10.6.0.1'], ipam: IpamMode.STATIC });

    const claims: Record<string, DraNetworkClaims> = {};
    const workload = (name: string, namespace: string, image: string, command: string, netAdmin: boolean) => {
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
      const c = new DraNetworkClaims(this, `Claims-${name}`, { workload: d });
      claims[name] = c;
      return c;
    };

    workload('amf', CONTROL_PLANE, 'docker.io/openverso/open5gs:2.7.2', 'open5gs-amfd', false).attach(this.n2, { interface: 'n2', ips: ['10.2.0.10/24'] });
    workload('smf', CONTROL_PLANE, 'docker.io/openverso/open5gs:2.7.2', 'open5gs-smfd', false).attach(this.n4, { interface: 'n4', ips: ['10.4.0.10/24'] });
    UPF_ADDRESSES.forEach((a, i) => {
      const upf = workload(`upf-${i}`, USER_PLANE, 'docker.io/openverso/open5gs:2.7.2', 'open5gs-upfd', true);
      upf.attach(this.n3, { interface: 'n3', ips: [a.n3] });
      upf.attach(this.n4, { interface: 'n4', ips: [a.n4] });
      upf.attach(this.n6, { interface: 'n6', ips: [a.n6] });
    });
    const gnb = workload('gnb-sim', RAN, 'docker.io/openverso/ueransim:3.2.6', 'nr-gnb', true);
    gnb.attach(this.n2, { interface: 'n2', ips: ['10.2.0.50/24'] });
    gnb.attach(this.n3, { interface: 'n3', ips: ['10.3.0.50/24'] });
    this.claims = claims;
  }
}
