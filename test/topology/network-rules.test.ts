import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { HostDevicePlugin } from '../../lib/cni/plugins/host-device';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { SriovPlugin } from '../../lib/cni/plugins/sriov';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { deviceSourceProblems, needsDevice, ovnKubernetesIpsProblem } from '../../lib/topology/network-rules';
import { parseCniConfig } from '../../lib/cni/parse';

const ipam = () => HostLocalIpam.subnet('10.3.0.0/24');

describe('deviceSourceProblems: where a device-plugin network gets its device', () => {
  test('sriov needs the resourceName annotation (Multus takes the VF from the device plugin)', () => {
    const config = CniConfig.list([new SriovPlugin({ ipam: ipam() })]);
    expect(deviceSourceProblems(config, undefined).map(formatProblem)).toEqual([
      "'resourceName' is required for an sriov network: Multus takes the VF from the device plugin: got nothing; set resourceName to the SR-IOV device plugin resource, e.g. \"intel.com/sriov_netdevice\"",
    ]);
    expect(deviceSourceProblems(config, 'intel.com/sriov_netdevice')).toEqual([]);
  });

  test('host-device without a device in its config needs a resourceName: Multus writes the allocated device as pciBusID', () => {
    const picked = CniConfig.list([new HostDevicePlugin({ capabilities: [CniCapability.DEVICE_ID], ipam: ipam() })]);
    const problems = deviceSourceProblems(picked, undefined);
    expect(problems.map((p) => [p.severity, p.field])).toEqual([[Severity.ERROR, 'resourceName']]);
    expect(problems[0].message).toBe('is not set and the host-device config names no device (device, hwaddr, kernelpath, pciBusID), so host-device has no device to move into the pod');
    expect(deviceSourceProblems(picked, 'nvidia.com/hostdev')).toEqual([]);
    // a device named in the config needs no resource
    expect(deviceSourceProblems(CniConfig.list([new HostDevicePlugin({ device: 'ens6', ipam: ipam() })]), undefined)).toEqual([]);
  });

  test('other plugins and NADs without a config: nothing to say', () => {
    expect(deviceSourceProblems(CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: ipam() })]), undefined)).toEqual([]);
    expect(deviceSourceProblems(undefined, undefined)).toEqual([]);
  });
});

describe('needsDevice: plugins that cannot work without the device Multus passes', () => {
  test('sriov and host-device without a device need it; host-device with one, and other plugins, do not', () => {
    expect(needsDevice(CniConfig.list([new SriovPlugin({ ipam: ipam() })]))).toBe(true);
    expect(needsDevice(CniConfig.list([new HostDevicePlugin({ capabilities: [CniCapability.DEVICE_ID], ipam: ipam() })]))).toBe(true);
    expect(needsDevice(CniConfig.list([new HostDevicePlugin({ device: 'ens6', ipam: ipam() })]))).toBe(false);
    expect(needsDevice(CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: ipam() })]))).toBe(false);
    expect(needsDevice(undefined)).toBe(false);
  });
});

describe('ovnKubernetesIpsProblem: static ips on OVN-K networks', () => {
  const ovnk = (extra: object) => parseCniConfig(JSON.stringify({ cniVersion: '1.0.0', name: 'l2', type: 'ovn-k8s-cni-overlay', topology: 'layer2', netAttachDefName: 'ns1/l2', ...extra }));

  test('a network with subnets allocates itself: requested ips are refused with why', () => {
    expect(ovnKubernetesIpsProblem(ovnk({ subnets: '10.100.200.0/24' }))?.message)
      .toBe('is requested on an OVN-Kubernetes network that allocates from its subnets (10.100.200.0/24); OVN-K honours static ips only on layer2 and localnet networks without subnets');
  });

  test('without subnets, and on other plugins: nothing to say', () => {
    expect(ovnKubernetesIpsProblem(ovnk({}))).toBeUndefined();
    expect(ovnKubernetesIpsProblem(CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: ipam() })]))).toBeUndefined();
  });
});
