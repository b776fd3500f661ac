import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CniVersion, IpamMode, IpvlanMode, Network, NetworkAttachmentDefinition, NetworkPlugin, PluginsProfile, PodNetworks, PreinstalledCniPlugins } from '../../lib';

/** One logical network of the 5G core: the node NIC it rides on, its subnet and gateway. */
interface CoreNetwork {
  readonly name: string;
  readonly uplink: string;
  readonly subnet: string;
  readonly gateway: string;
  /** Whether the pods route by default through it (N6, the data network, only). */
  readonly defaultRoute?: boolean;
}

const N2: CoreNetwork = { name: 'n2network', uplink: 'eth0', subnet: '10.100.50.248/29', gateway: '10.100.50.254' };
const N3: CoreNetwork = { name: 'n3network', uplink: 'eth0', subnet: '10.100.50.232/29', gateway: '10.100.50.238' };
const N4: CoreNetwork = { name: 'n4network', uplink: 'eth0', subnet: '10.100.50.240/29', gateway: '10.100.50.246' };
const N6: CoreNetwork = { name: 'n6network', uplink: 'eth1', subnet: '10.100.100.0/24', gateway: '10.100.100.1', defaultRoute: true };
const N9: CoreNetwork = { name: 'n9network', uplink: 'eth0', subnet: '10.100.50.224/29', gateway: '10.100.50.230' };

/** A network function of the charts: a one-replica Deployment and its interfaces with their addresses. */
interface Function5g {
  readonly name: string;
  readonly container: string;
  readonly image: string;
  readonly interfaces: ReadonlyArray<readonly [NetworkAttachmentDefinition, string, string]>;
}

/**
 * free5GC's Helm charts (free5gc/free5gc-helm, chart `free5gc` as release `free5gc-helm` and chart
 * `ueransim` as release `ueransim`) with Multus enabled, written with the typed API: the 5G core
 * (AMF, SMF, the ULCL user plane psaupf1, psaupf2, iupf1) and the UERANSIM gNB on the N2, N3, N4,
 * N6 and N9 networks.
 *
 * Each network is one `Network`; each chart's copy of it (`<network>-<chart fullname>`, the Helm
 * pattern) is a NAD of that network (`addNad`), so the address plan is checked across the copies.
 * Each function brings its own address (`ips`) to static IPAM.
 */
export class Free5gcHelmChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { namespace: 'free5gc' }) {
    super(scope, id, props);
    // ipvlan and static come with the nodes' containernetworking-plugins
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.UPSTREAM);

    const network = (n: CoreNetwork) => new Network(this, n.name, {
      plugin: NetworkPlugin.ipvlan({ uplink: n.uplink, mode: IpvlanMode.L2 }),
      subnets: [n.subnet],
      gateways: [n.gateway],
      ipam: IpamMode.STATIC,
      routes: n.defaultRoute ? [{ dst: '0.0.0.0/0', gw: n.gateway }] : undefined,
      cniVersion: CniVersion.V0_3_1,
    });
    const [n2, n3, n4, n6, n9] = [N2, N3, N4, N6, N9].map(network);

    // each chart renders its own copy of a network, named <network>-<chart fullname>
    const copy = (net: Network, fullname: string) => net.addNad(fullname, { name: `${net.name}-${fullname}` });
    const upf = 'free5gc-helm-free5gc-upf';
    const [upfN3, upfN4, upfN6, upfN9] = [copy(n3, upf), copy(n4, upf), copy(n6, upf), copy(n9, upf)];

    const functions: Function5g[] = [
      { name: 'free5gc-helm-free5gc-amf-amf', container: 'amf', image: 'free5gc/amf:v4.2.2', interfaces: [[copy(n2, 'free5gc-helm-free5gc-amf'), 'n2', '10.100.50.249/29']] },
      { name: 'free5gc-helm-free5gc-smf-smf', container: 'smf', image: 'free5gc/smf:v4.2.2', interfaces: [[copy(n4, 'free5gc-helm-free5gc-smf'), 'n4', '10.100.50.244/29']] },
      // the ULCL user plane: two PDU session anchors and an intermediate UPF
      { name: 'free5gc-helm-free5gc-upf-psaupf1', container: 'psaupf1', image: 'free5gc/upf:v4.2.2', interfaces: [[upfN9, 'n9', '10.100.50.225/29'], [upfN6, 'n6', '10.100.100.12/24'], [upfN4, 'n4', '10.100.50.242/29']] },
      { name: 'free5gc-helm-free5gc-upf-psaupf2', container: 'psaupf2', image: 'free5gc/upf:v4.2.2', interfaces: [[upfN9, 'n9', '10.100.50.226/29'], [upfN6, 'n6', '10.100.100.13/24'], [upfN4, 'n4', '10.100.50.243/29']] },
      { name: 'free5gc-helm-free5gc-upf-iupf1', container: 'iupf1', image: 'free5gc/upf:v4.2.2', interfaces: [[upfN3, 'n3', '10.100.50.234/29'], [upfN9, 'n9', '10.100.50.227/29'], [upfN4, 'n4', '10.100.50.245/29'], [upfN6, 'n6', '10.100.100.14/24']] },
      // the gNB of the ueransim chart, on that chart's copies of N2 and N3
      { name: 'ueransim-gnb', container: 'gnb', image: 'free5gc/ueransim:v4.0.1', interfaces: [[copy(n2, 'ueransim'), 'n2', '10.100.50.250/29'], [copy(n3, 'ueransim'), 'n3', '10.100.50.236/29']] },
    ];
    for (const fn of functions) {
      const deployment = new kplus.Deployment(this, fn.name, {
        metadata: { name: fn.name },
        replicas: 1,
        containers: [{ name: fn.container, image: fn.image }],
      });
      const networks = PodNetworks.of(deployment);
      for (const [nad, ifname, address] of fn.interfaces) networks.attach(nad, { interface: ifname, ips: [address] });
    }
  }
}
