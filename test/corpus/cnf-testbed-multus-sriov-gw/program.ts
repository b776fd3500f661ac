import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins, SriovPlugin } from '../../../lib';
import { manifestWorkload } from '../manifest-workload';

/** Where this program's output differs from upstream by meaning (the comparator's lines), and why. */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'NetworkAttachmentDefinition default/sriov-net-right spec.config.ipam.routes: upstream [{"dst":"0.0.0.0/0"}], program <absent>':
    'corrected: upstream gives the gateway two IPv4 default routes (one per NAD); the default route stays on sriov-net-left only',
};

/** What the library says about upstream's form (both NADs with a default route, on one pod). */
export const REFUSED = "'attachments' give the pod 2 IPv4 default routes through the IPAM routes of their networks: got [\"sriov-net-left\",\"sriov-net-right\"]; keep the 0.0.0.0/0 route in one network's IPAM only (the plugins add every one: IPv4 then sends through the last attached, IPv6 spreads flows over all of them)";

/**
 * The VPP gateway of cncf/cnf-testbed: two kernel SR-IOV VF networks, one per NIC port.
 * @param opts.asUpstream write upstream's form, bugs included (which the library refuses)
 */
export function build(opts: { asUpstream?: boolean } = {}): App {
  const app = new App();
  const chart = new Chart(app, 'multus-sriov');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const side = (name: string, resource: string, subnet: string, gateway: string, defaultRoute: boolean) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    resourceName: `intel.com/${resource}`,
    config: CniConfig.single(new SriovPlugin({
      ipam: new HostLocalIpam({ subnet, gateway, routes: defaultRoute ? [{ dst: '0.0.0.0/0' }] : undefined }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  const left = side('sriov-net-left', 'sriov_ports_left', '10.61.16.0/24', '10.61.16.1', true);
  const right = side('sriov-net-right', 'sriov_ports_right', '10.61.0.0/24', '10.61.0.1', opts.asUpstream ?? false);

  // the VPP gateway: one kernel VF per side through the NADs (the attachments add their
  // requests), two vfio-pci VFs per side for DPDK without a NAD, and hugepages
  const vfio = { 'intel.com/vfio_ports_left': '2', 'intel.com/vfio_ports_right': '2' };
  const gw = manifestWorkload(chart, 'MultusGw', {
    kind: 'Deployment',
    name: 'multus-gw',
    containers: [{ name: 'vppcontainer', image: 'soelvkaer/vppcontainer:latest', requests: vfio, limits: { 'cpu': '3', 'hugepages-2Mi': '200Mi', ...vfio } }],
  });
  PodNetworks.of(gw).attach(left);
  PodNetworks.of(gw).attach(right);
  return app;
}
