import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniVersion, IpamMode, IpvlanMode, Network, NetworkAttachmentDefinition, NetworkPlugin, PluginsProfile, PodNetworks, PreinstalledCniPlugins } from '../../../lib';

/**
 * free5GC's Helm charts with Multus enabled (chart `free5gc` as release `free5gc-helm`, chart
 * `ueransim` as release `ueransim`, namespace `free5gc`): the N2, N3, N4, N6 and N9 networks, each
 * one logical network with a copy per chart under the chart's NAD name (ipvlan L2 plugin lists,
 * static IPAM whose addresses come from each function's `ips`), and the functions attached.
 *
 * Corrected from upstream: every network installs a default route, so each UPF gets three or four
 * IPv4 default routes (and the gNB two), which the library refuses; here only N6, the data network,
 * routes by default.
 */

const ROUTED = 'corrected: upstream gives every network a default route (three or four per UPF, two for the gNB); only N6, the data network, keeps it';

export const DIFFERENCES: Readonly<Record<string, string>> = Object.fromEntries([
  ['n2network-free5gc-helm-free5gc-amf', '10.100.50.254'],
  ['n4network-free5gc-helm-free5gc-smf', '10.100.50.246'],
  ['n3network-free5gc-helm-free5gc-upf', '10.100.50.238'],
  ['n4network-free5gc-helm-free5gc-upf', '10.100.50.246'],
  ['n9network-free5gc-helm-free5gc-upf', '10.100.50.230'],
  ['n2network-ueransim', '10.100.50.254'],
  ['n3network-ueransim', '10.100.50.238'],
].map(([nad, gw]) => [
  `NetworkAttachmentDefinition free5gc/${nad} spec.config.plugins[0].ipam.routes: upstream [{"dst":"0.0.0.0/0","gw":"${gw}"}], program <absent>`, ROUTED,
]));

/** What the library says about upstream's form (a default route on every network). */
export const REFUSED = "'attachments' give the pod 4 IPv4 default routes through the IPAM routes of their networks: got [\"n3network-free5gc-helm-free5gc-upf\",\"n9network-free5gc-helm-free5gc-upf\",\"n4network-free5gc-helm-free5gc-upf\",\"n6network-free5gc-helm-free5gc-upf\"]";

/** One logical network of the 5G core. */
interface CoreNetwork {
  readonly name: string;
  readonly uplink: string;
  readonly subnet: string;
  readonly gateway: string;
}

const N2: CoreNetwork = { name: 'n2network', uplink: 'eth0', subnet: '10.100.50.248/29', gateway: '10.100.50.254' };
const N3: CoreNetwork = { name: 'n3network', uplink: 'eth0', subnet: '10.100.50.232/29', gateway: '10.100.50.238' };
const N4: CoreNetwork = { name: 'n4network', uplink: 'eth0', subnet: '10.100.50.240/29', gateway: '10.100.50.246' };
const N6: CoreNetwork = { name: 'n6network', uplink: 'eth1', subnet: '10.100.100.0/24', gateway: '10.100.100.1' };
const N9: CoreNetwork = { name: 'n9network', uplink: 'eth0', subnet: '10.100.50.224/29', gateway: '10.100.50.230' };

/** @param opts.asUpstream write upstream's form, bugs included (which the library refuses) */
export function build(opts: { asUpstream?: boolean } = {}): App {
  const app = new App();
  const chart = new Chart(app, 'free5gc', { namespace: 'free5gc' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);

  const network = (n: CoreNetwork, defaultRoute: boolean) => new Network(chart, n.name, {
    plugin: NetworkPlugin.ipvlan({ uplink: n.uplink, mode: IpvlanMode.L2 }),
    subnets: [n.subnet],
    gateways: [n.gateway],
    ipam: IpamMode.STATIC,
    routes: defaultRoute || opts.asUpstream ? [{ dst: '0.0.0.0/0', gw: n.gateway }] : undefined,
    cniVersion: CniVersion.V0_3_1,
  });
  const [n2, n3, n4, n6, n9] = [network(N2, false), network(N3, false), network(N4, false), network(N6, true), network(N9, false)];

  // each chart renders its own copy of a network, named <network>-<chart fullname>
  const copy = (net: Network, n: CoreNetwork, fullname: string): NetworkAttachmentDefinition => net.addNad(fullname, { name: `${n.name}-${fullname}` });
  const amfN2 = copy(n2, N2, 'free5gc-helm-free5gc-amf');
  const smfN4 = copy(n4, N4, 'free5gc-helm-free5gc-smf');
  const upf = 'free5gc-helm-free5gc-upf';
  const [upfN3, upfN4, upfN6, upfN9] = [copy(n3, N3, upf), copy(n4, N4, upf), copy(n6, N6, upf), copy(n9, N9, upf)];
  const gnbN2 = copy(n2, N2, 'ueransim');
  const gnbN3 = copy(n3, N3, 'ueransim');

  const fn = (name: string, container: string, image: string, attachments: Array<[NetworkAttachmentDefinition, string, string]>) => {
    const deployment = new kplus.Deployment(chart, name, {
      metadata: { name },
      replicas: 1,
      containers: [{ name: container, image }],
    });
    for (const [nad, ifname, ip] of attachments) PodNetworks.of(deployment).attach(nad, { interface: ifname, ips: [ip] });
    return deployment;
  };
  fn('free5gc-helm-free5gc-amf-amf', 'amf', 'free5gc/amf:v4.2.2', [[amfN2, 'n2', '10.100.50.249/29']]);
  fn('free5gc-helm-free5gc-smf-smf', 'smf', 'free5gc/smf:v4.2.2', [[smfN4, 'n4', '10.100.50.244/29']]);
  // the ULCL user plane: two PDU session anchors and an intermediate UPF
  fn('free5gc-helm-free5gc-upf-psaupf1', 'psaupf1', 'free5gc/upf:v4.2.2', [[upfN9, 'n9', '10.100.50.225/29'], [upfN6, 'n6', '10.100.100.12/24'], [upfN4, 'n4', '10.100.50.242/29']]);
  fn('free5gc-helm-free5gc-upf-psaupf2', 'psaupf2', 'free5gc/upf:v4.2.2', [[upfN9, 'n9', '10.100.50.226/29'], [upfN6, 'n6', '10.100.100.13/24'], [upfN4, 'n4', '10.100.50.243/29']]);
  fn('free5gc-helm-free5gc-upf-iupf1', 'iupf1', 'free5gc/upf:v4.2.2', [
    [upfN3, 'n3', '10.100.50.234/29'], [upfN9, 'n9', '10.100.50.227/29'], [upfN4, 'n4', '10.100.50.245/29'], [upfN6, 'n6', '10.100.100.14/24'],
  ]);
  fn('ueransim-gnb', 'gnb', 'free5gc/ueransim:v4.0.1', [[gnbN2, 'n2', '10.100.50.250/29'], [gnbN3, 'n3', '10.100.50.236/29']]);
  return app;
}
