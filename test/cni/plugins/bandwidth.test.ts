import {
  BandwidthPlugin, BridgePlugin, CniCapability, CniConfig, CniPlugin, CniVersion, HostLocalIpam, MacvlanPlugin, PluginsProfile, PtpPlugin,
  Severity, UncheckedPlugin, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const bridge = () => new BridgePlugin({ bridge: 'br0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });
const shaped = () => new BandwidthPlugin({ ingressRate: 1_000_000, ingressBurst: 100_000, egressRate: 2_000_000, egressBurst: 200_000 });

test('defaults: a bare bandwidth step writes only its type, and warns that it does nothing', () => {
  const bw = new BandwidthPlugin();
  expect(JSON.parse(list([bridge(), bw]).toString()).plugins[1]).toEqual({ type: 'bandwidth' });
  expect(bw.shapeProblems()).toEqual([expect.objectContaining({ field: 'ingressRate', severity: Severity.WARNING })]);
});

test('custom: rates and bursts in table order', () => {
  expect(JSON.parse(list([bridge(), shaped()]).toString()).plugins[1]).toEqual({
    type: 'bandwidth', ingressRate: 1000000, ingressBurst: 100000, egressRate: 2000000, egressBurst: 200000,
  });
});

test('the per-pod capability alone is enough', () => {
  const bw = new BandwidthPlugin({ capabilities: [CniCapability.BANDWIDTH] });
  expect(bw.shapeProblems()).toEqual([]);
  expect(JSON.parse(list([bridge(), bw]).toString()).plugins[1]).toEqual({ type: 'bandwidth', capabilities: { bandwidth: true } });
});

test('warns that the capability is ignored next to static rates', () => {
  const bw = new BandwidthPlugin({ ingressRate: 1000, ingressBurst: 1000, capabilities: [CniCapability.BANDWIDTH] });
  expect(bw.shapeProblems()).toEqual([expect.objectContaining({ field: 'capabilities.bandwidth', severity: Severity.WARNING })]);
});

test('round-trips through the parser', () => {
  const cfg = list([bridge(), shaped()]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

// cni-plugins.md §4 case 43
test('fails on a rate without a burst', () => {
  expect(() => new BandwidthPlugin({ ingressRate: 1000 }))
    .toThrow(/'ingressBurst' must be set when 'ingressRate' is .*: got nothing; set 'ingressBurst' in bits/);
});

// cni-plugins.md §4 case 43
test('fails on a burst without a rate', () => {
  expect(() => new BandwidthPlugin({ egressBurst: 1000 }))
    .toThrow(/'egressRate' must be set when 'egressBurst' is .*: got nothing; set 'egressRate' in bits per second/);
});

// cni-plugins.md §4 case 44
test('fails on a burst of 4 GB or more', () => {
  expect(() => new BandwidthPlugin({ ingressRate: 1000, ingressBurst: 34359738360 }))
    .toThrow(/'ingressBurst' must be an integer from 0 to 34359738359 bits: got 34359738360; write a burst below 34359738360 bits/);
  expect(new BandwidthPlugin({ ingressRate: 1000, ingressBurst: 34359738359 }).get('ingressBurst')).toBe(34359738359);
});

// cni-plugins.md §4 case 45
test('fails on a negative rate', () => {
  expect(() => new BandwidthPlugin({ ingressRate: -5, ingressBurst: 10 })).toThrow(/'ingressRate' must be an integer of at least 0 bits per second: got -5/);
});

test('fails on shapedSubnets when parsing (1.5.x only, never exposed)', () => {
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', bridge: 'br0' }, { type: 'bandwidth', ingressRate: 1, ingressBurst: 1, shapedSubnets: ['10.0.0.0/8'] }] });
  const errors = r.problems.filter((p) => p.severity === Severity.ERROR);
  expect(errors).toEqual([expect.objectContaining({ field: 'plugins[1].shapedSubnets' })]);
  expect(errors[0].message).toMatch(/only in containernetworking-plugins 1\.5\.x/);
});

// cni-plugins.md §4 case 47
test('fails as the first plugin', () => {
  expect(() => list([shaped()])).toThrow(/'plugins\[0\]\.type' must not be first: it acts on the result of an interface plugin: got "bandwidth"/);
});

// cni-plugins.md §4 case 46
test('fails after macvlan: no veth to shape', () => {
  expect(() => list([new MacvlanPlugin({ master: 'eth0' }), shaped()]))
    .toThrow(/'plugins\[1\]\.type' cannot shape the interface of macvlan: the plugin needs a veth whose peer is on the host .*: got "bandwidth"; chain bandwidth after bridge or ptp/);
});

// cni-plugins.md §4 case 46
test('is accepted after bridge and after ptp', () => {
  expect(list([bridge(), shaped()]).plugins.map((p) => p.type)).toEqual(['bridge', 'bandwidth']);
  expect(list([new PtpPlugin({ ipam: HostLocalIpam.subnet('10.2.0.0/24') }), shaped()]).plugins.map((p) => p.type)).toEqual(['ptp', 'bandwidth']);
});

test('only warns after an unchecked interface plugin that is not bridge or ptp', () => {
  const cfg = list([new UncheckedPlugin('vendor-cni', { foo: 1 }), shaped()]);
  const problems = cfg.problems();
  expect(problems).toEqual([expect.objectContaining({ field: 'plugins[1].type', severity: Severity.WARNING })]);
});

// cni-plugins.md §4 case 4
test('fails at cniVersion 0.2.0 (too old for a list, and for bandwidth)', () => {
  let message = '';
  try {
    list([bridge(), shaped()], { cniVersion: CniVersion.V0_2_0 });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/'cniVersion' is too old for a plugin list \(chaining needs 0\.3\.0\): got "0\.2\.0"/);
  expect(message).toMatch(/'cniVersion' is older than bandwidth accepts \(from 0\.3\.0\): got "0\.2\.0"; declare cniVersion 0\.3\.0 or newer/);
});

test('gating: cniVersion 1.1.0 needs containernetworking-plugins 1.6.0', () => {
  expect(() => list([bridge(), shaped()], { cniVersion: CniVersion.V1_1_0, profile: PluginsProfile.DEBIAN_1_1_1 }))
    .toThrow(/'cniVersion' is newer than bridge accepts .*: got "1\.1\.0"; declare cniVersion 1\.0\.0 or older/);
  expect(list([bridge(), shaped()], { cniVersion: CniVersion.V1_1_0, profile: PluginsProfile.UPSTREAM }).cniVersion).toBe('1.1.0');
  expect(list([bridge(), shaped()], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(2);
});
