import { App, Chart } from 'cdk8s';
import { AntreaIpam, AntreaNetworkType, AntreaPlugin, CniConfig, CniVersion, NetworkAttachmentDefinition, PreinstalledCniPlugins } from '../../../lib';

/**
 * Antrea's native secondary networks: VLAN networks on the secondary OVS bridge (one dual-stack,
 * two on per-node-pool bridges) and an SR-IOV network, all with Antrea IPAM.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'secondary-networks');
  // the antrea plugin and IPAM come with Antrea, the cluster network
  new PreinstalledCniPlugins(chart, 'ClusterNetwork', { types: ['antrea'] });
  const nad = (name: string, plugin: AntreaPlugin, resourceName?: string) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    resourceName,
    config: CniConfig.single(plugin, { cniVersion: CniVersion.V0_3_0 }),
  });
  nad('vlan100', new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, mtu: 1500, vlan: 100, ipam: new AntreaIpam({ ippools: ['vlan100-ipv4', 'vlan100-ipv6'] }) }));
  nad('vlan-pool1-300', new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, vlan: 300, ipam: new AntreaIpam({ ippools: ['pool1-vlan300-ipv4'] }) }));
  nad('vlan-pool2-400', new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, vlan: 400, ipam: new AntreaIpam({ ippools: ['pool2-vlan400-ipv4'] }) }));
  nad('sriov-net-a', new AntreaPlugin({ networkType: AntreaNetworkType.SRIOV, ipam: new AntreaIpam({ ippools: ['sriov-ipv4'] }) }), 'intel.com/sriov_net_A');
  return app;
}
