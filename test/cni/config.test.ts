import {
  BridgePlugin, CniConfig, IpvlanPlugin, CniVersion, ConfigFormat, HostLocalIpam, MacvlanPlugin, PluginsProfile, RouteOverridePlugin, StaticIpam, CniCapability, formatProblem,
  lintCniConfig, parseCniConfig,
} from '../../lib';
import { ProblemSink } from '../../lib/cni/problem';
import { checkTopology } from '../../lib/topology/topology';

const macvlan = () => new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') });

describe('cniVersion', () => {
  test('fails on 1.1.0 for plugins 1.1.1, naming the supported maximum', () => {
    // cni-plugins.md §4 case 1
    expect(() => CniConfig.list([macvlan()], { cniVersion: CniVersion.V1_1_0, profile: PluginsProfile.DEBIAN_1_1_1 }))
      .toThrow(/'cniVersion' is newer than macvlan accepts \(containernetworking-plugins 1\.1\.1 .* supports up to 1\.0\.0\): got "1\.1\.0"; declare cniVersion 1\.0\.0 or older/);
  });

  test('accepts 1.1.0 on the upstream profile', () => {
    expect(CniConfig.list([macvlan()], { cniVersion: CniVersion.V1_1_0 }).toJson({ name: 'n' }).cniVersion).toBe('1.1.0');
  });

  test('fails on versions that do not exist ("1.0", "0.5.0")', () => {
    // cni-plugins.md §4 case 2
    for (const v of ['1.0', '0.5.0']) {
      const r = lintCniConfig({ cniVersion: v, name: 'n', plugins: [{ type: 'macvlan', master: 'eth1' }] });
      expect(r.problems.filter((p) => p.severity === 'error').map((p) => p.field)).toContain('cniVersion');
      expect(() => new CniConfig({ plugins: [macvlan()], cniVersion: v as CniVersion })).toThrow(/'cniVersion' is not a CNI specification version/);
    }
  });

  test('fails on a number instead of a string', () => {
    // cni-plugins.md §4 case 3
    const r = lintCniConfig({ cniVersion: 1.0, name: 'n', plugins: [{ type: 'macvlan', master: 'eth1' }] });
    const p = r.problems.find((x) => x.field === 'cniVersion')!;
    expect(p.fix).toMatch(/JSON string/);
  });

  test('writes no disableCheck before 0.4.0, where libcni refuses CHECK whatever the list says', () => {
    // cni-plugins.md §4 case 5; libcni CheckNetworkList tests the version before disableCheck
    const cfg = CniConfig.list([macvlan()], { cniVersion: CniVersion.V0_3_1 });
    expect(cfg.disableCheck).toBeUndefined();
    expect(cfg.toJson({ name: 'n' })).toEqual({ cniVersion: '0.3.1', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] });
    expect(CniConfig.list([macvlan()]).toJson({ name: 'n' }).disableCheck).toBeUndefined();
    // where CHECK exists and is known to fail (a layer-2 bridge), the default still turns it off
    expect(CniConfig.list([new BridgePlugin({})], { cniVersion: CniVersion.V0_4_0 }).toJson({ name: 'n' }).disableCheck).toBe(true);
    expect(CniConfig.list([new BridgePlugin({})], { cniVersion: CniVersion.V0_3_1 }).toJson({ name: 'n' }).disableCheck).toBeUndefined();
  });

  test('an explicit disableCheck is written as given; before 0.4.0 with a warning that it has no effect', () => {
    const old = CniConfig.list([macvlan()], { cniVersion: CniVersion.V0_3_1, disableCheck: true });
    expect(old.toJson({ name: 'n' }).disableCheck).toBe(true);
    expect(old.problems().map(formatProblem)).toEqual([
      "'disableCheck' has no effect with cniVersion 0.3.1: CHECK exists from 0.4.0 on, and libcni refuses it before whatever the list says: got true; remove it, or declare cniVersion 0.4.0 or newer",
    ]);
    // false on a layer-2 bridge: the user wants CHECK to run, and gets no disableCheck: true
    const bridge = CniConfig.list([new BridgePlugin({})], { disableCheck: false });
    expect(bridge.toJson({ name: 'n' }).disableCheck).toBe(false);
    expect(bridge.problems()).toEqual([]);
  });
});

