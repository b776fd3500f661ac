import { CniConfig, CniPlugin, HostLocalIpam, MacvlanPlugin, PluginsProfile, SbrPlugin, Severity, UncheckedPlugin, lintCniConfig, parseCniConfig } from '../../../lib/cni';

const macvlan = () => new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: a bare sbr step writes only its type', () => {
  expect(JSON.parse(list([macvlan(), new SbrPlugin()]).toString()).plugins[1]).toEqual({ type: 'sbr' });
});

test('custom: table', () => {
  const sbr = new SbrPlugin({ table: 120 });
  expect(JSON.parse(list([macvlan(), sbr]).toString()).plugins[1]).toEqual({ type: 'sbr', table: 120 });
  expect(sbr.table).toBe(120);
});

test('round-trips through the parser', () => {
  const cfg = list([macvlan(), new SbrPlugin({ table: 120 })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

test('fails on a table that is not a positive integer', () => {
  expect(() => new SbrPlugin({ table: 0 })).toThrow(/'table' must be an integer from 1 to 4294967295: got 0/);
});

test('fails on a reserved table', () => {
  expect(() => new SbrPlugin({ table: 254 })).toThrow(/'table' is a reserved routing table \(253 default, 254 main, 255 local\): got 254; use a table such as 100/);
});

test('fails on the unreleased gateways and addSourceHints keys', () => {
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }, { type: 'sbr', gateways: ['10.1.0.1'], addSourceHints: true }] });
  const errors = r.problems.filter((p) => p.severity === Severity.ERROR);
  expect(errors.map((p) => p.field)).toEqual(['plugins[1].gateways', 'plugins[1].addSourceHints']);
  expect(errors[0].message).toMatch(/not in any release/);
});

// cni-plugins.md §4 case 48
test('fails as the first plugin', () => {
  expect(() => list([new SbrPlugin()])).toThrow(/'plugins\[0\]\.type' must not be first: .*: got "sbr"/);
});

// cni-plugins.md §4 case 48
test('fails after an interface plugin without IPAM', () => {
  expect(() => list([new MacvlanPlugin({ master: 'eth0' }), new SbrPlugin()]))
    .toThrow(/'plugins\[1\]\.type' needs addresses, but macvlan before it has no IPAM .*: got "sbr"; give macvlan an IPAM such as host-local/);
});

test('trusts an unchecked interface plugin', () => {
  expect(list([new UncheckedPlugin('vendor-cni'), new SbrPlugin()]).problems()).toEqual([]);
});

// cni-plugins.md §4 case 31
test('gating: table needs containernetworking-plugins 1.6.0', () => {
  expect(() => list([macvlan(), new SbrPlugin({ table: 120 })], { profile: PluginsProfile.DEBIAN_1_1_1 }))
    .toThrow(/'plugins\[1\]\.table' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got 120; remove it, or target containernetworking-plugins 1\.6\.0 or later/);
  expect(list([macvlan(), new SbrPlugin({ table: 120 })], { profile: PluginsProfile.UPSTREAM }).plugins).toHaveLength(2);
  expect(list([macvlan(), new SbrPlugin()], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(2);
});
