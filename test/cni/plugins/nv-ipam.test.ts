import { CniCapability, CniConfig, CniVersion, HostDevicePlugin, MacvlanPlugin, NvIpam, NvIpamLogLevel, NvIpamPoolType, PluginsProfile, parseCniConfig } from '../../../lib';

test('defaults: only the type (the pool is then the network name)', () => {
  expect(new NvIpam().toJson()).toEqual({ type: 'nv-ipam' });
});

test('custom: every key; two pools are written comma-separated', () => {
  const ipam = new NvIpam({
    poolName: ['pool-v4', 'pool-v6'], poolType: NvIpamPoolType.CIDR_POOL, forcePoolName: true, daemonSocket: 'unix:///var/lib/cni/nv-ipam/daemon.sock',
    daemonCallTimeoutSeconds: 10, confDir: '/etc/cni/net.d/nv-ipam.d', logFile: '/var/log/nv-ipam-cni.log', logLevel: NvIpamLogLevel.DEBUG,
  });
  expect(ipam.toJson()).toEqual({
    type: 'nv-ipam', forcePoolName: true, poolName: 'pool-v4,pool-v6', poolType: 'cidrpool', daemonSocket: 'unix:///var/lib/cni/nv-ipam/daemon.sock',
    daemonCallTimeoutSeconds: 10, confDir: '/etc/cni/net.d/nv-ipam.d', logFile: '/var/log/nv-ipam-cni.log', logLevel: 'debug',
  });
});

test('round-trips through the parser (the operator\'s macvlan network)', () => {
  const text = '{"cniVersion":"0.3.1","name":"example-macvlannetwork","type":"macvlan","master":"ens2f0","mode":"bridge","mtu":1500,"ipam":{"type":"nv-ipam","poolName":"my-pool"}}';
  const cfg = parseCniConfig(text);
  expect(cfg.main.ipam).toBeInstanceOf(NvIpam);
  expect(cfg.toJson()).toEqual(JSON.parse(text));
});

test('reads the ips capability; no plugins profile decides whether it is installed', () => {
  expect(new NvIpam().consumes(CniCapability.IPS)).toBe(true);
  const plugin = new HostDevicePlugin({ capabilities: [CniCapability.DEVICE_ID, CniCapability.IPS], ipam: new NvIpam({ poolName: ['p'] }) });
  expect(plugin.declaresCapability(CniCapability.IPS)).toBe(true);
  expect(() => new MacvlanPlugin({ master: 'eth1', capabilities: [CniCapability.MAC, CniCapability.IPS], ipam: new NvIpam() })).not.toThrow();
  expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth1', ipam: new NvIpam() }), { profile: PluginsProfile.DEBIAN_1_1_1, cniVersion: CniVersion.V0_3_1 })).not.toThrow();
});

test('fails on more than two pools, a bad pool name, a bad pool type or socket, forcePoolName without a pool', () => {
  expect(() => new NvIpam({ poolName: ['a', 'b', 'c'] })).toThrow(
    "nv-ipam IPAM: 'poolName' must name one pool, or two (IPv4 and IPv6): got [\"a\",\"b\",\"c\"]; write [\"my-pool\"] or [\"pool-v4\", \"pool-v6\"]");
  expect(() => new NvIpam({ poolName: ['My Pool'] })).toThrow(/'poolName\[0\]' is not the name of an IPPool or CIDRPool resource: got "My Pool"/);
  expect(() => new NvIpam({ poolType: 'IPPool' as NvIpamPoolType })).toThrow(/'poolType' must be one of "ippool", "cidrpool": got "IPPool"/);
  expect(() => new NvIpam({ daemonSocket: '/var/lib/cni/nv-ipam/daemon.sock' })).toThrow(/'daemonSocket' must be a string matching a gRPC address/);
  expect(() => new NvIpam({ forcePoolName: true })).toThrow(
    "nv-ipam IPAM: 'poolName' is required when 'forcePoolName' is true: got nothing; name the pool, or leave forcePoolName out to use the network name");
});
