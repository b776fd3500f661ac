import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AntreaIpam, AntreaNetworkType, AntreaPlugin, CniConfig, CniVersion, ExternalNetwork, NetworkAttachmentDefinition, PodNetworks, PreinstalledCniPlugins } from '../../../lib';

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
  const vlan100 = nad('vlan100', new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, mtu: 1500, vlan: 100, ipam: new AntreaIpam({ ippools: ['vlan100-ipv4', 'vlan100-ipv6'] }) }));
  const pool1 = nad('vlan-pool1-300', new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, vlan: 300, ipam: new AntreaIpam({ ippools: ['pool1-vlan300-ipv4'] }) }));
  const pool2 = nad('vlan-pool2-400', new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, vlan: 400, ipam: new AntreaIpam({ ippools: ['pool2-vlan400-ipv4'] }) }));
  const sriovNetA = nad('sriov-net-a', new AntreaPlugin({ networkType: AntreaNetworkType.SRIOV, ipam: new AntreaIpam({ ippools: ['sriov-ipv4'] }) }), 'intel.com/sriov_net_A');
  // defined elsewhere (the page shows no NAD for it)
  const vlan200 = new ExternalNetwork(chart, 'Vlan200', { name: 'vlan200', namespace: 'networks' });

  const toolbox = (name: string) => new kplus.Pod(chart, name, {
    metadata: { name },
    containers: [{ name: 'toolbox', image: 'antrea/toolbox:latest' }],
  });
  for (const [name, network, pool] of [['pod-pool1-vlan300', pool1, 'pool1'], ['pod-pool2-vlan400', pool2, 'pool2']] as const) {
    const pod = toolbox(name);
    pod.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('antrea.io/node-pool', pool)));
    PodNetworks.of(pod).attach(network, { interface: 'eth1' });
  }
  const vlan = PodNetworks.of(toolbox('sample-pod-secondary-network-vlan'));
  vlan.attach(vlan100);
  vlan.attach(vlan200, { interface: 'eth200', mac: '6a:08:cb:4b:ff:d3' });
  // the VF request (intel.com/sriov_net_A: 1) is added by the attachment
  PodNetworks.of(toolbox('sample-pod-secondary-network-sriov')).attach(sriovNetA);
  return app;
}
