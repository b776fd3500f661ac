import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, NetworkAttachmentDefinition, OvsPlugin, PluginsProfile, PodNetworks, PreinstalledCniPlugins, StaticIpam } from '../../../lib';

/**
 * The ovs-cni demo: three NADs on the OVS bridge `br1` (a trunk, an access port on VLAN 100, and
 * VLAN 100 with static IPAM whose addresses come from each pod's `ips`), plus the examples' copy
 * `ovs-net-vlan100`. The first three carry the ovs-cni marker's resource of the bridge.
 */
export const MARKER_RESOURCE = 'ovs-cni.network.kubevirt.io/br1';

/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'Pod default/samplepod-1 devices.limits.ovs-cni.network.kubevirt.io/br1: upstream <absent>, program "2"':
    'corrected: the pods attach to NADs with the marker resource of br1 but do not request it, so they may be scheduled where the bridge does not exist',
  'Pod default/samplepod-1 devices.requests.ovs-cni.network.kubevirt.io/br1: upstream <absent>, program "2"':
    'corrected: as above (request and limit)',
  'Pod default/samplepod-2 devices.limits.ovs-cni.network.kubevirt.io/br1: upstream <absent>, program "1"':
    'corrected: as for samplepod-1',
  'Pod default/samplepod-2 devices.requests.ovs-cni.network.kubevirt.io/br1: upstream <absent>, program "1"':
    'corrected: as for samplepod-1',
  'Pod default/samplepod-3 devices.limits.ovs-cni.network.kubevirt.io/br1: upstream <absent>, program "1"':
    'corrected: as for samplepod-1',
  'Pod default/samplepod-3 devices.requests.ovs-cni.network.kubevirt.io/br1: upstream <absent>, program "1"':
    'corrected: as for samplepod-1',
  'NetworkAttachmentDefinition default/ovs-ipam-net spec.config.capabilities: upstream <absent>, program {"ips":true}':
    "corrected: the pods' ips reach the static IPAM as runtimeConfig through the 'ips' capability, which attach declares on the NAD's plugin; upstream declares none and relies on Multus passing them as CNI_ARGS IP=, a deprecated path (still working in Multus 4.3.0; lint warns about it)",
};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'ovs-cni-demo');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const nad = (name: string, plugin: OvsPlugin, resourceName?: string) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    resourceName,
    config: CniConfig.single(plugin, { cniVersion: CniVersion.V0_4_0 }),
  });
  const net1 = nad('ovs-net-1', new OvsPlugin({ bridge: 'br1' }), MARKER_RESOURCE);
  const net2 = nad('ovs-net-2-vlan', new OvsPlugin({ bridge: 'br1', vlan: 100 }), MARKER_RESOURCE);
  // the addresses come from each pod's `ips`: written as upstream writes it (static IPAM, no
  // address, no capability), attach with ips declares the 'ips' capability
  const ipamNet = nad('ovs-ipam-net', new OvsPlugin({ bridge: 'br1', vlan: 100, mtu: 1450, ipam: new StaticIpam({}) }), MARKER_RESOURCE);
  nad('ovs-net-vlan100', new OvsPlugin({ bridge: 'br1', vlan: 100 }));

  // each attachment to a NAD with the marker resource requests one (the bridge exists where it is
  // allocatable), as the Network Resources Injector would add it; the demo's pods request none
  const samplepod = (name: string) => PodNetworks.of(new kplus.Pod(chart, name, {
    metadata: { name },
    containers: [{ name: 'samplepod', image: 'alpine', command: ['sleep', '99999'] }],
  }));
  const one = samplepod('samplepod-1');
  one.attach(net1);
  one.attach(net2);
  samplepod('samplepod-2').attach(ipamNet, { ips: ['10.10.10.1/24'] });
  samplepod('samplepod-3').attach(ipamNet, { ips: ['10.10.10.2/24'] });
  return app;
}