describe('name', () => {
  test('fails to write a config without a name', () => {
    // cni-plugins.md §4 case 6
    expect(() => CniConfig.list([macvlan()]).toJson()).toThrow(/'name' is required to write the config/);
  });

  test('takes the name given at render time (the NAD name)', () => {
    expect(CniConfig.list([macvlan()]).toJson({ name: 'lan01' }).name).toBe('lan01');
  });

  test.each(['my net', '-net', 'ns/net'])('fails on the invalid network name %j', (name) => {
    // cni-plugins.md §4 case 7
    expect(() => CniConfig.list([macvlan()], { name })).toThrow(/'name' is not a valid CNI network name/);
  });
});

describe('serialization', () => {
  test('writes JSON that parses back to the same config, never a template', () => {
    // cni-plugins.md §4 case 9
    const cfg = CniConfig.list([macvlan()], { name: 'n' });
    const text = cfg.toString();
    expect(JSON.parse(text)).toEqual(cfg.toJson());
    expect(parseCniConfig(text).toJson()).toEqual(cfg.toJson());
  });

  test('reports malformed JSON text with the parser message', () => {
    // cni-plugins.md §4 case 9
    const r = lintCniConfig('{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"macvlan",}]}');
    expect(r.config).toBeUndefined();
    expect(r.problems[0].field).toBe('config');
    expect(r.problems[0].message).toBe('is not valid JSON');
  });

  test('writes the single-plugin form with cniVersion and name first', () => {
    const cfg = CniConfig.single(new MacvlanPlugin({ master: 'eth1' }), { name: 'one' });
    expect(cfg.format).toBe(ConfigFormat.SINGLE);
    expect(Object.keys(cfg.toJson()).slice(0, 3)).toEqual(['cniVersion', 'name', 'type']);
    expect(parseCniConfig(cfg.toString()).format).toBe(ConfigFormat.SINGLE);
  });
});

