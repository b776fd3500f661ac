import { CniConfig, HostLocalIpam, LoopbackPlugin, LoopbackProps, PluginsProfile, lintCniConfig, parseCniConfig } from '../../../lib/cni';

describe('LoopbackPlugin', () => {
  test('defaults: only the type', () => {
    const cfg = CniConfig.list([new LoopbackPlugin()], { name: 'lo' });
    expect(JSON.parse(cfg.toString())).toEqual({ cniVersion: '1.0.0', name: 'lo', plugins: [{ type: 'loopback' }] });
    expect(cfg.problems()).toEqual([]);
  });

  test('round-trips through parse, as a list and as a single config', () => {
    for (const cfg of [CniConfig.list([new LoopbackPlugin()], { name: 'lo' }), CniConfig.single(new LoopbackPlugin(), { name: 'lo' })]) {
      const back = parseCniConfig(cfg.toString());
      expect(back.toJson()).toEqual(cfg.toJson());
      expect(back.main).toBeInstanceOf(LoopbackPlugin);
    }
  });

  test('fails on an IPAM, which loopback does not read', () => {
    expect(() => new LoopbackPlugin({ ipam: HostLocalIpam.subnet('10.1.0.0/24') } as LoopbackProps)).toThrow(/'ipam' is not read by loopback: got "host-local"; remove it/);
  });

  test('fails on dns, which loopback does not read', () => {
    expect(() => new LoopbackPlugin({ dns: { nameservers: ['10.0.0.53'] } } as LoopbackProps)).toThrow(/'dns' is not read by loopback: got .*; remove it/);
  });

  test('is available on Debian 1.1.1', () => {
    expect(CniConfig.list([new LoopbackPlugin()], { profile: PluginsProfile.DEBIAN_1_1_1 }).problems()).toEqual([]);
  });

  test('lint reports any key and capability at its path', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'loopback', mtu: 65536, capabilities: { mac: true } }] });
    expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].capabilities.mac', 'plugins[0].mtu']);
    expect(r.problems.find((p) => p.field === 'plugins[0].mtu')!.fix).toMatch(/the known fields are none/);
  });
});
