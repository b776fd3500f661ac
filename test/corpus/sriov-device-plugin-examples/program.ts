import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins, SriovPlugin } from '../../../lib';

/**
 * The SR-IOV network device plugin's examples: a kernel VF network, a DPDK (vfio-pci) VF on VLAN
 * 2000 without IPAM, and a VF of an X700 with the GTP DDP profile.
 *
 * Corrected from upstream: `sriov-dpdk-net2000` declares no `cniVersion` (read as 0.1.0; the CNI
 * spec requires one): here it declares 0.3.1 as the other two.
 */
/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'NetworkAttachmentDefinition default/sriov-dpdk-net2000 spec.config.cniVersion: upstream <absent>, program "0.3.1"':
    'corrected: upstream declares no cniVersion (the plugins read 0.1.0; the CNI spec requires one)',
};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'sriov-examples');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const hostLocal = () => new HostLocalIpam({ subnet: '10.56.217.0/24', gateway: '10.56.217.1', routes: [{ dst: '0.0.0.0/0' }] });
  new NetworkAttachmentDefinition(chart, 'sriov-net1', {
    metadata: { name: 'sriov-net1' },
    resourceName: 'intel.com/intel_sriov_netdevice',
    config: CniConfig.single(new SriovPlugin({ ipam: hostLocal() }), { cniVersion: CniVersion.V0_3_1, name: 'sriov-network' }),
  });
  new NetworkAttachmentDefinition(chart, 'sriov-dpdk-net2000', {
    metadata: { name: 'sriov-dpdk-net2000' },
    resourceName: 'intel.com/intel_x710vfio',
    config: CniConfig.single(new SriovPlugin({ vlan: 2000 }), { cniVersion: CniVersion.V0_3_1, name: 'sriov-vfio2000' }),
  });
  new NetworkAttachmentDefinition(chart, 'sriov-net-gtp', {
    metadata: { name: 'sriov-net-gtp' },
    resourceName: 'intel.com/x700_gtp',
    config: CniConfig.single(new SriovPlugin({ ipam: hostLocal() }), { cniVersion: CniVersion.V0_3_1, name: 'sriov-gtp' }),
  });
  return app;
}
