import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins, SriovPlugin } from '../../../lib';

/** The VPP gateway of cncf/cnf-testbed: two kernel SR-IOV VF networks, one per NIC port. */
/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'multus-sriov');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const side = (name: string, resource: string, subnet: string, gateway: string) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    resourceName: `intel.com/${resource}`,
    config: CniConfig.single(new SriovPlugin({
      ipam: new HostLocalIpam({ subnet, gateway, routes: [{ dst: '0.0.0.0/0' }] }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  side('sriov-net-left', 'sriov_ports_left', '10.61.16.0/24', '10.61.16.1');
  side('sriov-net-right', 'sriov_ports_right', '10.61.0.0/24', '10.61.0.1');
  return app;
}
