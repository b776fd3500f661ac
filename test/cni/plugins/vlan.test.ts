import {
  CniConfig, HostLocalIpam, PluginsProfile, Problem, Severity, UncheckedIpam, VlanPlugin, VlanProps, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;
const ipam = () => HostLocalIpam.subnet('10.50.0.0/24');

function warnings(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.WARNING);
}

describe('VlanPlugin', () => {
  test('defaults: the type, master, vlanId and IPAM', () => {
    const cfg = CniConfig.list([new VlanPlugin({ master: 'eth1', vlanId: 100, ipam: ipam() })], { name: 'vl100' });
    expect(JSON.parse(cfg.toString())).toEqual({
      cniVersion: '1.0.0', name: 'vl100',
      plugins: [{ type: 'vlan', master: 'eth1', vlanId: 100, ipam: { type: 'host-local', ranges: [[{ subnet: '10.50.0.0/24' }]] } }],
    });
    expect(cfg.problems()).toEqual([]);
  });

  test('round-trips through parse, without uplinkMtu', () => {
    const cfg = CniConfig.list([new VlanPlugin({ master: 'eth1', vlanId: 4094, mtu: 1496, uplinkMtu: 1500, linkInContainer: false, ipam: ipam(), dns: { domain: 'x.local' } })], { name: 'v' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
    expect(JSON.parse(cfg.toString()).plugins[0].uplinkMtu).toBeUndefined();
  });

  test('fails without master', () => {
    // cni-plugins.md §4 case 21
    expect(() => new VlanPlugin({ vlanId: 5, ipam: ipam() } as unknown as VlanProps))
      .toThrow(/'master' is required: got nothing; name the host interface to create the VLAN on, e.g. eth1/);
  });

  test('fails on a master longer than 15 characters', () => {
    // cni-plugins.md §4 case 8
    expect(() => new VlanPlugin({ master: 'uplink-too-long-x', vlanId: 5, ipam: ipam() })).toThrow(/'master' is longer than 15 characters \(17\)/);
  });

  test('fails on vlanId 4095', () => {
    // cni-plugins.md §4 case 22
    expect(() => new VlanPlugin({ master: 'eth1', vlanId: 4095, ipam: ipam() })).toThrow(/'vlanId' must be an integer from 0 to 4094: got 4095; /);
  });

  test('fails on a negative vlanId', () => {
    // cni-plugins.md §4 case 22
    expect(() => new VlanPlugin({ master: 'eth1', vlanId: -5, ipam: ipam() })).toThrow(/'vlanId' must be an integer from 0 to 4094: got -5; /);
  });

  test('warns on vlanId 0 and on no vlanId', () => {
    // cni-plugins.md §4 case 22
    const zero = warnings(new VlanPlugin({ master: 'eth1', vlanId: 0, ipam: ipam() }).shapeProblems());
    expect(zero.map((p) => [p.field, p.message])).toEqual([['vlanId', 'is 0 (priority tagging only), not a VLAN']]);
    const none = warnings(new VlanPlugin({ master: 'eth1', ipam: ipam() }).shapeProblems());
    expect(none.map((p) => p.field)).toEqual(['vlanId']);
    expect(warnings(new VlanPlugin({ master: 'eth1', vlanId: 1, ipam: ipam() }).shapeProblems())).toEqual([]);
  });

  test('fails on an MTU above the uplink MTU', () => {
    // cni-plugins.md §4 case 23
    expect(() => new VlanPlugin({ master: 'eth1', vlanId: 5, mtu: 1501, uplinkMtu: 1500, ipam: ipam() }))
      .toThrow(/'mtu' exceeds the uplink MTU 1500: got 1501; use an MTU of at most 1500/);
  });

  test('fails on an MTU below 68', () => {
    // cni-plugins.md §4 case 14
    expect(() => new VlanPlugin({ master: 'eth1', vlanId: 5, mtu: 0, ipam: ipam() })).toThrow(/'mtu' must be an integer from 68 to 65535: got 0; /);
  });

  test('fails without an IPAM', () => {
    // cni-plugins.md §4 case 20
    expect(() => new VlanPlugin({ master: 'eth1', vlanId: 5 })).toThrow(/'ipam' is required by vlan: got nothing; add an IPAM such as host-local/);
  });

  test('fails on IPAM dns, which vlan drops', () => {
    // cni-plugins.md §4 case 81
    const withDns = new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(() => CniConfig.list([new VlanPlugin({ master: 'eth1', vlanId: 5, ipam: withDns })])).toThrow(/'plugins\[0\]\.ipam\.dns' is dropped from the result by vlan/);
  });

  test('fails on linkInContainer for Debian 1.1.1, accepts it on UPSTREAM', () => {
    const plugin = () => new VlanPlugin({ master: 'eth1', vlanId: 5, linkInContainer: true, ipam: ipam() });
    expect(() => CniConfig.list([plugin()], { profile: DEBIAN })).toThrow(/'plugins\[0\]\.linkInContainer' is not read by containernetworking-plugins 1\.1\.1.*1\.3\.0 or later/);
    expect(CniConfig.list([plugin()]).problems()).toEqual([]);
  });

  describe('lint', () => {
    test('reports each bad field of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 21
      // cni-plugins.md §4 case 22
      // cni-plugins.md §4 case 20
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'vlan', vlanId: 4095 }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].ipam', 'plugins[0].master', 'plugins[0].vlanId']);
    });

    test('reports a wrongly cased key', () => {
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'vlan', master: 'eth1', vlanID: 5, ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] });
      expect(r.problems.map((p) => [p.field, p.severity])).toEqual([['plugins[0].vlanID', Severity.ERROR], ['plugins[0].vlanId', Severity.WARNING]]);
      expect(r.problems[0].fix).toMatch(/write it as 'vlanId'/);
    });
  });
});
