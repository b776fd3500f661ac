import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { CniVersion } from '../../lib/cni/cni-version';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { PluginRole, UncheckedPlugin, capabilityFix } from '../../lib/cni/plugin';
import { DummyPlugin } from '../../lib/cni/plugins/dummy';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { TuningPlugin } from '../../lib/cni/plugins/tuning';
import { ProblemSink, formatProblem } from '../../lib/cni/problem';
import { PluginProject, PluginsProfile } from '../../lib/cni/profile';

describe('CniPlugin (through macvlan)', () => {
  test('capabilities come out in the fixed order whatever the declaration order', () => {
    const p = new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24'), capabilities: [CniCapability.IP_RANGES, CniCapability.MAC, CniCapability.IPS] });
    expect(p.capabilities).toEqual(['ips', 'mac', 'ipRanges']);
    expect(JSON.stringify(p.toJson().capabilities)).toBe('{"ips":true,"mac":true,"ipRanges":true}');
    expect(p.declaresCapability(CniCapability.MAC)).toBe(true);
    expect(p.declaresCapability(CniCapability.BANDWIDTH)).toBe(false);
  });

  test('toJson: type, fields in table order, then ipam, dns, capabilities, args', () => {
    const p = new MacvlanPlugin({
      args: { cni: { x: 1 } }, capabilities: [CniCapability.MAC], dns: { nameservers: ['10.0.0.53'] }, ipam: HostLocalIpam.subnet('10.1.0.0/24'), mtu: 1400, master: 'eth1',
    });
    const json = p.toJson();
    expect(Object.keys(json)).toEqual(['type', 'master', 'mtu', 'ipam', 'dns', 'capabilities', 'args']);
    expect(json).toEqual({
      type: 'macvlan', master: 'eth1', mtu: 1400, ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] },
      dns: { nameservers: ['10.0.0.53'] }, capabilities: { mac: true }, args: { cni: { x: 1 } },
    });
    expect(p.get('mtu')).toBe(1400);
    expect(p.unchecked).toBe(false);
  });

  test('consumes: the plugin and its IPAM', () => {
    const bare = new MacvlanPlugin({ master: 'eth1' });
    expect(bare.consumes(CniCapability.MAC)).toBe(true);
    expect(bare.consumes(CniCapability.IPS)).toBe(false);
    const withIpam = new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
    expect(withIpam.consumes(CniCapability.IPS)).toBe(true);
  });

  test('addCapability adds a capability the plugin reads', () => {
    const p = new MacvlanPlugin({ master: 'eth1' });
    p.addCapability(CniCapability.MAC);
    expect(p.toJson().capabilities).toEqual({ mac: true });
  });

  test('fails on addCapability for a capability nobody reads, with the capability fix', () => {
    const p = new MacvlanPlugin({ master: 'eth1' });
    expect(() => p.addCapability(CniCapability.IPS))
      .toThrow(/^'capabilities\.ips' is not read by macvlan, so Multus would drop the per-pod value: got true; declare it on an interface plugin whose IPAM is static or host-local$/);
    expect(p.capabilities).toEqual([]);
    const withIpam = new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
    expect(() => withIpam.addCapability(CniCapability.PORT_MAPPINGS))
      .toThrow(/'capabilities\.portMappings' is not read by macvlan with host-local IPAM, .*; chain a portmap plugin and declare it there/);
  });

  test('addCapability with a sink reports there and throws nothing', () => {
    const p = new MacvlanPlugin({ master: 'eth1' });
    const sink = new ProblemSink('plugins[0]');
    expect(() => p.addCapability(CniCapability.IPS, sink)).not.toThrow();
    expect(sink.problems.map(formatProblem)).toEqual([
      "'plugins[0].capabilities.ips' is not read by macvlan, so Multus would drop the per-pod value: got true; declare it on an interface plugin whose IPAM is static or host-local",
    ]);
    expect(p.capabilities).toEqual([]);
    p.addCapability(CniCapability.MAC, sink);
    expect(p.capabilities).toEqual([CniCapability.MAC]);
    expect(sink.problems).toHaveLength(1);
  });

  test('fails on a declared capability it does not read, and an unknown one', () => {
    expect(() => new MacvlanPlugin({ master: 'eth1', capabilities: [CniCapability.BANDWIDTH] }))
      .toThrow(/^macvlan plugin: 'capabilities\.bandwidth' is not read by macvlan, .*; chain a bandwidth plugin \(after bridge or ptp\) and declare it there$/);
    expect(() => new MacvlanPlugin({ master: 'eth1', capabilities: ['macs' as CniCapability] }))
      .toThrow(/'capabilities\.macs' is not a capability Multus passes: got "macs"; use one of ips, mac, /);
  });

  test('every capability has a fix', () => {
    for (const c of Object.values(CniCapability)) expect(capabilityFix(c)).toMatch(/^[a-z]/);
  });

  test('fails on dns where the plugin reads none, and args that are not an object', () => {
    expect(() => new TuningPlugin({ dns: { nameservers: ['10.0.0.53'] } } as any)).toThrow(/'dns' is not read by tuning: got \{"nameservers":\["10\.0\.0\.53"\]\}; remove it/);
    expect(() => new MacvlanPlugin({ master: 'eth1', args: [1] as any })).toThrow(/'args' must be a JSON object: got \[1\]; write args as \{ "cni": \{ \.\.\. \} \}/);
  });

  describe('chainProblems', () => {
    const ctx = (profile: PluginsProfile, cniVersion: CniVersion = CniVersion.V1_0_0) => ({ profile, cniVersion, previous: [] });

    test('a plugin not shipped by the installed release', () => {
      const out = new DummyPlugin({ ipam: HostLocalIpam.subnet('10.1.0.0/24') }).chainProblems(ctx(PluginsProfile.DEBIAN_1_1_1)).map(formatProblem);
      expect(out).toEqual([
        "'type' is not installed on the nodes (containernetworking-plugins 1.1.1 (profile 'debian-1.1.1')): got \"dummy\"; install containernetworking-plugins 1.2.0 or later, or target a profile that has it",
      ]);
      expect(new DummyPlugin({ ipam: HostLocalIpam.subnet('10.1.0.0/24') }).chainProblems(ctx(PluginsProfile.UPSTREAM))).toEqual([]);
    });

    test('a cniVersion newer than the project accepts', () => {
      const out = new MacvlanPlugin({ master: 'eth1' }).chainProblems(ctx(PluginsProfile.DEBIAN_1_1_1, CniVersion.V1_1_0)).map(formatProblem);
      expect(out).toEqual([expect.stringMatching(/^'cniVersion' is newer than macvlan accepts \(.* supports up to 1\.0\.0\): got "1\.1\.0"; declare cniVersion 1\.0\.0 or older$/)]);
    });

    test('a project not installed at all', () => {
      const bare = PluginsProfile.custom({ name: 'bare', cniPlugins: '1.9.1' });
      expect(bare.supports(PluginProject.SRIOV_CNI)).toBe(false);
      const { SriovPlugin } = require('../../lib/cni/plugins/sriov');
      expect(new SriovPlugin().chainProblems(ctx(bare)).map(formatProblem))
        .toEqual([expect.stringMatching(/^'type' is not installed on the nodes \(sriov-cni not installed \(profile 'bare'\)\): got "sriov"; install sriov-cni, or target/)]);
    });
  });
});

