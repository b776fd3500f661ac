import { App, Chart } from 'cdk8s';
import {
  CniConfig, CniVersion, HostLocalIpam, MemifMode, MemifRole, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins,
  UserspaceEngine, UserspaceInterfaceType, UserspaceNetType, UserspacePlugin, VhostMode,
} from '../../../lib';

/**
 * The Userspace CNI examples: an OVS-DPDK vhost-user network on bridge `br-4` (namespace `ovs`) and
 * a VPP memif network on bridge domain 4 (namespace `vpp`), both with host-local addresses.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

const MULTUS_KUBECONFIG = '/etc/cni/net.d/multus.d/multus.kubeconfig';

function hostLocal(): HostLocalIpam {
  return new HostLocalIpam({ subnet: '10.56.217.0/24', rangeStart: '10.56.217.131', rangeEnd: '10.56.217.190', gateway: '10.56.217.1', routes: [{ dst: '0.0.0.0/0' }] });
}

export function build(): App {
  const app = new App();
  const ovs = new Chart(app, 'ovs', { namespace: 'ovs' });
  // userspace is installed with the dataplane; host-local from the node's CNI plugins
  PreinstalledCniPlugins.fromProfile(ovs, 'NodePlugins', PluginsProfile.UPSTREAM, { types: ['userspace'] });
  new NetworkAttachmentDefinition(ovs, 'userspace-ovs-net-1', {
    metadata: { name: 'userspace-ovs-net-1' },
    config: CniConfig.single(new UserspacePlugin({
      kubeconfig: MULTUS_KUBECONFIG,
      logFile: '/var/log/userspace-ovs-net-1-cni.log',
      logLevel: 'debug',
      host: {
        engine: UserspaceEngine.OVS_DPDK, iftype: UserspaceInterfaceType.VHOSTUSER, netType: UserspaceNetType.BRIDGE,
        vhost: { mode: VhostMode.CLIENT }, bridge: { bridgeName: 'br-4' },
      },
      container: {
        engine: UserspaceEngine.OVS_DPDK, iftype: UserspaceInterfaceType.VHOSTUSER, netType: UserspaceNetType.INTERFACE,
        vhost: { mode: VhostMode.SERVER },
      },
      ipam: hostLocal(),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });

  const vpp = new Chart(app, 'vpp', { namespace: 'vpp' });
  new NetworkAttachmentDefinition(vpp, 'userspace-vpp-net-1', {
    metadata: { name: 'userspace-vpp-net-1' },
    config: CniConfig.single(new UserspacePlugin({
      kubeconfig: MULTUS_KUBECONFIG,
      logFile: '/var/log/userspace-vpp-net-1-cni.log',
      logLevel: 'debug',
      host: {
        engine: UserspaceEngine.VPP, iftype: UserspaceInterfaceType.MEMIF, netType: UserspaceNetType.BRIDGE,
        memif: { role: MemifRole.MASTER, mode: MemifMode.ETHERNET }, bridge: { bridgeName: '4' },
      },
      container: {
        engine: UserspaceEngine.VPP, iftype: UserspaceInterfaceType.MEMIF, netType: UserspaceNetType.INTERFACE,
        memif: { role: MemifRole.SLAVE, mode: MemifMode.ETHERNET },
      },
      ipam: hostLocal(),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  return app;
}
