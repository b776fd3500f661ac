import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins, SriovPlugin } from '../../../lib';
import { manifestWorkload } from '../manifest-workload';

/** Where this program's output differs from upstream by meaning (the comparator's lines), and why. */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'NetworkAttachmentDefinition default/sriov-dpdk-net2000 spec.config.cniVersion: upstream <absent>, program "0.3.1"':
    'corrected: upstream declares no cniVersion (the plugins read 0.1.0; the CNI spec requires one)',
};

/**
 * The SR-IOV network device plugin's examples: a kernel VF network, a DPDK (vfio-pci) VF on VLAN
 * 2000 without IPAM, and a VF of an X700 with the GTP DDP profile.
 *
 * Corrected from upstream: `sriov-dpdk-net2000` declares no `cniVersion` (read as 0.1.0; the CNI
 * spec requires one): here it declares 0.3.1 as the other two.
 */
export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'sriov-examples');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const hostLocal = () => new HostLocalIpam({ subnet: '10.56.217.0/24', gateway: '10.56.217.1', routes: [{ dst: '0.0.0.0/0' }] });
  const net1 = new NetworkAttachmentDefinition(chart, 'sriov-net1', {
    metadata: { name: 'sriov-net1' },
    resourceName: 'intel.com/intel_sriov_netdevice',
    config: CniConfig.single(new SriovPlugin({ ipam: hostLocal() }), { cniVersion: CniVersion.V0_3_1, name: 'sriov-network' }),
  });
  const dpdk = new NetworkAttachmentDefinition(chart, 'sriov-dpdk-net2000', {
    metadata: { name: 'sriov-dpdk-net2000' },
    resourceName: 'intel.com/intel_x710vfio',
    config: CniConfig.single(new SriovPlugin({ vlan: 2000 }), { cniVersion: CniVersion.V0_3_1, name: 'sriov-vfio2000' }),
  });
  const gtp = new NetworkAttachmentDefinition(chart, 'sriov-net-gtp', {
    metadata: { name: 'sriov-net-gtp' },
    resourceName: 'intel.com/x700_gtp',
    config: CniConfig.single(new SriovPlugin({ ipam: hostLocal() }), { cniVersion: CniVersion.V0_3_1, name: 'sriov-gtp' }),
  });

  // one VF per attachment, requested by the attachment
  const pod = (name: string, container: string, network: NetworkAttachmentDefinition) =>
    PodNetworks.of(new kplus.Pod(chart, name, { metadata: { name }, containers: [{ name: container, image: 'centos/tools' }] })).attach(network);
  pod('testpod1', 'appcntr1', net1);
  pod('testpod2', 'appcntr2', net1);
  pod('testpod-gtp', 'gtpcntr1', gtp);

  // testpmd takes two vfio-pci VFs of the resource for DPDK, one of them attached through the NAD:
  // the attachment requests both; the huge pages are requested as extended resources
  const testpmd = manifestWorkload(chart, 'Testpmd', {
    kind: 'Pod',
    name: 'testpmd',
    containers: [{ name: 'testpmd', image: '<DPDK testpmd image>', requests: { memory: '1Gi' } }],
  });
  const nets = PodNetworks.of(testpmd);
  nets.requestResource('hugepages-1Gi', '4Gi');
  nets.attach(dpdk, { devices: 2 });
  return app;
}