describe('per-pod addresses against the config', () => {
  const pod = (ips: string[]) => ({ name: 'p', namespace: 'default', path: 'p', replicas: 1, attachments: [{ name: 'n', ips }] });

  test('fails on a requested IP outside every host-local range', () => {
    // cni-plugins.md §4 case 72
    const config = CniConfig.list([new MacvlanPlugin({ master: 'eth1', capabilities: [CniCapability.IPS], ipam: HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.100', rangeEnd: '10.1.0.150' }) })]);
    const problems = checkTopology({ networks: [{ name: 'n', namespace: 'default', config }], pods: [pod(['10.1.0.20/24'])] });
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/is outside every allocation range of n/)]);
  });

  test('fails on a requested IP without prefix for static IPAM', () => {
    // cni-plugins.md §4 case 77 (and 78: the same rule for every per-pod address source)
    const config = CniConfig.list([new MacvlanPlugin({ master: 'eth1', capabilities: [CniCapability.IPS], ipam: new StaticIpam({}) })]);
    const problems = checkTopology({ networks: [{ name: 'n', namespace: 'default', config }], pods: [pod(['10.1.0.7'])] });
    expect(problems.map((p) => `${p.field}|${p.message}`)).toContain('attachments[0].ips[0]|has no prefix, which the static IPAM of n rejects');
  });
});

test('CniConfig.fromJson parses like parseCniConfig: parse(serialize(x)) writes x', () => {
  const cfg = CniConfig.list([macvlan()], { name: 'n' });
  expect(CniConfig.fromJson(cfg.toString()).toJson()).toEqual(cfg.toJson());
  expect(() => CniConfig.fromJson({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', mode: 'l4' }] })).toThrow(/'plugins\[0\]\.mode' must be one of/);
});

describe('cniVersions gated by the plugins of the list (CNI 1.1)', () => {
  const list = (profile: PluginsProfile, cniVersions: CniVersion[]) => CniConfig.list(
    [new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') })], { name: 'n', cniVersion: CniVersion.V1_0_0, cniVersions, profile });

  test('Debian\'s 1.1.1 plugins: offering 1.1.0 makes libcni pick it, which they refuse; offering up to 1.0.0 passes', () => {
    expect(() => list(PluginsProfile.DEBIAN_1_1_1, [CniVersion.V1_0_0, CniVersion.V1_1_0])).toThrow(
      "'cniVersions' makes the runtime pick 1.1.0 (the highest it supports; plugins are not asked), newer than the plugins accept (up to 1.0.0): got [\"1.0.0\",\"1.1.0\"]; offer versions up to 1.0.0 only, or upgrade the plugins");
    // lint reads the same model check
    const text = JSON.stringify({ cniVersion: '1.0.0', cniVersions: ['1.0.0', '1.1.0'], name: 'n', plugins: [{ type: 'macvlan', master: 'eth1' }] });
    expect(lintCniConfig(text, { profile: PluginsProfile.DEBIAN_1_1_1 }).problems.map((p) => `${p.field} ${p.message}`)).toEqual([
      'cniVersions makes the runtime pick 1.1.0 (the highest it supports; plugins are not asked), newer than the plugins accept (up to 1.0.0)',
    ]);
    expect(list(PluginsProfile.DEBIAN_1_1_1, [CniVersion.V0_4_0, CniVersion.V1_0_0]).problems()).toEqual([]);
  });

  test('upstream plugins take 1.1.0; a plugin of another project (route-override, up to 1.0.0) in the list counts too', () => {
    expect(list(PluginsProfile.UPSTREAM, [CniVersion.V1_0_0, CniVersion.V1_1_0]).problems()).toEqual([]);
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') }), new RouteOverridePlugin({ flushroutes: true })],
      { name: 'n', cniVersion: CniVersion.V1_0_0, cniVersions: [CniVersion.V1_0_0, CniVersion.V1_1_0] }))
      .toThrow(/'cniVersions' makes the runtime pick 1\.1\.0 \(the highest it supports; plugins are not asked\), newer than the plugins accept \(up to 1\.0\.0\)/);
  });
});

describe('ensureCapability', () => {
  test('declares the capability on the first plugin that reads it', () => {
    const cfg = CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: new StaticIpam() })], { name: 'n' });
    cfg.ensureCapability(CniCapability.IPS);
    expect(cfg.declares(CniCapability.IPS)).toBe(true);
    expect(cfg.main.capabilities).toEqual([CniCapability.IPS]);
  });

  test('throws when no plugin reads it; with a sink, reports there under the given field and throws nothing', () => {
    const message = "'mac' cannot be honoured: no plugin of the chain (ipvlan, route-override) reads 'mac': got \"mac\"; declare it on bridge, macvlan, tap, sriov or a chained tuning plugin";
    const cfg = () => CniConfig.list([new MacvlanPlugin({ master: 'eth1' }), new RouteOverridePlugin({ flushroutes: true })], { name: 'n' });
    const only = CniConfig.list([new IpvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') }), new RouteOverridePlugin({ flushroutes: true })], { name: 'n' });
    expect(() => only.ensureCapability(CniCapability.MAC, 'mac')).toThrow(message);
    const sink = new ProblemSink();
    expect(() => only.ensureCapability(CniCapability.MAC, 'mac', sink)).not.toThrow();
    expect(sink.problems.map(formatProblem)).toEqual([message]);
    // a chain that reads it: declared, nothing reported
    const ok = cfg();
    ok.ensureCapability(CniCapability.MAC, 'mac', sink);
    expect(ok.main.capabilities).toEqual([CniCapability.MAC]);
    expect(sink.problems).toHaveLength(1);
  });
});
