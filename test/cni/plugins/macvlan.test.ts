import {
  CniCapability, CniConfig, HostLocalIpam, MacvlanMode, MacvlanPlugin, PluginsProfile, Problem, Severity, UncheckedIpam,
  lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;

function warnings(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.WARNING);
}

describe('MacvlanPlugin', () => {
  test('defaults: only the type and master', () => {
    const cfg = CniConfig.list([new MacvlanPlugin({ master: 'eth1' })], { name: 'mv' });
    expect(JSON.parse(cfg.toString())).toEqual({ cniVersion: '1.0.0', name: 'mv', plugins: [{ type: 'macvlan', master: 'eth1' }] });
    expect((cfg.main as MacvlanPlugin).mode).toBe(MacvlanMode.BRIDGE);
  });

  test('mode is written only when given: the default applies to the model, an explicit bridge is kept (reproduction)', () => {
    const parsed = parseCniConfig({ cniVersion: '1.0.0', name: 'mv', plugins: [{ type: 'macvlan', master: 'eth1' }] });
    expect((parsed.main as MacvlanPlugin).mode).toBe(MacvlanMode.BRIDGE);
    expect(parsed.main.toJson()).toEqual({ type: 'macvlan', master: 'eth1' });
    const explicit = { type: 'macvlan', master: 'eth1', mode: 'bridge' };
    expect(parseCniConfig({ cniVersion: '1.0.0', name: 'mv', plugins: [explicit] }).main.toJson()).toEqual(explicit);
    expect(new MacvlanPlugin({ master: 'eth1', mode: MacvlanMode.BRIDGE }).toJson()).toEqual(explicit);
    expect(new MacvlanPlugin({ master: 'eth1', mode: undefined }).toJson()).toEqual({ type: 'macvlan', master: 'eth1' });
  });

  test('round-trips through parse', () => {
    const cfg = CniConfig.list([new MacvlanPlugin({
      master: 'eth1', mode: MacvlanMode.VEPA, mtu: 1400, mac: '02:00:00:00:00:01', linkInContainer: false, bcqueuelen: 100,
      capabilities: [CniCapability.MAC], ipam: HostLocalIpam.subnet('10.30.0.0/24'), dns: { nameservers: ['10.30.0.53'] },
    })], { name: 'mv' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
  });

  test('fails on an unknown mode', () => {
    // cni-plugins.md §4 case 10
    expect(() => new MacvlanPlugin({ master: 'eth1', mode: 'bogus' as MacvlanMode }))
      .toThrow(/'mode' must be one of "bridge", "private", "vepa", "passthru": got "bogus"; use a MacvlanMode value: one of/);
  });

  test('fails on an upper-case mode', () => {
    // cni-plugins.md §4 case 10
    expect(() => new MacvlanPlugin({ master: 'eth1', mode: 'BRIDGE' as MacvlanMode })).toThrow(/'mode' must be one of .*: got "BRIDGE"; .*\(exact case\)/);
  });

  test('warns when master is left to the default route, not with linkInContainer', () => {
    // cni-plugins.md §4 case 11
    const w = warnings(new MacvlanPlugin().shapeProblems());
    expect(w.map((p) => p.field)).toEqual(['master']);
    expect(w[0].message).toMatch(/default-route interface/);
    expect(warnings(new MacvlanPlugin({ linkInContainer: true }).shapeProblems())).toEqual([]);
  });

  test('fails on a master that cannot be an interface name', () => {
    // cni-plugins.md §4 case 12
    // cni-plugins.md §4 case 8
    expect(() => new MacvlanPlugin({ master: 'uplink-name-too-long' })).toThrow(/'master' is longer than 15 characters \(20\): got "uplink-name-too-long"; shorten it/);
    expect(() => new MacvlanPlugin({ master: 'eth 1' })).toThrow(/'master' contains '\/', ':' or whitespace: got "eth 1"; /);
  });

  test('fails on an MTU above the uplink MTU', () => {
    // cni-plugins.md §4 case 13
    expect(() => new MacvlanPlugin({ master: 'eth1', mtu: 9000, uplinkMtu: 1500 }))
      .toThrow(/'mtu' exceeds the uplink MTU 1500: got 9000; use an MTU of at most 1500, or raise the uplink's MTU/);
    expect(() => new MacvlanPlugin({ master: 'eth1', mtu: 1500, uplinkMtu: 1500 })).not.toThrow();
  });

  test('does not write uplinkMtu', () => {
    const out = new MacvlanPlugin({ master: 'eth1', mtu: 1400, uplinkMtu: 1500 }).toJson();
    expect(out).toEqual({ type: 'macvlan', master: 'eth1', mtu: 1400 });
  });

  test('fails on a negative MTU', () => {
    // cni-plugins.md §4 case 13
    expect(() => new MacvlanPlugin({ master: 'eth1', mtu: -1 })).toThrow(/'mtu' must be an integer from 68 to 65535: got -1; /);
  });

  test('fails on an MTU below 68', () => {
    // cni-plugins.md §4 case 14
    expect(() => new MacvlanPlugin({ master: 'eth1', mtu: 10 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 10; /);
  });

  test('fails on a bad MAC', () => {
    // cni-plugins.md §4 case 15
    expect(() => new MacvlanPlugin({ master: 'eth1', mac: 'zz:11' })).toThrow(/'mac' must be a MAC address such as 02:00:00:00:00:01: got "zz:11"; /);
    expect(() => new MacvlanPlugin({ master: 'eth1', mac: 'ff:ff:ff:ff:ff:ff' })).toThrow(/'mac' is a multicast MAC address: got "ff:ff:ff:ff:ff:ff"; /);
  });

  test('fails on IPAM dns, which macvlan drops', () => {
    // cni-plugins.md §4 case 81
    const ipam = new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam })]))
      .toThrow(/'plugins\[0\]\.ipam\.dns' is dropped from the result by macvlan, which returns only its own top-level 'dns'/);
  });

  describe('version gating', () => {
    test('fails on linkInContainer for Debian 1.1.1', () => {
      // cni-plugins.md §4 case 31
      expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth1', linkInContainer: true })], { profile: DEBIAN }))
        .toThrow(/'plugins\[0\]\.linkInContainer' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got true; remove it, or target containernetworking-plugins 1\.3\.0 or later/);
    });

    test('fails on bcqueuelen for Debian 1.1.1', () => {
      // cni-plugins.md §4 case 31
      expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth1', bcqueuelen: 100 })], { profile: DEBIAN }))
        .toThrow(/'plugins\[0\]\.bcqueuelen' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got 100; remove it, or target containernetworking-plugins 1\.6\.0 or later/);
    });

    test('accepts both on UPSTREAM', () => {
      const cfg = CniConfig.list([new MacvlanPlugin({ master: 'eth1', linkInContainer: true, bcqueuelen: 100 })]);
      expect(cfg.problems()).toEqual([]);
    });
  });

  describe('lint', () => {
    test('reports each bad field of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 10
      // cni-plugins.md §4 case 16
      // cni-plugins.md §4 case 15
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bogus', mtu: '1500', mac: 'zz:11' }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].mac', 'plugins[0].mode', 'plugins[0].mtu']);
    });

    test('reports a miscased key', () => {
      // cni-plugins.md §4 case 10
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1', MODE: 'bridge' }] });
      expect(r.problems.map((p) => [p.field, p.fix])).toEqual([['plugins[0].MODE', expect.stringMatching(/write it as 'mode'/)]]);
    });

    test('reports the gated keys for Debian at their paths', () => {
      // cni-plugins.md §4 case 31
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1', linkInContainer: true, bcqueuelen: 5 }] }, { profile: DEBIAN });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].bcqueuelen', 'plugins[0].linkInContainer']);
    });
  });
});
