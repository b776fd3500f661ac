import { App, Chart } from 'cdk8s';
import {
  CniConfig, CniVersion, HostLocalIpam, MemifMode, MemifRole, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins,
  PodNetworks, UserspaceEngine, UserspaceInterfaceType, UserspaceNetType, UserspacePlugin, VhostMode,
} from '../../../lib';
import { manifestWorkload } from '../manifest-workload';

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
  const ovsNet = new NetworkAttachmentDefinition(ovs, 'userspace-ovs-net-1', {
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
  const vppNet = new NetworkAttachmentDefinition(vpp, 'userspace-vpp-net-1', {
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

  // DPDK applications with hugepages; the socket directory is told to the pod in its own
  // annotation (the plugin writes the interface data there); the container names are upstream's
  const app_ = (chart: Chart, name: string, container: string, image: string, cpu: string, memory: string, network: NetworkAttachmentDefinition) => {
    const resources = { 'hugepages-2Mi': '1Gi', memory, cpu };
    const pod = manifestWorkload(chart, name, {
      kind: 'Pod', name,
      annotations: { 'userspace/mappedDir': '/var/lib/cni/usrspcni/' },
      nodeSelector: { 'kubernetes.io/hostname': 'kind-control-plane' },
      containers: [{ name: container, image, requests: resources, limits: resources }],
    });
    PodNetworks.of(pod).attach(network);
  };
  app_(ovs, 'ovs-app1', 'ovs-app1', 'localhost:5000/testpmd', '5', '500Mi', ovsNet);
  app_(ovs, 'ovs-app2', 'ovs-app1', 'localhost:5000/testpmd', '5', '500Mi', ovsNet);
  app_(vpp, 'vpp-app1', 'vpp-app1', 'ligato/vpp-base:23.02', '3', '1Gi', vppNet);
  app_(vpp, 'vpp-app2', 'vpp-app1', 'ligato/vpp-base:23.02', '3', '1Gi', vppNet);
  return app;
}
