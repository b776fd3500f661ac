import { CniConfig, HostLocalIpam, MemifMode, MemifRole, UserspaceEngine, UserspaceInterfaceType, UserspaceNetType, UserspacePlugin, VhostMode, parseCniConfig } from '../../../lib';

const OVS_HOST = { engine: UserspaceEngine.OVS_DPDK, iftype: UserspaceInterfaceType.VHOSTUSER, netType: UserspaceNetType.BRIDGE, vhost: { mode: VhostMode.CLIENT }, bridge: { bridgeName: 'br-4' } };

test('defaults: the host side and the kubeconfig', () => {
  const p = new UserspacePlugin({ kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig', host: OVS_HOST });
  expect(p.toJson()).toEqual({
    type: 'userspace', kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
    host: { engine: 'ovs-dpdk', iftype: 'vhostuser', netType: 'bridge', vhost: { mode: 'client' }, bridge: { bridgeName: 'br-4' } },
  });
});

test('custom: both sides, a shared directory, logs and host-local', () => {
  const p = new UserspacePlugin({
    sharedDir: '/usr/local/var/run/openvswitch/', logFile: '/var/log/u.log', logLevel: 'debug',
    host: { engine: UserspaceEngine.VPP, iftype: UserspaceInterfaceType.MEMIF, netType: UserspaceNetType.BRIDGE, memif: { role: MemifRole.MASTER, mode: MemifMode.ETHERNET }, bridge: { bridgeName: '4', vlanId: 10 } },
    container: { engine: UserspaceEngine.VPP, iftype: UserspaceInterfaceType.MEMIF, netType: UserspaceNetType.INTERFACE, memif: { role: MemifRole.SLAVE, mode: MemifMode.ETHERNET, socketfile: 'memif-1.sock' } },
    ipam: HostLocalIpam.subnet('10.56.217.0/24'),
  });
  const json = CniConfig.single(p, { name: 'u' }).toJson();
  expect(json.host).toEqual({ engine: 'vpp', iftype: 'memif', netType: 'bridge', memif: { role: 'master', mode: 'ethernet' }, bridge: { bridgeName: '4', vlanId: 10 } });
  expect(json.container).toEqual({ engine: 'vpp', iftype: 'memif', netType: 'interface', memif: { role: 'slave', mode: 'ethernet', socketfile: 'memif-1.sock' } });
  expect(json.sharedDir).toBe('/usr/local/var/run/openvswitch/');
});

test('round-trips through the parser', () => {
  const text = JSON.stringify({
    cniVersion: '0.3.1', name: 'userspace-ovs-net-1', type: 'userspace', kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
    logFile: '/var/log/userspace-ovs-net-1-cni.log', logLevel: 'debug',
    host: { engine: 'ovs-dpdk', iftype: 'vhostuser', netType: 'bridge', vhost: { mode: 'client' }, bridge: { bridgeName: 'br-4' } },
    container: { engine: 'ovs-dpdk', iftype: 'vhostuser', netType: 'interface', vhost: { mode: 'server' } },
  });
  expect(parseCniConfig(text).toJson()).toEqual(JSON.parse(text));
});

test('fails without kubeconfig or sharedDir, and without the host side', () => {
  expect(() => new UserspacePlugin({ host: OVS_HOST })).toThrow(
    "userspace plugin: 'kubeconfig' is required unless 'sharedDir' is set: got nothing; give the node kubeconfig (e.g. Multus's /etc/cni/net.d/multus.d/multus.kubeconfig) or a sharedDir");
  expect(() => new UserspacePlugin({ sharedDir: '/run/x' } as any)).toThrow(/'host' is required: got nothing; describe the host side/);
});

test('fails on settings of the other interface type, memif on OVS-DPDK, a relative log file', () => {
  expect(() => new UserspacePlugin({ sharedDir: '/run/x', host: { ...OVS_HOST, memif: { role: MemifRole.MASTER } } })).toThrow(
    "userspace plugin: 'host.memif' is only read with iftype \"memif\" (this side is \"vhostuser\"): got {\"role\":\"master\"}; remove it, or use UserspaceInterfaceType.MEMIF");
  expect(() => new UserspacePlugin({ sharedDir: '/run/x', host: { engine: UserspaceEngine.OVS_DPDK, iftype: UserspaceInterfaceType.MEMIF } })).toThrow(
    /'host\.iftype' is memif, which the ovs-dpdk engine does not create/);
  expect(() => new UserspacePlugin({ sharedDir: '/run/x', host: OVS_HOST, logFile: 'u.log' })).toThrow(/'logFile' must be a string matching an absolute path: got "u.log"/);
  expect(() => new UserspacePlugin({ sharedDir: '/run/x', host: { ...OVS_HOST, vhost: { socketfile: '/tmp/s' } } })).toThrow(/'host\.vhost\.socketfile' must be a string matching a file name without a path/);
});
