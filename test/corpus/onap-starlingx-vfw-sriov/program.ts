import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins, SriovPlugin } from '../../../lib';

/**
 * ONAP's vFirewall on StarlingX SR-IOV (chart defaults, release `firewall-sriov`): two sriov NADs
 * with VLANs 7 and 8 on the data network `sriov0`.
 *
 * Corrected from upstream: upstream declares no `cniVersion` (the plugins then read 0.1.0, and
 * the CNI spec requires one) and gives both NADs the CNI network name `sriov-device`, so host-local
 * keeps the allocations of both subnets in one state directory; here each NAD declares 0.3.1 and
 * keeps its own name (the NAD's).
 */
/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'NetworkAttachmentDefinition default/sriov-device-unprotectednet spec.config.cniVersion: upstream <absent>, program "0.3.1"':
    'corrected: upstream declares no cniVersion (the plugins read 0.1.0; the CNI spec requires one)',
  'NetworkAttachmentDefinition default/sriov-device-unprotectednet spec.config.name: upstream "sriov-device", program "sriov-device-unprotectednet"':
    'corrected: upstream gives both NADs the network name sriov-device, so host-local keeps both subnets in one state directory',
  'NetworkAttachmentDefinition default/sriov-device-protectednet spec.config.cniVersion: upstream <absent>, program "0.3.1"':
    'corrected: upstream declares no cniVersion',
  'NetworkAttachmentDefinition default/sriov-device-protectednet spec.config.name: upstream "sriov-device", program "sriov-device-protectednet"':
    'corrected: the network name shared with sriov-device-unprotectednet',
};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'firewall-sriov', { namespace: 'default' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const net = (name: string, vlan: number, subnet: string, gateway: string) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    resourceName: 'intel.com/pci_sriov_net_sriov0',
    config: CniConfig.single(new SriovPlugin({
      vlan,
      ipam: new HostLocalIpam({ subnet, gateway, routes: [{ dst: '0.0.0.0/0' }] }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  net('sriov-device-unprotectednet', 7, '10.10.1.0/24', '10.10.1.1');
  net('sriov-device-protectednet', 8, '10.10.2.0/24', '10.10.2.1');
  return app;
}
