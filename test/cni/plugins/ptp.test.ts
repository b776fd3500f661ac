import {
  CniConfig, HostLocalIpam, IpMasqBackend, PluginsProfile, Problem, PtpPlugin, PtpProps, Severity, UncheckedIpam, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;
const ipam = () => HostLocalIpam.subnet('10.70.0.0/24');

function warnings(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.WARNING);
}

describe('PtpPlugin', () => {
  test('defaults: the type and IPAM', () => {
    const cfg = CniConfig.list([new PtpPlugin({ ipam: ipam() })], { name: 'p2p' });
    expect(JSON.parse(cfg.toString())).toEqual({
      cniVersion: '1.0.0', name: 'p2p', plugins: [{ type: 'ptp', ipam: { type: 'host-local', ranges: [[{ subnet: '10.70.0.0/24' }]] } }],
    });
    expect(cfg.problems()).toEqual([]);
  });

  test('round-trips through parse', () => {
    const cfg = CniConfig.list([new PtpPlugin({ ipMasq: true, ipMasqBackend: IpMasqBackend.IPTABLES, mtu: 1450, ipam: ipam(), dns: { nameservers: ['10.70.0.53'] } })], { name: 'p2p' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
  });

  test('keeps IPAM dns (ptp returns it)', () => {
    const withDns = new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(CniConfig.list([new PtpPlugin({ ipam: withDns })]).problems()).toEqual([]);
  });

  test('fails without an IPAM', () => {
    // cni-plugins.md §4 case 20
    expect(() => new PtpPlugin({} as PtpProps)).toThrow(/'ipam' is required by ptp: got nothing; add an IPAM such as host-local, static or whereabouts/);
  });

  test('fails on an MTU of 70000 and warns above 9216', () => {
    // cni-plugins.md §4 case 28
    expect(() => new PtpPlugin({ mtu: 70000, ipam: ipam() })).toThrow(/'mtu' must be an integer from 68 to 65535: got 70000; /);
    expect(warnings(new PtpPlugin({ mtu: 9500, ipam: ipam() }).shapeProblems()).map((p) => p.field)).toEqual(['mtu']);
    expect(warnings(new PtpPlugin({ mtu: 9000, ipam: ipam() }).shapeProblems())).toEqual([]);
  });

  test('fails on an unknown ipMasqBackend', () => {
    expect(() => new PtpPlugin({ ipMasq: true, ipMasqBackend: 'ipfw' as IpMasqBackend, ipam: ipam() }))
      .toThrow(/'ipMasqBackend' must be one of "iptables", "nftables": got "ipfw"; use a IpMasqBackend value: one of/);
  });

  test('warns on ipMasqBackend without ipMasq', () => {
    expect(warnings(new PtpPlugin({ ipMasqBackend: IpMasqBackend.NFTABLES, ipam: ipam() }).shapeProblems()).map((p) => p.field)).toEqual(['ipMasqBackend']);
  });

  test('fails on ipMasqBackend for Debian 1.1.1, accepts it on UPSTREAM', () => {
    const plugin = () => new PtpPlugin({ ipMasq: true, ipMasqBackend: IpMasqBackend.NFTABLES, ipam: ipam() });
    expect(() => CniConfig.list([plugin()], { profile: DEBIAN }))
      .toThrow(/'plugins\[0\]\.ipMasqBackend' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got "nftables"; .*1\.6\.0 or later/);
    expect(CniConfig.list([plugin()]).problems()).toEqual([]);
  });

  describe('lint', () => {
    test('reports each bad field of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 16
      // cni-plugins.md §4 case 20
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'ptp', mtu: '1500', ipMasq: 'yes' }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].ipMasq', 'plugins[0].ipam', 'plugins[0].mtu']);
    });

    test('reports an unknown key', () => {
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'ptp', bridge: 'br0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] });
      expect(r.problems.map((p) => [p.field, p.message])).toEqual([['plugins[0].bridge', 'is not a field of ptp (containernetworking-plugins)']]);
    });
  });
});
