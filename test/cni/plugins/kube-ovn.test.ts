import { CniConfig, CniVersion, KUBE_OVN_DAEMON_SOCKET, KubeOvnIpam, KubeOvnPlugin, MacvlanPlugin, PluginsProfile, parseCniConfig } from '../../../lib';

test('defaults: the plugin writes its provider only', () => {
  const cfg = CniConfig.single(new KubeOvnPlugin({ provider: 'attachnet.default.ovn' }), { name: 'attachnet' });
  expect(JSON.parse(cfg.toString())).toEqual({ cniVersion: '1.0.0', name: 'attachnet', type: 'kube-ovn', provider: 'attachnet.default.ovn' });
});

test('custom: every field of the plugin and of the IPAM, with wire keys', () => {
  const plugin = new KubeOvnPlugin({ provider: 'a.b.ovn', serverSocket: KUBE_OVN_DAEMON_SOCKET, routes: [{ dst: '192.168.0.0/24', gw: '172.17.0.254' }, { gw: '172.17.0.1' }] });
  expect(plugin.toJson()).toEqual({
    type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: 'a.b.ovn',
    routes: [{ dst: '192.168.0.0/24', gw: '172.17.0.254' }, { gw: '172.17.0.1' }],
  });
  const ipam = new KubeOvnIpam({ provider: 'macvlan.default', serverSocket: KUBE_OVN_DAEMON_SOCKET, routes: [{ gw: '172.17.0.1' }] });
  expect(ipam.toJson()).toEqual({ type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: 'macvlan.default', routes: [{ gw: '172.17.0.1' }] });
});

test('round-trips through the parser: kube-ovn as a plugin and as the IPAM of macvlan', () => {
  const plugin = '{"cniVersion":"0.3.0","name":"attachnet","type":"kube-ovn","server_socket":"/run/openvswitch/kube-ovn-daemon.sock","provider":"attachnet.default.ovn"}';
  expect(parseCniConfig(plugin).toJson()).toEqual(JSON.parse(plugin));
  const macvlan = '{"cniVersion":"0.3.0","name":"macvlan","type":"macvlan","master":"eth0","mode":"bridge","ipam":{"type":"kube-ovn","server_socket":"/run/openvswitch/kube-ovn-daemon.sock","provider":"macvlan.default"}}';
  const cfg = parseCniConfig(macvlan);
  expect(cfg.main).toBeInstanceOf(MacvlanPlugin);
  expect(cfg.main.ipam).toBeInstanceOf(KubeOvnIpam);
  expect(cfg.toJson()).toEqual(JSON.parse(macvlan));
});

test('no plugins profile decides whether Kube-OVN is there (Debian 1.1.1 and upstream alike)', () => {
  for (const profile of [PluginsProfile.UPSTREAM, PluginsProfile.DEBIAN_1_1_1]) {
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam: new KubeOvnIpam({ provider: 'm.default' }) }), { profile, cniVersion: CniVersion.V0_3_1 })).not.toThrow();
  }
});

test('fails without a provider, or with a provider of the wrong form', () => {
  expect(() => new KubeOvnPlugin({} as any)).toThrow(
    "kube-ovn plugin: 'provider' is required: got nothing; write <nad name>.<nad namespace>.ovn, the provider of the Kube-OVN Subnet of the attachment");
  expect(() => new KubeOvnPlugin({ provider: 'attachnet.default' })).toThrow(
    "kube-ovn plugin: 'provider' must be a string matching <nad name>.<nad namespace>.ovn: got \"attachnet.default\"; write a string matching <nad name>.<nad namespace>.ovn");
  expect(() => new KubeOvnIpam({ provider: 'macvlan' })).toThrow(
    "kube-ovn IPAM: 'provider' must be a string matching <nad name>.<nad namespace>: got \"macvlan\"; write a string matching <nad name>.<nad namespace>");
});

test('fails on a relative socket path and on a route without next hop', () => {
  expect(() => new KubeOvnIpam({ provider: 'm.default', serverSocket: 'kube-ovn.sock' })).toThrow(/'server_socket' must be a string matching an absolute path: got "kube-ovn.sock"/);
  expect(() => new KubeOvnPlugin({ provider: 'a.b.ovn', routes: [{ dst: '10.0.0.0/8' } as any] })).toThrow(/'routes\[0\]\.gw' is required: got nothing; write the next hop address/);
});

test('unknown keys are refused, not dropped', () => {
  expect(() => new KubeOvnPlugin({ provider: 'a.b.ovn', vfDriver: 'x' } as any)).toThrow(/'vfDriver' is not a prop of the kube-ovn plugin/);
});
