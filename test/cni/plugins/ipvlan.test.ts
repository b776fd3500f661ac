import {
  BridgePlugin, CniConfig, HostLocalIpam, IpvlanMode, IpvlanPlugin, MacvlanPlugin, PluginsProfile, Problem, PtpPlugin, Severity,
  UncheckedIpam, UncheckedPlugin, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;
const ipam = () => HostLocalIpam.subnet('10.40.0.0/24');

function errors(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.ERROR);
}

describe('IpvlanPlugin', () => {
  test('defaults: the type, master and IPAM', () => {
    const cfg = CniConfig.list([new IpvlanPlugin({ master: 'eth1', ipam: ipam() })], { name: 'iv' });
    expect(JSON.parse(cfg.toString())).toEqual({
      cniVersion: '1.0.0', name: 'iv',
      plugins: [{ type: 'ipvlan', master: 'eth1', ipam: { type: 'host-local', ranges: [[{ subnet: '10.40.0.0/24' }]] } }],
    });
    expect((cfg.main as IpvlanPlugin).mode).toBe(IpvlanMode.L2);
    expect(cfg.problems()).toEqual([]);
  });

  test('mode is written only when given: the default applies to the model, an explicit l2 is kept (reproduction)', () => {
    const hostLocal = { type: 'host-local', ranges: [[{ subnet: '10.40.0.0/24' }]] };
    const parsed = parseCniConfig({ cniVersion: '1.0.0', name: 'iv', plugins: [{ type: 'ipvlan', master: 'eth1', ipam: hostLocal }] });
    expect((parsed.main as IpvlanPlugin).mode).toBe(IpvlanMode.L2);
    expect(parsed.main.toJson()).toEqual({ type: 'ipvlan', master: 'eth1', ipam: hostLocal });
    const explicit = { type: 'ipvlan', master: 'eth1', mode: 'l2', ipam: hostLocal };
    expect(parseCniConfig({ cniVersion: '1.0.0', name: 'iv', plugins: [explicit] }).main.toJson()).toEqual(explicit);
    expect(new IpvlanPlugin({ master: 'eth1', mode: IpvlanMode.L2, ipam: ipam() }).toJson()).toEqual(explicit);
    expect(new IpvlanPlugin({ master: 'eth1', mode: undefined, ipam: ipam() }).toJson()).toEqual({ type: 'ipvlan', master: 'eth1', ipam: hostLocal });
  });

  test('round-trips through parse', () => {
    const cfg = CniConfig.list([new IpvlanPlugin({ master: 'eth1', mode: IpvlanMode.L3S, mtu: 1400, linkInContainer: true, ipam: ipam(), dns: { search: ['svc.local'] } })], { name: 'iv' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
  });

  test('fails on mode l4', () => {
    // cni-plugins.md §4 case 18
    expect(() => new IpvlanPlugin({ mode: 'l4' as IpvlanMode })).toThrow(/'mode' must be one of "l2", "l3", "l3s": got "l4"; use a IpvlanMode value: one of/);
  });

  test('fails on mode L2 (case matters)', () => {
    // cni-plugins.md §4 case 18
    expect(() => new IpvlanPlugin({ mode: 'L2' as IpvlanMode })).toThrow(/'mode' must be one of .*: got "L2"; .*\(exact case\)/);
  });

  test('fails on an MTU out of range', () => {
    expect(() => new IpvlanPlugin({ mtu: 70000 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 70000; /);
  });

  test('fails on a master longer than 15 characters', () => {
    // cni-plugins.md §4 case 8
    expect(() => new IpvlanPlugin({ master: 'a-very-long-uplink' })).toThrow(/'master' is longer than 15 characters \(18\): got "a-very-long-uplink"; /);
  });

  test('fails first in its list without an IPAM', () => {
    // cni-plugins.md §4 case 20
    expect(() => CniConfig.list([new IpvlanPlugin({ master: 'eth1' })]))
      .toThrow(/'plugins\[0\]\.ipam' is required by ipvlan when it creates the first interface of the list: got nothing; add an IPAM/);
  });

  test('fails as a single-plugin config without an IPAM', () => {
    // cni-plugins.md §4 case 20
    expect(() => CniConfig.single(new IpvlanPlugin({ master: 'eth1' }))).toThrow(/'ipam' is required by ipvlan when it creates the first interface/);
  });

  test('builds without an IPAM: the rule needs its place in a list', () => {
    expect(() => new IpvlanPlugin({ master: 'eth1' })).not.toThrow();
  });

  test('warns first in its list without master', () => {
    // cni-plugins.md §4 case 19
    const w = CniConfig.list([new IpvlanPlugin({ ipam: ipam() })]).problems();
    expect(w.map((p) => [p.field, p.severity])).toEqual([['plugins[0].master', Severity.WARNING]]);
  });

  test('chained after macvlan with IPs: neither master nor IPAM needed', () => {
    const cfg = CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: ipam() }), new IpvlanPlugin()], { name: 'chain' });
    expect(cfg.problems()).toEqual([]);
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
  });

  test('fails chained after bridge (three interfaces) without master', () => {
    // cni-plugins.md §4 case 19
    expect(() => CniConfig.list([new BridgePlugin({ ipam: ipam() }), new IpvlanPlugin()]))
      .toThrow(/'plugins\[1\]\.master' is required: the bridge result before it lists 3 interfaces, not one: got nothing; name the master interface/);
    expect(() => CniConfig.list([new PtpPlugin({ ipam: ipam() }), new IpvlanPlugin()])).toThrow(/'plugins\[1\]\.master' is required: the ptp result before it lists 2 interfaces/);
    expect(errors(CniConfig.list([new BridgePlugin({ ipam: ipam() }), new IpvlanPlugin({ master: 'eth0' })]).problems())).toEqual([]);
  });

  test('fails chained without an IPAM after a plugin that assigns no IPs', () => {
    // cni-plugins.md §4 case 20
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth1' }), new IpvlanPlugin()]))
      .toThrow(/'plugins\[1\]\.ipam' is required: the macvlan before it assigns no IPs to reuse: got nothing; add an IPAM to ipvlan or to macvlan/);
  });

  test('does not judge a chain after an unchecked plugin', () => {
    const cfg = CniConfig.list([new UncheckedPlugin('vendor-cni', { x: 1 }), new IpvlanPlugin()]);
    expect(errors(cfg.problems())).toEqual([]);
  });

  test('fails on IPAM dns, which ipvlan drops', () => {
    // cni-plugins.md §4 case 81
    const withDns = new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(() => CniConfig.list([new IpvlanPlugin({ master: 'eth1', ipam: withDns })])).toThrow(/'plugins\[0\]\.ipam\.dns' is dropped from the result by ipvlan/);
  });

  test('fails on linkInContainer for Debian 1.1.1, accepts it on UPSTREAM', () => {
    expect(() => CniConfig.list([new IpvlanPlugin({ master: 'eth1', linkInContainer: true, ipam: ipam() })], { profile: DEBIAN }))
      .toThrow(/'plugins\[0\]\.linkInContainer' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got true; .*1\.3\.0 or later/);
    expect(CniConfig.list([new IpvlanPlugin({ master: 'eth1', linkInContainer: true, ipam: ipam() })]).problems()).toEqual([]);
  });

  describe('lint', () => {
    test('reports each bad field of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 18
      // cni-plugins.md §4 case 16
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'ipvlan', master: 'eth1', mode: 'l4', mtu: '1500', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].mode', 'plugins[0].mtu']);
    });

    test('reports a missing IPAM at its path, also for ipam: {}', () => {
      // cni-plugins.md §4 case 20
      for (const extra of [{}, { ipam: {} }]) {
        const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'ipvlan', master: 'eth1', ...extra }] });
        expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].ipam']);
      }
    });

    test('reports a chained ipvlan without master after bridge', () => {
      // cni-plugins.md §4 case 19
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [
        { type: 'bridge', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }, { type: 'ipvlan' },
      ] });
      expect(errors(r.problems).map((p) => p.field)).toEqual(['plugins[1].master']);
    });
  });
});
