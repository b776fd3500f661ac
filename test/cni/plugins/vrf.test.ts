import { CniConfig, CniPlugin, CniVersion, HostLocalIpam, MacvlanPlugin, PluginsProfile, VrfPlugin, lintCniConfig, parseCniConfig } from '../../../lib/cni';

const macvlan = () => new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: only the VRF name', () => {
  expect(JSON.parse(list([macvlan(), new VrfPlugin({ vrfname: 'blue' })]).toString()).plugins[1]).toEqual({ type: 'vrf', vrfname: 'blue' });
});

test('custom: table', () => {
  const vrf = new VrfPlugin({ vrfname: 'blue', table: 1001 });
  expect(JSON.parse(list([macvlan(), vrf]).toString()).plugins[1]).toEqual({ type: 'vrf', vrfname: 'blue', table: 1001 });
  expect([vrf.vrfname, vrf.table]).toEqual(['blue', 1001]);
});

test('round-trips through the parser', () => {
  const cfg = list([macvlan(), new VrfPlugin({ vrfname: 'blue', table: 1001 })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

// cni-plugins.md §4 case 49
test('fails without vrfname', () => {
  expect(() => new VrfPlugin({} as any)).toThrow(/'vrfname' is required: got nothing; name the VRF device/);
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth0' }, { type: 'vrf' }] });
  expect(r.problems.map((p) => p.field)).toContain('plugins[1].vrfname');
});

// cni-plugins.md §4 case 8
test('fails on a vrfname longer than 15 characters', () => {
  expect(() => new VrfPlugin({ vrfname: 'vrf-name-much-too-long' })).toThrow(/'vrfname' is longer than 15 characters \(22\): got "vrf-name-much-too-long"; shorten it/);
});

test('fails on a table out of range', () => {
  expect(() => new VrfPlugin({ vrfname: 'blue', table: 4294967296 })).toThrow(/'table' must be an integer from 1 to 4294967295: got 4294967296/);
});

test('fails on a reserved table', () => {
  expect(() => new VrfPlugin({ vrfname: 'blue', table: 255 })).toThrow(/'table' is a reserved routing table .*: got 255; use a table of its own/);
});

// cni-plugins.md §4 case 49
test('fails as the first plugin', () => {
  expect(() => list([new VrfPlugin({ vrfname: 'blue' })])).toThrow(/'plugins\[0\]\.type' must not be first: .*: got "vrf"/);
});

// cni-plugins.md §4 case 4
test('fails at cniVersion 0.3.0 and is accepted at 0.3.1', () => {
  expect(() => list([macvlan(), new VrfPlugin({ vrfname: 'blue' })], { cniVersion: CniVersion.V0_3_0 }))
    .toThrow(/'cniVersion' is older than vrf accepts \(from 0\.3\.1\): got "0\.3\.0"; declare cniVersion 0\.3\.1 or newer/);
  expect(list([macvlan(), new VrfPlugin({ vrfname: 'blue' })], { cniVersion: CniVersion.V0_3_1 }).cniVersion).toBe('0.3.1');
});

test('gating: cniVersion 1.1.0 on Debian 1.1.1 fails, upstream passes', () => {
  const plugins = () => [macvlan(), new VrfPlugin({ vrfname: 'blue' })];
  expect(() => list(plugins(), { cniVersion: CniVersion.V1_1_0, profile: PluginsProfile.DEBIAN_1_1_1 }))
    .toThrow(/'cniVersion' is newer than vrf accepts \(containernetworking-plugins 1\.1\.1 .*\): got "1\.1\.0"/);
  expect(list(plugins(), { cniVersion: CniVersion.V1_1_0, profile: PluginsProfile.UPSTREAM }).cniVersion).toBe('1.1.0');
});
