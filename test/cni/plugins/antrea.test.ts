import { AntreaIpam, AntreaNetworkType, AntreaPlugin, CniConfig, CniVersion, HostLocalIpam, MacvlanPlugin, PluginsProfile, parseCniConfig } from '../../../lib';

test('defaults: an sriov network without IPAM writes its network type only', () => {
  const cfg = CniConfig.single(new AntreaPlugin({ networkType: AntreaNetworkType.SRIOV }), { name: 'sriov-net-a', cniVersion: CniVersion.V0_3_0 });
  expect(JSON.parse(cfg.toString())).toEqual({ cniVersion: '0.3.0', name: 'sriov-net-a', type: 'antrea', networkType: 'sriov' });
});

test('custom: a dual-stack VLAN network with Antrea IPAM', () => {
  const p = new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, mtu: 1500, vlan: 100, ipam: new AntreaIpam({ ippools: ['v4', 'v6'] }) });
  expect(p.toJson()).toEqual({ type: 'antrea', networkType: 'vlan', mtu: 1500, vlan: 100, ipam: { type: 'antrea', ippools: ['v4', 'v6'] } });
});

test('round-trips through the parser, also as the IPAM of macvlan (the cookbook variant)', () => {
  const text = '{"cniVersion":"0.3.0","name":"vlan100","type":"antrea","networkType":"vlan","mtu":1500,"vlan":100,"ipam":{"type":"antrea","ippools":["vlan100-ipv4","vlan100-ipv6"]}}';
  expect(parseCniConfig(text).toJson()).toEqual(JSON.parse(text));
  const macvlan = parseCniConfig('{"cniVersion":"0.3.0","name":"m","type":"macvlan","master":"enp0s9","ipam":{"type":"antrea","ippools":["macvlan-ippool"]}}');
  expect(macvlan.main).toBeInstanceOf(MacvlanPlugin);
  expect(macvlan.main.ipam).toBeInstanceOf(AntreaIpam);
});

test('checked under every plugins profile alike (Antrea, not the profile, ships it)', () => {
  expect(() => CniConfig.single(new AntreaPlugin({ networkType: AntreaNetworkType.VLAN }), { profile: PluginsProfile.DEBIAN_1_1_1 })).not.toThrow();
});

test('fails without networkType, with a VLAN on an sriov network, with a VLAN out of range', () => {
  expect(() => new AntreaPlugin({} as any)).toThrow("antrea plugin: 'networkType' is required: got nothing; write AntreaNetworkType.VLAN or AntreaNetworkType.SRIOV");
  expect(() => new AntreaPlugin({ networkType: AntreaNetworkType.SRIOV, vlan: 10 })).toThrow(
    "antrea plugin: 'vlan' is only read by networkType \"vlan\": got 10; remove it: an sriov network has no VLAN in Antrea's config");
  expect(() => new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, vlan: 4095 })).toThrow(/'vlan' must be an integer from 0 to 4094: got 4095/);
});

test('fails with another IPAM than Antrea\'s, and with no or three pools', () => {
  expect(() => new AntreaPlugin({ networkType: AntreaNetworkType.VLAN, ipam: HostLocalIpam.subnet('10.0.0.0/24') })).toThrow(
    "antrea plugin: 'ipam.type' is not Antrea IPAM, the only IPAM of Antrea secondary networks: got \"host-local\"; use new AntreaIpam({ ippools: [...] }) or leave the IPAM out");
  expect(() => new AntreaIpam({ ippools: [] })).toThrow(/'ippools' needs at least 1 item/);
  expect(() => new AntreaIpam({ ippools: ['a', 'b', 'c'] })).toThrow(/'ippools' has more than 2 items/);
  expect(() => new AntreaIpam({ ippools: ['Pool_1'] })).toThrow(/'ippools\[0\]' must be a string matching the name of an Antrea IPPool: got "Pool_1"/);
});
