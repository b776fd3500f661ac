import { CniConfig, CniPlugin, CniVersion, HostLocalIpam, OvsPlugin, PluginsProfile, Severity, formatProblem, lintCniConfig, parseCniConfig } from '../../../lib/cni';

const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: the bridge only', () => {
  const ovs = new OvsPlugin({ bridge: 'br1' });
  expect(JSON.parse(list([ovs]).toString())).toEqual({ cniVersion: '1.0.0', name: 'net', plugins: [{ type: 'ovs', bridge: 'br1' }] });
  expect(ovs.bridge).toBe('br1');
});

test('custom: every field with its wire key, in table order', () => {
  const ovs = new OvsPlugin({
    bridge: 'br1', trunk: [{ id: 10 }, { minID: 100, maxID: 199 }], mtu: 9000, ofportRequest: 42, interfaceType: 'system',
    configurationPath: '/etc/cni/net.d/ovs.d/ovs.conf', socketFile: 'unix:/var/run/openvswitch/db.sock',
    linkStateCheckRetries: 10, linkStateCheckInterval: 300, ipam: HostLocalIpam.subnet('10.1.0.0/24'),
  });
  expect(JSON.parse(list([ovs]).toString()).plugins[0]).toEqual({
    type: 'ovs', bridge: 'br1', trunk: [{ id: 10 }, { minID: 100, maxID: 199 }], mtu: 9000, ofport_request: 42, interface_type: 'system',
    configuration_path: '/etc/cni/net.d/ovs.d/ovs.conf', socket_file: 'unix:/var/run/openvswitch/db.sock',
    link_state_check_retries: 10, link_state_check_interval: 300, ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] },
  });
});

test('round-trips through the parser', () => {
  const cfg = list([new OvsPlugin({ bridge: 'br1', vlan: 100, socketFile: 'tcp:192.0.2.1:6640' })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

test('fails without bridge or configuration_path', () => {
  expect(() => new OvsPlugin()).toThrow(/'bridge' is required unless 'configuration_path' names a file that sets it: got nothing; name the OVS bridge/);
  expect(new OvsPlugin({ configurationPath: '/etc/ovs.conf' }).bridge).toBeUndefined();
  expect(new OvsPlugin({ args: { cni: { ovnPort: 'p1' } } }).bridge).toBeUndefined();
});

test('fails on a bridge name longer than 15 characters', () => {
  expect(() => new OvsPlugin({ bridge: 'br-much-too-long-name' })).toThrow(/'bridge' is longer than 15 characters/);
});

test('fails on a VLAN above 4095', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', vlan: 4096 })).toThrow(/'vlan' must be an integer from 0 to 4095: got 4096/);
});

test('fails on trunk ids above 4095', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ id: 4096 }] })).toThrow(/'trunk\[0\]\.id' must be an integer from 0 to 4095: got 4096/);
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ minID: 1, maxID: 5000 }] })).toThrow(/'trunk\[0\]\.maxID' must be an integer from 1 to 4095: got 5000/);
});

test('fails on a range starting at 0 (silently skipped by the plugin)', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ minID: 0, maxID: 10 }] })).toThrow(/'trunk\[0\]\.minID' must be an integer from 1 to 4095: got 0; .*silently skipped/);
});

test('fails on half a range', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ minID: 10 }] })).toThrow(/'trunk\[0\]\.maxID' is missing while 'minID' is set: got nothing; give both minID and maxID/);
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ maxID: 10 }] })).toThrow(/'trunk\[0\]\.minID' is missing while 'maxID' is set/);
});

test('fails on minID above maxID', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ minID: 20, maxID: 10 }] })).toThrow(/'trunk\[0\]\.minID' is greater than 'maxID' 10: got 20; swap them/);
});

test('fails on a trunk entry with an id and a range, or with nothing', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{ id: 5, minID: 10, maxID: 20 }] })).toThrow(/'trunk\[0\]' mixes an id and a range: .*; split it into two entries/);
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [{}] })).toThrow(/'trunk\[0\]' names no VLAN: got \{\}/);
});

test('fails on an empty trunk', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', trunk: [] })).toThrow(/'trunk' needs at least 1 item: got \[\]/);
});

test('fails on ofport_request out of range', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', ofportRequest: 65280 })).toThrow(/'ofport_request' must be an integer from 1 to 65279: got 65280/);
});

test('fails on a socket that is not unix:, tcp: or ssl:', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', socketFile: '/var/run/openvswitch/db.sock' }))
    .toThrow(/'socket_file' must be a string matching unix:<path>, tcp:<ip>:<port> or ssl:<ip>:<port>: got "\/var\/run\/openvswitch\/db\.sock"/);
  expect(new OvsPlugin({ bridge: 'br1', socketFile: 'ssl:192.0.2.1:6640' }).get('socketFile')).toBe('ssl:192.0.2.1:6640');
});

test('fails on negative link state check settings', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', linkStateCheckRetries: -1 })).toThrow(/'link_state_check_retries' must be an integer of at least 0: got -1/);
  expect(() => new OvsPlugin({ bridge: 'br1', linkStateCheckInterval: -1 })).toThrow(/'link_state_check_interval' must be an integer of at least 0 ms: got -1/);
});

test('fails on an MTU out of range', () => {
  expect(() => new OvsPlugin({ bridge: 'br1', mtu: 67 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 67/);
});

test('warns that vlan is ignored with a trunk', () => {
  expect(new OvsPlugin({ bridge: 'br1', vlan: 10, trunk: [{ id: 20 }] }).shapeProblems())
    .toEqual([expect.objectContaining({ field: 'vlan', severity: Severity.WARNING })]);
});

test('fails on deviceID when parsing: Multus injects it', () => {
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'ovs', bridge: 'br1', deviceID: '0000:04:00.1' }] });
  expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^'plugins\[0\]\.deviceID' is injected by Multus .*resourceName annotation .*: got "0000:04:00\.1"; remove it/)]);
});

test('fails when chained after another interface plugin', () => {
  expect(() => list([new OvsPlugin({ bridge: 'br1' }), new OvsPlugin({ bridge: 'br2' })])).toThrow(/'plugins\[1\]\.type' creates an interface and must be first/);
});

test('gating: both current profiles carry ovs-cni 0.39.0; older or missing ovs-cni is refused', () => {
  expect(list([new OvsPlugin({ bridge: 'br1' })], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(1);
  expect(list([new OvsPlugin({ bridge: 'br1' })], { profile: PluginsProfile.UPSTREAM, cniVersion: CniVersion.V1_1_0 }).plugins).toHaveLength(1);
  const old = PluginsProfile.custom({ name: 'old-ovs', cniPlugins: '1.1.1', ovsCni: '0.31.0' });
  expect(() => list([new OvsPlugin({ bridge: 'br1' })], { profile: old, cniVersion: CniVersion.V1_1_0 }))
    .toThrow(/'cniVersion' is newer than ovs accepts \(ovs-cni 0\.31\.0 .* supports up to 1\.0\.0\): got "1\.1\.0"/);
  const none = PluginsProfile.custom({ name: 'none', cniPlugins: '1.1.1' });
  expect(() => list([new OvsPlugin({ bridge: 'br1' })], { profile: none })).toThrow(/'plugins\[0\]\.type' is not installed on the nodes \(ovs-cni not installed/);
});
