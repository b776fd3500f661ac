import { App, Chart } from 'cdk8s';
import { CniCapability, CniConfig, CniVersion, NetworkAttachmentDefinition, OvsPlugin, PluginsProfile, PreinstalledCniPlugins, StaticIpam } from '../../../lib';

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
  'NetworkAttachmentDefinition default/ovs-ipam-net spec.config.capabilities: upstream <absent>, program {"ips":true}':
    "not expressible yet: the library refuses static IPAM without addresses unless the 'ips' capability is declared, while Multus 4 passes the pod's ips as CNI_ARGS IP= (deprecated, working)",
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
  nad('ovs-net-1', new OvsPlugin({ bridge: 'br1' }), MARKER_RESOURCE);
  nad('ovs-net-2-vlan', new OvsPlugin({ bridge: 'br1', vlan: 100 }), MARKER_RESOURCE);
  // the addresses come from each pod's `ips`: upstream relies on Multus passing them as CNI_ARGS
  // IP= (no capability declared); the library asks for the 'ips' capability (runtimeConfig)
  nad('ovs-ipam-net', new OvsPlugin({ bridge: 'br1', vlan: 100, mtu: 1450, ipam: new StaticIpam({}), capabilities: [CniCapability.IPS] }), MARKER_RESOURCE);
  nad('ovs-net-vlan100', new OvsPlugin({ bridge: 'br1', vlan: 100 }));
  return app;
}
