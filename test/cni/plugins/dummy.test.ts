import {
  CniConfig, DummyPlugin, DummyProps, HostLocalIpam, PluginsProfile, UncheckedIpam, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;
const ipam = () => HostLocalIpam.subnet('10.80.0.0/24');

describe('DummyPlugin', () => {
  test('defaults: the type and IPAM', () => {
    const cfg = CniConfig.list([new DummyPlugin({ ipam: ipam() })], { name: 'svc' });
    expect(JSON.parse(cfg.toString())).toEqual({
      cniVersion: '1.0.0', name: 'svc', plugins: [{ type: 'dummy', ipam: { type: 'host-local', ranges: [[{ subnet: '10.80.0.0/24' }]] } }],
    });
    expect(cfg.problems()).toEqual([]);
  });

  test('round-trips through parse', () => {
    const withDns = new UncheckedIpam('static', { addresses: [{ address: '10.80.0.5/32' }], dns: { nameservers: ['10.80.0.53'] } });
    const cfg = CniConfig.list([new DummyPlugin({ ipam: withDns })], { name: 'svc' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
  });

  test('fails without an IPAM', () => {
    // cni-plugins.md §4 case 20
    expect(() => new DummyPlugin({} as DummyProps)).toThrow(/'ipam' is required by dummy: got nothing; add an IPAM such as host-local/);
  });

  test('fails on a top-level dns, which dummy does not read', () => {
    expect(() => new DummyPlugin({ ipam: ipam(), dns: { nameservers: ['10.0.0.53'] } } as DummyProps)).toThrow(/'dns' is not read by dummy: got \{"nameservers":\["10\.0\.0\.53"\]\}; remove it/);
  });

  test('fails on Debian 1.1.1, which does not ship it', () => {
    // cni-plugins.md §4 case 82
    expect(() => CniConfig.list([new DummyPlugin({ ipam: ipam() })], { profile: DEBIAN }))
      .toThrow(/'plugins\[0\]\.type' is not installed on the nodes \(containernetworking-plugins 1\.1\.1 \(profile 'debian-1\.1\.1'\)\): got "dummy"; install containernetworking-plugins 1\.2\.0 or later/);
  });

  test('is available from 1.2.0', () => {
    const v12 = PluginsProfile.custom({ name: 'v1.2', cniPlugins: '1.2.0' });
    expect(CniConfig.list([new DummyPlugin({ ipam: ipam() })], { profile: v12 }).problems()).toEqual([]);
  });

  describe('lint', () => {
    test('reports mtu, which dummy has no key for, and the missing IPAM', () => {
      // cni-plugins.md §4 case 20
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'dummy', mtu: 1500 }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].ipam', 'plugins[0].mtu']);
    });

    test('reports dummy as not installed for Debian at its path', () => {
      // cni-plugins.md §4 case 82
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'dummy', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] }, { profile: DEBIAN });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].type']);
    });
  });
});
