import { CniConfig, CniPlugin, CniVersion, HostLocalIpam, MacvlanPlugin, PluginsProfile, RouteOverridePlugin, formatProblem, lintCniConfig, parseCniConfig } from '../../../lib/cni';

const macvlan = () => new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: a bare route-override step writes only its type', () => {
  expect(JSON.parse(list([macvlan(), new RouteOverridePlugin()]).toString()).plugins[1]).toEqual({ type: 'route-override' });
});

test('custom: every field in table order', () => {
  const ro = new RouteOverridePlugin({
    flushroutes: true, flushgateway: true, delroutes: [{ dst: '192.0.2.0/24' }],
    addroutes: [{ dst: '198.51.100.0/24', gw: '10.1.0.1' }, { dst: '2001:db8::/64' }], skipcheck: true,
    args: { cni: { flushroutes: false } },
  });
  expect(JSON.parse(list([macvlan(), ro]).toString()).plugins[1]).toEqual({
    type: 'route-override', flushroutes: true, flushgateway: true, delroutes: [{ dst: '192.0.2.0/24' }],
    addroutes: [{ dst: '198.51.100.0/24', gw: '10.1.0.1' }, { dst: '2001:db8::/64' }], skipcheck: true,
    args: { cni: { flushroutes: false } },
  });
});

test('round-trips through the parser', () => {
  const cfg = list([macvlan(), new RouteOverridePlugin({ flushgateway: true, addroutes: [{ dst: '198.51.100.0/24', gw: '10.1.0.1' }] })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

// cni-plugins.md §4 case 66
test('fails on a route dst that is not a prefix', () => {
  expect(() => new RouteOverridePlugin({ addroutes: [{ dst: '0.0.0.0' }] })).toThrow(/'addroutes\[0\]\.dst' must be a prefix in CIDR notation: got "0\.0\.0\.0"/);
});

test('fails on a route without dst', () => {
  expect(() => new RouteOverridePlugin({ delroutes: [{ gw: '10.1.0.1' } as any] })).toThrow(/'delroutes\[0\]\.dst' is required: got nothing/);
});

test('fails on route keys its CNI library does not know, when parsing', () => {
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth0' }, { type: 'route-override', addroutes: [{ dst: '10.0.0.0/8', mtu: 1400 }] }] });
  expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^'plugins\[1\]\.addroutes\[0\]\.mtu' is not a field of a route \{dst, gw\}: got 1400; remove it/)]);
});

test('fails on a gateway of the other family', () => {
  expect(() => new RouteOverridePlugin({ addroutes: [{ dst: '10.0.0.0/8', gw: '2001:db8::1' }] }))
    .toThrow(/'addroutes\[0\]\.gw' is not of the family of 'dst' 10\.0\.0\.0\/8: got "2001:db8::1"/);
});

test('fails on args without a cni object', () => {
  expect(() => new RouteOverridePlugin({ args: {} })).toThrow(/'args' must hold a 'cni' object \(route-override crashes on args without one\): got \{\}; write args as \{ "cni": \{ \.\.\. \} \}/);
  expect(() => new RouteOverridePlugin({ args: { cni: 'x' } })).toThrow(/'args' must hold a 'cni' object/);
});

test('fails on a non-boolean flag', () => {
  expect(() => new RouteOverridePlugin({ skipcheck: 1 as unknown as boolean })).toThrow(/'skipcheck' must be true or false: got 1/);
});

test('fails as the first plugin', () => {
  expect(() => list([new RouteOverridePlugin({ flushroutes: true })])).toThrow(/'plugins\[0\]\.type' must not be first: .*: got "route-override"/);
});

test('fails at cniVersion 1.1.0 on every profile', () => {
  for (const profile of [PluginsProfile.UPSTREAM, PluginsProfile.DEBIAN_1_1_1]) {
    expect(() => list([macvlan(), new RouteOverridePlugin()], { cniVersion: CniVersion.V1_1_0, profile }))
      .toThrow(/'cniVersion' is newer than route-override accepts \(route-override-cni .* supports up to 1\.0\.0\): got "1\.1\.0"; declare cniVersion 1\.0\.0 or older/);
  }
});

test('gating: accepted on both profiles at 1.0.0, refused where route-override-cni is not installed', () => {
  expect(list([macvlan(), new RouteOverridePlugin()], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(2);
  expect(list([macvlan(), new RouteOverridePlugin()], { profile: PluginsProfile.UPSTREAM }).plugins).toHaveLength(2);
  const bare = PluginsProfile.custom({ name: 'bare', cniPlugins: '1.9.1' });
  expect(() => list([macvlan(), new RouteOverridePlugin()], { profile: bare }))
    .toThrow(/'plugins\[1\]\.type' is not installed on the nodes \(route-override-cni not installed \(profile 'bare'\)\): got "route-override"; install route-override-cni/);
});
