import {
  BridgePlugin, CniConfig, CniPlugin, CniVersion, FirewallBackend, FirewallIngressPolicy, FirewallPlugin, HostLocalIpam, MacvlanPlugin,
  PluginsProfile, Severity, parseCniConfig,
} from '../../../lib/cni';

const bridge = () => new BridgePlugin({ bridge: 'br0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const macvlan = () => new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: a bare firewall step writes only its type', () => {
  const fw = new FirewallPlugin();
  expect(JSON.parse(list([macvlan(), fw]).toString()).plugins[1]).toEqual({ type: 'firewall' });
  expect(fw.ingressPolicy).toBe(FirewallIngressPolicy.OPEN);
});

test('custom: every field in table order', () => {
  const fw = new FirewallPlugin({ backend: FirewallBackend.IPTABLES, iptablesAdminChainName: 'NFV-ADMIN', ingressPolicy: FirewallIngressPolicy.SAME_BRIDGE });
  expect(JSON.parse(list([bridge(), fw]).toString()).plugins[1]).toEqual({
    type: 'firewall', backend: 'iptables', iptablesAdminChainName: 'NFV-ADMIN', ingressPolicy: 'same-bridge',
  });
});

test('round-trips through the parser', () => {
  const cfg = list([bridge(), new FirewallPlugin({ backend: FirewallBackend.FIREWALLD, firewalldZone: 'nfv', ingressPolicy: FirewallIngressPolicy.ISOLATED })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

// cni-plugins.md §4 case 53
test('fails on an unknown ingress policy', () => {
  expect(() => new FirewallPlugin({ ingressPolicy: 'bogus' as FirewallIngressPolicy }))
    .toThrow(/'ingressPolicy' must be one of "open", "same-bridge", "isolated": got "bogus"; use a FirewallIngressPolicy value/);
});

test('fails on an unknown backend (the plugin would fall back to auto-detection silently)', () => {
  expect(() => new FirewallPlugin({ backend: 'nftables' as FirewallBackend })).toThrow(/'backend' must be one of "iptables", "firewalld": got "nftables"/);
});

test('fails on an admin chain name longer than 28 characters', () => {
  expect(() => new FirewallPlugin({ iptablesAdminChainName: 'A'.repeat(29) }))
    .toThrow(/'iptablesAdminChainName' must be a string matching of 1 to 28 characters without whitespace \(an iptables chain name\): got "A{29}"/);
});

test('warns about keys of the other backend', () => {
  expect(new FirewallPlugin({ backend: FirewallBackend.FIREWALLD, iptablesAdminChainName: 'X' }).shapeProblems())
    .toEqual([expect.objectContaining({ field: 'iptablesAdminChainName', severity: Severity.WARNING })]);
  expect(new FirewallPlugin({ backend: FirewallBackend.IPTABLES, firewalldZone: 'z' }).shapeProblems())
    .toEqual([expect.objectContaining({ field: 'firewalldZone', severity: Severity.WARNING })]);
});

test('fails as the first plugin', () => {
  expect(() => list([new FirewallPlugin()])).toThrow(/'plugins\[0\]\.type' must not be first: .*: got "firewall"/);
});

test('fails on same-bridge after an interface plugin that is not bridge', () => {
  expect(() => list([macvlan(), new FirewallPlugin({ ingressPolicy: FirewallIngressPolicy.SAME_BRIDGE })]))
    .toThrow(/'plugins\[1\]\.ingressPolicy' reads the first interface of the result as a bridge name, but the interface plugin is macvlan: got "same-bridge"; use it after a bridge plugin/);
});

// cni-plugins.md §4 case 4
test('fails at cniVersion 0.3.1 and is accepted at 0.4.0', () => {
  expect(() => list([macvlan(), new FirewallPlugin()], { cniVersion: CniVersion.V0_3_1 }))
    .toThrow(/'cniVersion' is older than firewall accepts \(from 0\.4\.0\): got "0\.3\.1"; declare cniVersion 0\.4\.0 or newer/);
  expect(list([macvlan(), new FirewallPlugin()], { cniVersion: CniVersion.V0_4_0 }).cniVersion).toBe('0.4.0');
});

// cni-plugins.md §4 case 54
test('gating: isolated needs containernetworking-plugins 1.7.0', () => {
  const plugins = () => [bridge(), new FirewallPlugin({ ingressPolicy: FirewallIngressPolicy.ISOLATED })];
  expect(() => list(plugins(), { profile: PluginsProfile.DEBIAN_1_1_1 }))
    .toThrow(/'plugins\[1\]\.ingressPolicy' is not known to containernetworking-plugins 1\.1\.1 .*, which fails ADD and every later DEL with it .*: got "isolated"; use FirewallIngressPolicy\.SAME_BRIDGE or OPEN, or target containernetworking-plugins 1\.7\.0 or later/);
  expect(list(plugins(), { profile: PluginsProfile.UPSTREAM }).plugins).toHaveLength(2);
  expect(list([bridge(), new FirewallPlugin({ ingressPolicy: FirewallIngressPolicy.SAME_BRIDGE })], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(2);
});
