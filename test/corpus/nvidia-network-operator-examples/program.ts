import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, ExternalNetwork, HostDevicePlugin, MacvlanMode, MacvlanPlugin, NetworkAttachmentDefinition, NvIpam, PluginsProfile, PodNetworks, PreinstalledCniPlugins } from '../../../lib';
import { manifestWorkload } from '../manifest-workload';

/**
 * The NVIDIA network operator's examples, as its templates render the two example CRs: a macvlan
 * network on the RDMA NIC `ens2f0` and a host-device network whose device comes from the device
 * plugin resource `nvidia.com/hostdev`, both with addresses from the nv-ipam pool `my-pool`.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'network-operator-examples', { namespace: 'default' });
  // nv-ipam is installed by the NVIDIA network operator
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM, { types: ['nv-ipam'] });
  new NetworkAttachmentDefinition(chart, 'example-macvlannetwork', {
    metadata: { name: 'example-macvlannetwork' },
    config: CniConfig.single(new MacvlanPlugin({
      master: 'ens2f0', mode: MacvlanMode.BRIDGE, mtu: 1500, ipam: new NvIpam({ poolName: ['my-pool'] }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  // no device in the config: Multus writes the device the device plugin allocated for resourceName
  // into it (deviceID, pciBusID; multus-cni pkg/types/conf.go delegateAddDeviceID)
  const hostdev = new NetworkAttachmentDefinition(chart, 'example-hostdevice-network', {
    metadata: { name: 'example-hostdevice-network' },
    resourceName: 'nvidia.com/hostdev',
    config: CniConfig.single(new HostDevicePlugin({ ipam: new NvIpam({ poolName: ['my-pool'] }) }), { cniVersion: CniVersion.V0_3_1 }),
  });
  // selected by the RDMA test pods, defined by no file of the repository
  const rdmaNet = new ExternalNetwork(chart, 'RdmaNetIpam', { name: 'rdma-net-ipam', namespace: 'default' });

  for (const [i, node] of [[1, 'worker01'], [2, 'worker02']] as const) {
    // the host device (nvidia.com/hostdev: 1) is requested by the attachment
    const pod = new kplus.Pod(chart, `HostdevPod${i}`, {
      metadata: { name: `test-hostdev-pod-${i}` },
      containers: [{ name: 'test-hostdev-pod', image: 'centos/tools' }],
    });
    pod.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/hostname', node)));
    PodNetworks.of(pod).attach(hostdev);

    // an RDMA shared device, which no network requests
    const rdma = manifestWorkload(chart, `RdmaTestPod${i}`, {
      kind: 'Pod',
      name: `rdma-test-pod-${i}`,
      nodeSelector: { 'kubernetes.io/hostname': node },
      containers: [{ name: 'rdma-test-ctr', image: 'mellanox/rping-test', requests: { 'rdma/rdma_shared_device_a': '1' }, limits: { 'rdma/rdma_shared_device_a': '1' } }],
    });
    PodNetworks.of(rdma).attach(rdmaNet);
  }
  return app;
}
