import {
  CniCapability, CniConfig, CniPlugin, HostLocalIpam, MacvlanPlugin, PluginsProfile, Severity, SriovPlugin, TuningPlugin,
  lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const macvlan = () => new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: a bare tuning step writes only its type', () => {
  const cfg = list([macvlan(), new TuningPlugin()]);
  expect(JSON.parse(cfg.toString()).plugins[1]).toEqual({ type: 'tuning' });
});

test('custom: every field is written in table order, sysctl keys dotted', () => {
  const cfg = list([macvlan(), new TuningPlugin({
    sysctl: { 'net/ipv4/conf/IFNAME/arp_filter': '1', 'net.ipv6.conf.IFNAME.accept_ra': '0' },
    mac: '02:00:00:00:00:01', mtu: 1400, promisc: true, allmulti: false, txQLen: 2000, dataDir: '/run/cni/tuning2',
    capabilities: [CniCapability.MAC],
  })]);
  expect(JSON.parse(cfg.toString()).plugins[1]).toEqual({
    type: 'tuning',
    sysctl: { 'net.ipv4.conf.IFNAME.arp_filter': '1', 'net.ipv6.conf.IFNAME.accept_ra': '0' },
    mac: '02:00:00:00:00:01', mtu: 1400, promisc: true, allmulti: false, txQLen: 2000, dataDir: '/run/cni/tuning2',
    capabilities: { mac: true },
  });
});

test('round-trips through the parser', () => {
  const cfg = list([macvlan(), new TuningPlugin({ sysctl: { 'net.ipv4.conf.IFNAME.arp_filter': '1' }, mtu: 1400, allmulti: true })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

test('the sysctl getter returns canonical keys', () => {
  expect(new TuningPlugin({ sysctl: { 'net/core/somaxconn': '1024' } }).sysctl).toEqual({ 'net.core.somaxconn': '1024' });
});

// cni-plugins.md §4 case 37
test('fails on a sysctl outside net', () => {
  expect(() => new TuningPlugin({ sysctl: { 'kernel.hostname': 'x' } }))
    .toThrow(/'sysctl\.kernel\.hostname' is not a network sysctl .*: got "kernel\.hostname"; use a key starting with "net\."/);
});

// cni-plugins.md §4 case 38
test('fails on a sysctl value that is not a string', () => {
  expect(() => new TuningPlugin({ sysctl: { 'net.ipv4.ip_forward': 1 as unknown as string } }))
    .toThrow(/'sysctl\.net\.ipv4\.ip_forward' must be a string .*: got 1; write the value as a JSON string such as "1"/);
});

test('fails on an empty sysctl value', () => {
  expect(() => new TuningPlugin({ sysctl: { 'net.ipv4.ip_forward': '' } })).toThrow(/'sysctl\.net\.ipv4\.ip_forward' is empty: got ""; write the value/);
});

// cni-plugins.md §4 case 40
test('fails on two spellings of one sysctl', () => {
  expect(() => new TuningPlugin({ sysctl: { 'net.ipv4.conf.IFNAME.arp_filter': '1', 'net/ipv4/conf/IFNAME/arp_filter': '0' } }))
    .toThrow(/'sysctl\.net\/ipv4\/conf\/IFNAME\/arp_filter' is the same sysctl as 'net\.ipv4\.conf\.IFNAME\.arp_filter' .*; keep one spelling/);
});

// cni-plugins.md §4 case 40
test('fails on two spellings of one sysctl when parsing', () => {
  const r = lintCniConfig({
    cniVersion: '1.0.0', name: 'n',
    plugins: [{ type: 'macvlan', master: 'eth0' }, { type: 'tuning', sysctl: { 'net.ipv4.conf.IFNAME.arp_filter': '1', 'net/ipv4/conf/IFNAME/arp_filter': '0' } }],
  });
  expect(r.problems.filter((p) => p.severity === Severity.ERROR).map((p) => p.field)).toEqual(['plugins[1].sysctl.net/ipv4/conf/IFNAME/arp_filter']);
});

test('fails on a sysctl map that is not an object', () => {
  expect(() => new TuningPlugin({ sysctl: ['net.x'] as unknown as Record<string, string> })).toThrow(/'sysctl' must be an object of sysctl names to string values/);
});

// cni-plugins.md §4 case 15
test('fails on a bad MAC', () => {
  expect(() => new TuningPlugin({ mac: 'zz:11' })).toThrow(/'mac' must be a MAC address .*: got "zz:11"; write six colon-separated hex pairs/);
});

test('fails on an MTU out of range', () => {
  expect(() => new TuningPlugin({ mtu: 10 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 10; write/);
});

test('fails on a negative txQLen', () => {
  expect(() => new TuningPlugin({ txQLen: -1 })).toThrow(/'txQLen' must be an integer from 0 to 4294967295: got -1/);
});

test('fails on a non-boolean promisc', () => {
  expect(() => new TuningPlugin({ allmulti: 'true' as unknown as boolean })).toThrow(/'allmulti' must be true or false: got "true"; write a JSON boolean/);
});

test('warns that promisc false does nothing', () => {
  const problems = new TuningPlugin({ promisc: false }).shapeProblems();
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ field: 'promisc', severity: Severity.WARNING });
  expect(problems[0].message).toMatch(/does nothing when false/);
});

// cni-plugins.md §4 case 36
test('fails as the first plugin', () => {
  expect(() => list([new TuningPlugin({ mtu: 1400 })])).toThrow(/'plugins\[0\]\.type' must not be first: it acts on the result of an interface plugin: got "tuning"; put an interface plugin/);
});

test('gating: txQLen needs containernetworking-plugins 1.4.0', () => {
  const plugins = () => [macvlan(), new TuningPlugin({ txQLen: 2000 })];
  expect(() => list(plugins(), { profile: PluginsProfile.DEBIAN_1_1_1 }))
    .toThrow(/'plugins\[1\]\.txQLen' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got 2000; remove it, or target containernetworking-plugins 1\.4\.0 or later/);
  expect(list(plugins(), { profile: PluginsProfile.UPSTREAM }).toJson().plugins).toHaveLength(2);
});

// cni-plugins.md §4 case 41
test('an IFNAME sysctl disables CHECK before containernetworking-plugins 1.3.0 only', () => {
  const plugins = () => [macvlan(), new TuningPlugin({ sysctl: { 'net.ipv4.conf.IFNAME.arp_filter': '1' } })];
  expect(list(plugins(), { profile: PluginsProfile.DEBIAN_1_1_1 }).toJson().disableCheck).toBe(true);
  expect(list(plugins(), { profile: PluginsProfile.UPSTREAM }).toJson().disableCheck).toBeUndefined();
  expect(list([macvlan(), new TuningPlugin({ sysctl: { 'net.ipv4.conf.all.arp_filter': '1' } })], { profile: PluginsProfile.DEBIAN_1_1_1 }).toJson().disableCheck).toBeUndefined();
});

// cni-plugins.md §4 case 41
test('an IFNAME sysctl after sriov disables CHECK when the tuning binary is older than 1.3.0', () => {
  const old = PluginsProfile.custom({ name: 'old', cniPlugins: '1.2.0', sriovCni: '2.10.0' });
  const cfg = list([new SriovPlugin({ vlan: 10 }), new TuningPlugin({ sysctl: { 'net.ipv4.conf.IFNAME.arp_filter': '1' } })], { profile: old });
  expect(cfg.toJson().disableCheck).toBe(true);
});
