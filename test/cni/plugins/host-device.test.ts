import {
  CniCapability, CniConfig, HostDevicePlugin, HostLocalIpam, PluginsProfile, Problem, Severity, UncheckedIpam, formatProblem, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';
import { deviceSourceProblems } from '../../../lib/topology/network-rules';

function warnings(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === Severity.WARNING);
}

describe('HostDevicePlugin', () => {
  test('defaults: the type and the selector', () => {
    const cfg = CniConfig.list([new HostDevicePlugin({ device: 'ens2f0' })], { name: 'hd' });
    expect(JSON.parse(cfg.toString())).toEqual({ cniVersion: '1.0.0', name: 'hd', plugins: [{ type: 'host-device', device: 'ens2f0' }] });
    expect((cfg.main as HostDevicePlugin).selector).toEqual({ key: 'device', value: 'ens2f0' });
    expect(cfg.problems()).toEqual([]);
  });

  test('writes the deviceID capability for a device-plugin pick, with no selector', () => {
    const plugin = new HostDevicePlugin({ capabilities: [CniCapability.DEVICE_ID], ipam: HostLocalIpam.subnet('10.60.0.0/24') });
    expect(plugin.toJson()).toEqual({ type: 'host-device', ipam: { type: 'host-local', ranges: [[{ subnet: '10.60.0.0/24' }]] }, capabilities: { deviceID: true } });
    expect(plugin.selector).toBeUndefined();
  });

  test('round-trips through parse', () => {
    for (const props of [{ pciBusID: '0000:03:00.1' }, { hwaddr: '02:00:00:00:00:aa' }, { kernelpath: '/sys/devices/pci0000:00/0000:00:03.0/net' }]) {
      const cfg = CniConfig.list([new HostDevicePlugin({ ...props, ipam: HostLocalIpam.subnet('10.60.0.0/24'), dns: { nameservers: ['10.60.0.53'] } })], { name: 'hd' });
      const back = parseCniConfig(cfg.toString());
      expect(back.toJson()).toEqual(cfg.toJson());
      expect(back.toString()).toBe(cfg.toString());
    }
  });

  test('without a selector the device comes from the NAD\'s resourceName: one check, on the NAD (deviceSourceProblems)', () => {
    // cni-plugins.md §4 case 32: Multus writes the allocated device's ID into the config
    const bare = new HostDevicePlugin();
    expect(bare.shapeProblems()).toEqual([]);
    expect(bare.toJson()).toEqual({ type: 'host-device' });
    const config = CniConfig.list([bare], { name: 'hd' });
    expect(deviceSourceProblems(config, 'nvidia.com/hostdev')).toEqual([]);
    expect(deviceSourceProblems(config, undefined).map(formatProblem)).toEqual([
      "'resourceName' is not set and the host-device config names no device (device, hwaddr, kernelpath, pciBusID), so host-device has no device to move into the pod: got nothing; set resourceName to the device plugin resource (Multus then writes the allocated device into the config as pciBusID), or name the device in the config",
    ]);
  });

  test('fails on a kernelpath outside /sys/devices/', () => {
    // cni-plugins.md §4 case 33
    expect(() => new HostDevicePlugin({ kernelpath: '/sys/class/net/eth1' }))
      .toThrow(/'kernelpath' must be an absolute path under \/sys\/devices\/: got "\/sys\/class\/net\/eth1"; write the sysfs path of the device/);
    expect(() => new HostDevicePlugin({ kernelpath: 'sys/devices/pci0000:00' })).toThrow(/'kernelpath' must be an absolute path under \/sys\/devices\//);
  });

  test('fails on a bad hwaddr', () => {
    // cni-plugins.md §4 case 34
    expect(() => new HostDevicePlugin({ hwaddr: 'not-a-mac' })).toThrow(/'hwaddr' must be a MAC address such as 02:00:00:00:00:01: got "not-a-mac"; write six colon-separated hex pairs/);
  });

  test('fails on a bad pciBusID', () => {
    // cni-plugins.md §4 case 35
    expect(() => new HostDevicePlugin({ pciBusID: '03:00.1' })).toThrow(/'pciBusID' must be a PCI address such as 0000:03:00\.1: got "03:00\.1"; write domain:bus:device\.function in lowercase hex/);
    expect(() => new HostDevicePlugin({ pciBusID: '0000:03:00.8' })).toThrow(/'pciBusID' must be a PCI address/);
    expect(() => new HostDevicePlugin({ pciBusID: '0000:0A:00.1' })).toThrow(/'pciBusID' must be a PCI address/);
  });

  test('fails on a device name longer than 15 characters', () => {
    // cni-plugins.md §4 case 8
    expect(() => new HostDevicePlugin({ device: 'enp1s0f0np0-long' })).toThrow(/'device' is longer than 15 characters \(16\)/);
  });

  test('warns on the selectors host-device ignores', () => {
    const w = warnings(new HostDevicePlugin({ device: 'ens2f0', hwaddr: '02:00:00:00:00:aa', pciBusID: '0000:03:00.1' }).shapeProblems());
    expect(w.map((p) => p.field)).toEqual(['hwaddr', 'pciBusID']);
    expect(w[0].message).toMatch(/is ignored because 'device' is set/);
  });

  test('warns on a selector next to the deviceID capability', () => {
    const w = warnings(new HostDevicePlugin({ pciBusID: '0000:03:00.1', capabilities: [CniCapability.DEVICE_ID] }).shapeProblems());
    expect(w.map((p) => [p.field, p.message])).toEqual([['pciBusID', 'is overridden by the deviceID the device plugin passes']]);
  });

  test('rejects the mac capability', () => {
    expect(() => new HostDevicePlugin({ device: 'ens2f0', capabilities: [CniCapability.MAC] })).toThrow(/'capabilities\.mac' is not read by host-device/);
  });

  test('fails on IPAM dns, which host-device drops', () => {
    // cni-plugins.md §4 case 81
    const ipam = new UncheckedIpam('static', { addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(() => CniConfig.list([new HostDevicePlugin({ device: 'ens2f0', ipam })])).toThrow(/'plugins\[0\]\.ipam\.dns' is dropped from the result by host-device/);
  });

  test('is available on Debian 1.1.1', () => {
    expect(CniConfig.list([new HostDevicePlugin({ device: 'ens2f0' })], { profile: PluginsProfile.DEBIAN_1_1_1 }).problems()).toEqual([]);
  });

  describe('lint', () => {
    test('reports each bad selector of third-party JSON at its path', () => {
      // cni-plugins.md §4 case 33
      // cni-plugins.md §4 case 34
      // cni-plugins.md §4 case 35
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'host-device', hwaddr: 'not-a-mac', kernelpath: '/tmp/x', pciBusID: '0000:99:00' }] });
      expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].hwaddr', 'plugins[0].kernelpath', 'plugins[0].pciBusID']);
    });

    test('a config with no selector is not a config problem (the NAD\'s resourceName check reports it)', () => {
      // cni-plugins.md §4 case 32
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'host-device' }] });
      expect(r.problems).toEqual([]);
      const ok = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'host-device', capabilities: { deviceID: true } }] });
      expect(ok.problems).toEqual([]);
    });

    test('reports DPDKMode, which must never be written', () => {
      const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'host-device', device: 'ens2f0', DPDKMode: true }] });
      expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].DPDKMode']);
      expect(r.problems[0].message).toMatch(/is not a field of host-device/);
    });
  });
});
