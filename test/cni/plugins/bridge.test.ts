import {
  BridgePlugin, CniCapability, CniConfig, HostLocalIpam, IpMasqBackend, PluginsProfile, Problem, Severity, UncheckedIpam,
  lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;
const V1_7 = PluginsProfile.custom({ name: 'v1.7', cniPlugins: '1.7.0' });

function json(cfg: CniConfig): any {
  return JSON.parse(cfg.toString({ name: 'br-net' }));
}

function warnings(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.WARNING);
}

describe('BridgePlugin', () => {
  test('defaults: only the type, and a layer-2 list disables CHECK', () => {
    // cni-plugins.md §4 case 30
    const cfg = CniConfig.list([new BridgePlugin()], { name: 'br-net' });
    expect(json(cfg)).toEqual({ cniVersion: '1.0.0', name: 'br-net', disableCheck: true, plugins: [{ type: 'bridge' }] });
    expect((cfg.main as BridgePlugin).bridge).toBe('cni0');
  });

  test('writes every field in table order, with an IPAM', () => {
    const plugin = new BridgePlugin({
      bridge: 'br-data', isGateway: true, isDefaultGateway: true, forceAddress: true, ipMasq: true,
      ipMasqBackend: IpMasqBackend.NFTABLES, mtu: 9000, hairpinMode: true, macspoofchk: true, enabledad: true,
      portIsolation: true, ipam: HostLocalIpam.subnet('10.20.0.0/24'), dns: { nameservers: ['10.20.0.53'] },
    });
    const out = json(CniConfig.list([plugin]));
    expect(out.plugins[0]).toEqual({
      type: 'bridge', bridge: 'br-data', isGateway: true, isDefaultGateway: true, forceAddress: true, ipMasq: true,
      ipMasqBackend: 'nftables', mtu: 9000, hairpinMode: true, macspoofchk: true, enabledad: true, portIsolation: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.20.0.0/24' }]] }, dns: { nameservers: ['10.20.0.53'] },
    });
    expect(out.disableCheck).toBeUndefined();
    expect(Object.keys(out.plugins[0])).toEqual(['type', 'bridge', 'isGateway', 'isDefaultGateway', 'forceAddress', 'ipMasq',
      'ipMasqBackend', 'mtu', 'hairpinMode', 'macspoofchk', 'enabledad', 'portIsolation', 'ipam', 'dns']);
  });

  test('round-trips through parse', () => {
    const cfg = CniConfig.list([new BridgePlugin({
      bridge: 'br-trunk', vlanTrunk: [{ id: 10 }, { minID: 100, maxID: 199 }], mac: '02:00:00:00:00:10',
      capabilities: [CniCapability.MAC], ipam: HostLocalIpam.subnet('10.21.0.0/24'),
    })], { name: 'trunk' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
    expect(back.main).toBeInstanceOf(BridgePlugin);
    expect((back.main as BridgePlugin).mac).toBe('02:00:00:00:00:10');
  });

  describe('preserveDefaultVlan', () => {
    test('is written with the target default when vlan is set: false from 1.8.0 (upstream)', () => {
      const out = json(CniConfig.list([new BridgePlugin({ vlan: 100 })]));
      expect(out.plugins[0]).toEqual({ type: 'bridge', vlan: 100, preserveDefaultVlan: false });
      expect(Object.keys(out.plugins[0])).toEqual(['type', 'vlan', 'preserveDefaultVlan']);
    });

    test('is written true for a 1.3.0..1.7.x target', () => {
      const out = json(CniConfig.list([new BridgePlugin({ vlanTrunk: [{ id: 5 }] })], { profile: V1_7 }));
      expect(out.plugins[0]).toEqual({ type: 'bridge', vlanTrunk: [{ id: 5 }], preserveDefaultVlan: true });
    });

    test('is not written for Debian 1.1.1, which does not read it', () => {
      const out = json(CniConfig.list([new BridgePlugin({ vlan: 100 })], { profile: DEBIAN }));
      expect(out.plugins[0]).toEqual({ type: 'bridge', vlan: 100 });
    });

    test('is not written without vlans, and a given value wins', () => {
      expect(json(CniConfig.list([new BridgePlugin({ vlan: 0 })])).plugins[0]).toEqual({ type: 'bridge', vlan: 0 });
      expect(json(CniConfig.list([new BridgePlugin({ vlan: 7, preserveDefaultVlan: true })])).plugins[0])
        .toEqual({ type: 'bridge', vlan: 7, preserveDefaultVlan: true });
    });

    test('parse(serialize(x)) is equal, byte for byte, on every target', () => {
      for (const profile of [PluginsProfile.UPSTREAM, V1_7, DEBIAN]) {
        const cfg = CniConfig.list([new BridgePlugin({ vlan: 42, ipam: HostLocalIpam.subnet('10.22.0.0/24') })], { name: 'v', profile });
        const back = parseCniConfig(cfg.toString(), { profile });
        expect(back.toString()).toBe(cfg.toString());
      }
    });

    test('warns when set without vlans', () => {
      const w = warnings(new BridgePlugin({ preserveDefaultVlan: false }).shapeProblems());
      expect(w.map((p) => p.field)).toEqual(['preserveDefaultVlan']);
    });
  });

  describe('mac', () => {
    test('is written as args.cni.mac, merged with other args', () => {
      const out = json(CniConfig.list([new BridgePlugin({ mac: '02:00:00:00:00:01', args: { cni: { other: 1 }, x: true } })]));
      expect(out.plugins[0]).toEqual({ type: 'bridge', args: { cni: { other: 1, mac: '02:00:00:00:00:01' }, x: true } });
      expect(out.plugins[0].mac).toBeUndefined();
    });

    test('fails on a bad MAC', () => {
      // cni-plugins.md §4 case 15
      expect(() => new BridgePlugin({ mac: 'zz:11' })).toThrow(/'mac' must be a MAC address such as 02:00:00:00:00:01: got "zz:11"; write six colon-separated hex pairs/);
    });

    test('fails on a multicast MAC', () => {
      // cni-plugins.md §4 case 15
      expect(() => new BridgePlugin({ mac: '01:00:5e:00:00:01' })).toThrow(/'mac' is a multicast MAC address: got "01:00:5e:00:00:01"; clear bit 0/);
    });

    test('fails when the prop and args.cni.mac differ', () => {
      expect(() => new BridgePlugin({ mac: '02:00:00:00:00:01', args: { cni: { mac: '02:00:00:00:00:02' } } }))
        .toThrow(/'mac' differs from args.cni.mac 02:00:00:00:00:02: got "02:00:00:00:00:01"; set the MAC once/);
    });

    test('fails on a bad args.cni.mac in parsed JSON', () => {
      // cni-plugins.md §4 case 15
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', args: { cni: { mac: 'nope' } } }] });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].args.cni.mac']);
    });
  });

  test('fails on a VLAN above 4094', () => {
    // cni-plugins.md §4 case 24
    expect(() => new BridgePlugin({ vlan: 5000 })).toThrow(/'vlan' must be an integer from 0 to 4094: got 5000; /);
  });

  test('fails on hairpinMode with promiscMode', () => {
    // cni-plugins.md §4 case 25
    expect(() => new BridgePlugin({ hairpinMode: true, promiscMode: true }))
      .toThrow(/'promiscMode' cannot be set together with 'hairpinMode': got true; set only one of hairpinMode and promiscMode/);
    expect(() => new BridgePlugin({ hairpinMode: true, promiscMode: false })).not.toThrow();
  });

  test('warns when the bridge takes an uplink-like name', () => {
    // cni-plugins.md §4 case 26
    const w = warnings(new BridgePlugin({ bridge: 'eth0' }).shapeProblems());
    expect(w).toHaveLength(1);
    expect(w[0].field).toBe('bridge');
    expect(w[0].message).toMatch(/already exists but is not a bridge/);
    expect(warnings(new BridgePlugin({ bridge: 'br-eth0' }).shapeProblems())).toEqual([]);
  });

  test('fails on a bridge name longer than 15 characters', () => {
    // cni-plugins.md §4 case 27
    // cni-plugins.md §4 case 8
    expect(() => new BridgePlugin({ bridge: 'rs-bridge-name-too-long' }))
      .toThrow(/'bridge' is longer than 15 characters \(23\): got "rs-bridge-name-too-long"; shorten it/);
  });

  test('fails on a bridge name with a slash', () => {
    // cni-plugins.md §4 case 8
    expect(() => new BridgePlugin({ bridge: 'br/0' })).toThrow(/'bridge' contains '\/', ':' or whitespace: got "br\/0"; remove them/);
  });

  test('fails on an MTU above 65535 and warns above 9216', () => {
    // cni-plugins.md §4 case 28
    expect(() => new BridgePlugin({ mtu: 70000 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 70000; /);
    expect(() => new BridgePlugin({ mtu: 60 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 60; /);
    const w = warnings(new BridgePlugin({ mtu: 9500 }).shapeProblems());
    expect(w.map((p) => [p.field, p.value])).toEqual([['mtu', 9500]]);
  });

  test('fails on an unknown ipMasqBackend', () => {
    expect(() => new BridgePlugin({ ipMasqBackend: 'pf' as IpMasqBackend }))
      .toThrow(/'ipMasqBackend' must be one of "iptables", "nftables": got "pf"; use a IpMasqBackend value: one of/);
  });

  test('fails on disableContainerInterface with an IPAM', () => {
    expect(() => new BridgePlugin({ disableContainerInterface: true, ipam: HostLocalIpam.subnet('10.1.0.0/24') }))
      .toThrow(/'ipam' cannot be used when 'disableContainerInterface' is set: got "host-local"; remove the IPAM/);
    expect(() => new BridgePlugin({ disableContainerInterface: true })).not.toThrow();
  });

  test('warns on gateway and masquerade options without an IPAM', () => {
    const w = warnings(new BridgePlugin({ isGateway: true, ipMasq: true }).shapeProblems());
    expect(w.map((p) => p.field)).toEqual(['isGateway', 'ipMasq']);
  });

  describe('vlanTrunk', () => {
    test('fails on a trunk id of 0 or 4095', () => {
      // cni-plugins.md §4 case 24
      expect(() => new BridgePlugin({ vlanTrunk: [{ id: 0 }] })).toThrow(/'vlanTrunk\[0\]\.id' must be an integer from 1 to 4094: got 0; /);
      expect(() => new BridgePlugin({ vlanTrunk: [{ id: 4095 }] })).toThrow(/'vlanTrunk\[0\]\.id' must be an integer from 1 to 4094: got 4095; /);
    });

    test('fails on minID without maxID', () => {
      expect(() => new BridgePlugin({ vlanTrunk: [{ minID: 10 }] }))
        .toThrow(/'vlanTrunk\[0\]\.maxID' is missing while minID is set: got nothing; set minID and maxID together/);
    });

    test('fails on maxID without minID', () => {
      expect(() => new BridgePlugin({ vlanTrunk: [{ id: 3 }, { maxID: 10 }] }))
        .toThrow(/'vlanTrunk\[1\]\.minID' is missing while maxID is set: got nothing; set minID and maxID together/);
    });

    test('fails on minID greater than maxID', () => {
      // cni-plugins.md §4 case 24
      expect(() => new BridgePlugin({ vlanTrunk: [{ minID: 200, maxID: 100 }] }))
        .toThrow(/'vlanTrunk\[0\]\.minID' is greater than maxID 100: got 200; swap them/);
    });

    test('fails on an entry naming no VLAN and on an empty list', () => {
      expect(() => new BridgePlugin({ vlanTrunk: [{}] })).toThrow(/'vlanTrunk\[0\]' names no VLAN: got \{\}; write \{"id": N\}/);
      expect(() => new BridgePlugin({ vlanTrunk: [] })).toThrow(/'vlanTrunk' needs at least 1 item: got \[\]; /);
    });

    test('reports only the type error when minID is not a number', () => {
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', vlanTrunk: [{ minID: '50', maxID: 3 }] }] });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].vlanTrunk[0].minID']);
    });

    test('fails together with an access vlan', () => {
      expect(() => new BridgePlugin({ vlan: 10, vlanTrunk: [{ id: 20 }] }))
        .toThrow(/'vlanTrunk' cannot be set together with 'vlan' 10: got \[\{"id":20\}\]; use vlan for an access port/);
    });
  });

  describe('version gating', () => {
    test('fails on vlanTrunk for Debian 1.1.1, which ignores it', () => {
      // cni-plugins.md §4 case 31
      expect(() => CniConfig.list([new BridgePlugin({ vlanTrunk: [{ id: 10 }] })], { profile: DEBIAN }))
        .toThrow(/'plugins\[0\]\.vlanTrunk' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got \[\{"id":10\}\]; remove it, or target containernetworking-plugins 1\.3\.0 or later/);
    });

    test('fails on portIsolation for Debian 1.1.1 and for 1.6.0', () => {
      // cni-plugins.md §4 case 31
      expect(() => CniConfig.list([new BridgePlugin({ portIsolation: true })], { profile: DEBIAN }))
        .toThrow(/'plugins\[0\]\.portIsolation' is not read by containernetworking-plugins 1\.1\.1.*target containernetworking-plugins 1\.7\.0 or later/);
      const v16 = PluginsProfile.custom({ name: 'v1.6', cniPlugins: '1.6.0' });
      expect(() => CniConfig.list([new BridgePlugin({ portIsolation: true })], { profile: v16 })).toThrow(/'plugins\[0\]\.portIsolation' is not read by containernetworking-plugins 1\.6\.0/);
    });

    test('fails on the newer keys for Debian 1.1.1, each with its release', () => {
      expect(() => CniConfig.list([new BridgePlugin({ preserveDefaultVlan: true, vlan: 3 })], { profile: DEBIAN })).toThrow(/'plugins\[0\]\.preserveDefaultVlan' .* 1\.3\.0 or later/);
      expect(() => CniConfig.list([new BridgePlugin({ disableContainerInterface: true })], { profile: DEBIAN })).toThrow(/'plugins\[0\]\.disableContainerInterface' .* 1\.5\.0 or later/);
      expect(() => CniConfig.list([new BridgePlugin({ ipMasq: true, ipMasqBackend: IpMasqBackend.IPTABLES, ipam: HostLocalIpam.subnet('10.1.0.0/24') })], { profile: DEBIAN }))
        .toThrow(/'plugins\[0\]\.ipMasqBackend' .* 1\.6\.0 or later/);
    });

    test('accepts all of them on UPSTREAM', () => {
      const cfg = CniConfig.list([new BridgePlugin({ vlanTrunk: [{ id: 10 }], portIsolation: true, ipMasqBackend: IpMasqBackend.NFTABLES, ipMasq: true, disableContainerInterface: true })]);
      expect(cfg.problems().filter((p) => p.severity === Severity.ERROR)).toEqual([]);
    });

    test('fails on IPAM dns before 1.2.0, where bridge drops it, not after', () => {
      // cni-plugins.md §4 case 81
      const ipam = () => new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
      expect(() => CniConfig.list([new BridgePlugin({ ipam: ipam() })], { profile: DEBIAN }))
        .toThrow(/'plugins\[0\]\.ipam\.dns' is dropped from the result by bridge before 1\.2\.0 .*: got \{"nameservers":\["10\.1\.0\.53"\]\}; move it to the plugin's top-level 'dns'/);
      expect(CniConfig.list([new BridgePlugin({ ipam: ipam() })]).problems()).toEqual([]);
    });
  });

  test('disables CHECK for a route without gw on Debian 1.1.1, not on UPSTREAM', () => {
    // cni-plugins.md §4 case 29
    const plugin = () => new BridgePlugin({ isGateway: true, ipam: HostLocalIpam.subnet('10.23.0.0/24', { routes: [{ dst: '198.51.100.0/24' }] }) });
    expect(json(CniConfig.list([plugin()], { profile: DEBIAN })).disableCheck).toBe(true);
    expect(json(CniConfig.list([plugin()])).disableCheck).toBeUndefined();
  });

  test('fails on an IPAM whose binary the target does not install', () => {
    // cni-plugins.md §4 case 17
    const noWhereabouts = PluginsProfile.custom({ name: 'plain', cniPlugins: '1.9.1' });
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', ipam: { type: 'whereabouts', range: '10.24.0.0/24' } }] }, { profile: noWhereabouts });
    expect(r.problems.filter((p) => p.severity === Severity.ERROR).map((p) => p.field)).toEqual(['plugins[0].ipam.type']);
    const unknown = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', ipam: { type: 'rs-nonexistent' } }] });
    expect(unknown.problems.map((p) => [p.field, p.severity])).toEqual([['plugins[0].ipam.type', Severity.WARNING]]);
  });

  test('accepts the mac capability and rejects deviceID', () => {
    expect(json(CniConfig.list([new BridgePlugin({ capabilities: [CniCapability.MAC] })])).plugins[0].capabilities).toEqual({ mac: true });
    expect(() => new BridgePlugin({ capabilities: [CniCapability.DEVICE_ID] })).toThrow(/'capabilities\.deviceID' is not read by bridge/);
  });

  describe('lint', () => {
    test('reports each bad field of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 16
      // cni-plugins.md §4 case 24
      // cni-plugins.md §4 case 27
      const r = lintCniConfig({
        cniVersion: '1.0.0', name: 'n',
        plugins: [{ type: 'bridge', bridge: 'a-very-long-bridge0', vlan: 5000, mtu: '1500', hairpinMode: 'true', vlanTrunk: [{ minID: 5 }, { id: 9000 }] }],
      });
      expect(r.config).toBeUndefined();
      expect(r.problems.map((p) => p.field).sort()).toEqual([
        'plugins[0].bridge', 'plugins[0].hairpinMode', 'plugins[0].mtu', 'plugins[0].vlan', 'plugins[0].vlanTrunk[0].maxID', 'plugins[0].vlanTrunk[1].id',
      ]);
    });

    test('reports a miscased key with its canonical spelling', () => {
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', isgateway: true }] });
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0].field).toBe('plugins[0].isgateway');
      expect(r.problems[0].fix).toMatch(/write it as 'isGateway'/);
    });

    test('reports the version-gated keys for Debian at their paths', () => {
      // cni-plugins.md §4 case 31
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', vlanTrunk: [{ id: 2 }], portIsolation: true }] }, { profile: DEBIAN });
      expect(r.problems.filter((p) => p.severity === Severity.ERROR).map((p) => p.field).sort()).toEqual(['plugins[0].portIsolation', 'plugins[0].vlanTrunk']);
    });

    test('reports hairpinMode with promiscMode', () => {
      // cni-plugins.md §4 case 25
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge', hairpinMode: true, promiscMode: true }] });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].promiscMode']);
    });
  });
});