describe('UncheckedPlugin', () => {
  test('emits the raw object as given and escapes the checks', () => {
    const raw = { pkey: '0x8001', capabilities: { infinibandGUID: true }, whatever: [1, 2] };
    const p = new UncheckedPlugin('ib-sriov', { type: 'ignored', ...raw });
    expect(p.unchecked).toBe(true);
    expect(p.type).toBe('ib-sriov');
    expect(p.toJson()).toEqual({ type: 'ib-sriov', ...raw });
    expect(p.rawConfig).toEqual(raw);
    expect(p.shapeProblems()).toEqual([]);
    expect(p.chainProblems()).toEqual([]);
    expect(p.role).toBe(PluginRole.INTERFACE);
  });

  test('writes the capabilities declared through addCapability, merged over its own', () => {
    const p = new UncheckedPlugin('vendor-if', { capabilities: { infinibandGUID: true, mac: false }, x: 1 });
    expect(p.declaresCapability(CniCapability.INFINIBAND_GUID)).toBe(true);
    expect(p.declaresCapability(CniCapability.MAC)).toBe(false);
    p.addCapability(CniCapability.IPS);
    p.addCapability(CniCapability.MAC);
    expect(p.toJson()).toEqual({ type: 'vendor-if', capabilities: { infinibandGUID: true, mac: true, ips: true }, x: 1 });
    expect(p.rawConfig).toEqual({ capabilities: { infinibandGUID: true, mac: false }, x: 1 });
    const bare = new UncheckedPlugin('vendor-if');
    bare.addCapability(CniCapability.IPS);
    expect(bare.toJson()).toEqual({ type: 'vendor-if', capabilities: { ips: true } });
  });

  test('rawConfig is a copy', () => {
    const p = new UncheckedPlugin('x', { a: 1 });
    (p.rawConfig as any).a = 2;
    expect(p.toJson()).toEqual({ type: 'x', a: 1 });
  });

  test('fails on a type that is not a plain binary name', () => {
    expect(() => new UncheckedPlugin('/opt/cni/bin/x')).toThrow(/^unchecked plugin: 'type' is not a plain binary name: got "\/opt\/cni\/bin\/x"; write the plugin binary name without slashes$/);
    expect(() => new UncheckedPlugin('')).toThrow(/'type' is not a plain binary name: got ""/);
  });

  test('its chain role is respected in a list', () => {
    const ok = CniConfig.list([new MacvlanPlugin({ master: 'eth1' }), new UncheckedPlugin('vendor-meta', { x: 1 }, PluginRole.CHAINED)], { name: 'n' });
    expect(ok.toJson().plugins).toEqual([{ type: 'macvlan', master: 'eth1' }, { type: 'vendor-meta', x: 1 }]);
    expect(() => CniConfig.list([new UncheckedPlugin('vendor-meta', {}, PluginRole.CHAINED)], { name: 'n' }))
      .toThrow(/'plugins\[0\]\.type' must not be first: it acts on the result of an interface plugin: got "vendor-meta"/);
    // a known interface plugin after the first is refused; an unchecked one is not second-guessed
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth1' }), new MacvlanPlugin({ master: 'eth2' })], { name: 'n' }))
      .toThrow(/'plugins\[1\]\.type' creates an interface and must be first in its list: got "macvlan"/);
    expect(CniConfig.list([new MacvlanPlugin({ master: 'eth1' }), new UncheckedPlugin('vendor-if')], { name: 'n' }).plugins).toHaveLength(2);
  });
});
