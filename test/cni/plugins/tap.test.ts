import {
  CniCapability, CniConfig, HostLocalIpam, PluginsProfile, Problem, Severity, TapPlugin, UncheckedIpam, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const DEBIAN = PluginsProfile.DEBIAN_1_1_1;
const V1_3 = PluginsProfile.custom({ name: 'v1.3', cniPlugins: '1.3.0' });

function warnings(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.WARNING);
}

describe('TapPlugin', () => {
  test('defaults: only the type', () => {
    const cfg = CniConfig.list([new TapPlugin()], { name: 'tap0' });
    expect(JSON.parse(cfg.toString())).toEqual({ cniVersion: '1.0.0', name: 'tap0', plugins: [{ type: 'tap' }] });
    expect(cfg.problems()).toEqual([]);
  });

  test('round-trips through parse', () => {
    const cfg = CniConfig.list([new TapPlugin({
      mac: '02:00:00:00:00:0a', mtu: 1500, multiQueue: true, owner: 107, group: 107, selinuxContext: 'system_u:system_r:container_t:s0',
      bridge: 'br-vm', capabilities: [CniCapability.MAC], ipam: HostLocalIpam.subnet('10.90.0.0/24'), dns: { nameservers: ['10.90.0.53'] },
    })], { name: 'tap0' });
    const back = parseCniConfig(cfg.toString());
    expect(back.toJson()).toEqual(cfg.toJson());
    expect(back.toString()).toBe(cfg.toString());
    expect(JSON.parse(cfg.toString()).plugins[0].capabilities).toEqual({ mac: true });
  });

  test('fails on Debian 1.1.1, which does not ship it', () => {
    // cni-plugins.md §4 case 82
    expect(() => CniConfig.list([new TapPlugin()], { profile: DEBIAN }))
      .toThrow(/'plugins\[0\]\.type' is not installed on the nodes \(containernetworking-plugins 1\.1\.1 .*\): got "tap"; install containernetworking-plugins 1\.3\.0 or later/);
  });

  test('fails on bridge before 1.4.0, accepts it from 1.4.0', () => {
    expect(() => CniConfig.list([new TapPlugin({ bridge: 'br-vm' })], { profile: V1_3 }))
      .toThrow(/'plugins\[0\]\.bridge' is not read by containernetworking-plugins 1\.3\.0, which would silently ignore it: got "br-vm"; .*1\.4\.0 or later/);
    expect(CniConfig.list([new TapPlugin()], { profile: V1_3 }).problems()).toEqual([]);
    expect(CniConfig.list([new TapPlugin({ bridge: 'br-vm' })]).problems()).toEqual([]);
  });

  test('warns when only one of owner and group is set', () => {
    const w = warnings(new TapPlugin({ owner: 107 }).shapeProblems());
    expect(w.map((p) => p.field)).toEqual(['group']);
    expect(w[0].message).toMatch(/is not set while 'owner' is, so tap shells out to 'ip tuntap'/);
    expect(warnings(new TapPlugin({ group: 107 }).shapeProblems()).map((p) => p.field)).toEqual(['owner']);
    expect(warnings(new TapPlugin({ owner: 107, group: 107 }).shapeProblems())).toEqual([]);
  });

  test('fails on an owner outside uint32', () => {
    expect(() => new TapPlugin({ owner: -1, group: 0 })).toThrow(/'owner' must be an integer from 0 to 4294967295: got -1; /);
    expect(() => new TapPlugin({ owner: 0, group: 4294967296 })).toThrow(/'group' must be an integer from 0 to 4294967295: got 4294967296; /);
  });

  test('fails on a bad MAC', () => {
    // cni-plugins.md §4 case 15
    expect(() => new TapPlugin({ mac: 'zz:11' })).toThrow(/'mac' must be a MAC address such as 02:00:00:00:00:01: got "zz:11"; /);
  });

  test('fails on a bridge name longer than 15 characters', () => {
    // cni-plugins.md §4 case 8
    expect(() => new TapPlugin({ bridge: 'bridge-in-the-pod' })).toThrow(/'bridge' is longer than 15 characters \(17\)/);
  });

  test('fails on an MTU out of range', () => {
    expect(() => new TapPlugin({ mtu: 65536 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 65536; /);
  });

  test('fails on an empty selinuxContext', () => {
    expect(() => new TapPlugin({ selinuxContext: '' })).toThrow(/'selinuxContext' must be a non-empty string: got ""; /);
  });

  test('fails on IPAM dns, which tap drops', () => {
    // cni-plugins.md §4 case 81
    const ipam = new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(() => CniConfig.list([new TapPlugin({ ipam })])).toThrow(/'plugins\[0\]\.ipam\.dns' is dropped from the result by tap/);
  });

  describe('lint', () => {
    test('reports each bad field of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 15
      // cni-plugins.md §4 case 16
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'tap', mac: 'zz', mtu: '1500', multiQueue: 1, owner: 'qemu' }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].mac', 'plugins[0].mtu', 'plugins[0].multiQueue', 'plugins[0].owner'].sort());
    });

    test('reports the cni.dev spelling selinuxcontext with its canonical form', () => {
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'tap', selinuxcontext: 'x' }] });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].selinuxcontext']);
      expect(r.problems[0].fix).toMatch(/write it as 'selinuxContext'/);
    });

    test('reports tap as not installed for Debian at its path', () => {
      // cni-plugins.md §4 case 82
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'tap' }] }, { profile: DEBIAN });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].type']);
    });
  });
});
