import {
  CniCapability, CniConfig, CniPlugin, CniVersion, HostLocalIpam, PluginsProfile, Severity, SriovLinkState, SriovLogLevel, SriovPlugin,
  SriovToggle, SriovVlanProto, TuningPlugin, formatProblem, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });

test('defaults: a bare sriov plugin writes only its type', () => {
  expect(JSON.parse(list([new SriovPlugin()]).toString())).toEqual({ cniVersion: '1.0.0', name: 'net', plugins: [{ type: 'sriov' }] });
});

test('custom: every field with its wire key, in table order', () => {
  const sriov = new SriovPlugin({
    vlan: 100, vlanQoS: 3, vlanProto: SriovVlanProto.DOT1AD, mac: '02:00:00:00:00:0a', spoofchk: SriovToggle.OFF, trust: SriovToggle.ON,
    linkState: SriovLinkState.ENABLE, minTxRate: 100, maxTxRate: 1000, logLevel: SriovLogLevel.DEBUG, logFile: '/var/log/sriov.log',
    ipam: HostLocalIpam.subnet('10.1.0.0/24'), capabilities: [CniCapability.MAC],
  });
  expect(JSON.parse(list([sriov]).toString()).plugins[0]).toEqual({
    type: 'sriov', vlan: 100, vlanQoS: 3, vlanProto: '802.1ad', mac: '02:00:00:00:00:0a', spoofchk: 'off', trust: 'on',
    link_state: 'enable', min_tx_rate: 100, max_tx_rate: 1000, logLevel: 'debug', logFile: '/var/log/sriov.log',
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] }, capabilities: { mac: true },
  });
  expect(sriov.vlan).toBe(100);
});

test('round-trips through the parser', () => {
  const cfg = list([new SriovPlugin({ vlan: 0, linkState: SriovLinkState.AUTO, spoofchk: SriovToggle.ON, ipam: HostLocalIpam.subnet('10.1.0.0/24') }),
    new TuningPlugin({ mtu: 9000 })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

test('fails on a VLAN id above 4094', () => {
  expect(() => new SriovPlugin({ vlan: 4095 })).toThrow(/'vlan' must be an integer from 0 to 4094: got 4095/);
});

test('fails on a QoS above 7', () => {
  expect(() => new SriovPlugin({ vlan: 10, vlanQoS: 8 })).toThrow(/'vlanQoS' must be an integer from 0 to 7: got 8/);
});

test('fails on a QoS without vlan', () => {
  expect(() => new SriovPlugin({ vlanQoS: 0 })).toThrow(/'vlanQoS' needs 'vlan' .*: got 0; set 'vlan', or remove 'vlanQoS'/);
});

test('fails on a non-zero QoS with vlan 0', () => {
  expect(() => new SriovPlugin({ vlan: 0, vlanQoS: 5 })).toThrow(/'vlanQoS' must be 0 when 'vlan' is 0 .*: got 5; set a non-zero 'vlan'/);
});

test('fails on vlanProto without vlan', () => {
  expect(() => new SriovPlugin({ vlanProto: SriovVlanProto.DOT1Q })).toThrow(/'vlanProto' needs 'vlan' .*: got "802\.1q"/);
});

test('fails on 802.1ad with vlan 0', () => {
  expect(() => new SriovPlugin({ vlan: 0, vlanProto: SriovVlanProto.DOT1AD })).toThrow(/'vlanProto' needs a non-zero 'vlan' for 802\.1ad: got "802\.1ad"/);
});

test('fails on an unknown vlanProto', () => {
  expect(() => new SriovPlugin({ vlan: 5, vlanProto: '802.1x' as SriovVlanProto })).toThrow(/'vlanProto' must be one of "802\.1q", "802\.1ad": got "802\.1x"; use a SriovVlanProto value/);
});

test('fails on spoofchk as a boolean (any string but "on" means off)', () => {
  expect(() => new SriovPlugin({ spoofchk: true as unknown as SriovToggle })).toThrow(/'spoofchk' must be one of "on", "off": got true; use a SriovToggle value/);
  expect(() => new SriovPlugin({ trust: 'yes' as SriovToggle })).toThrow(/'trust' must be one of "on", "off": got "yes"/);
});

test('fails on an unknown link_state', () => {
  expect(() => new SriovPlugin({ linkState: 'up' as SriovLinkState })).toThrow(/'link_state' must be one of "auto", "enable", "disable": got "up"/);
});

test('fails on a negative rate', () => {
  expect(() => new SriovPlugin({ maxTxRate: -1 })).toThrow(/'max_tx_rate' must be an integer of at least 0 Mbps: got -1/);
});

test('fails on a bad MAC', () => {
  expect(() => new SriovPlugin({ mac: '01:00:5e:00:00:01' })).toThrow(/'mac' is a multicast MAC address: got "01:00:5e:00:00:01"/);
});

test('fails on an unknown log level', () => {
  expect(() => new SriovPlugin({ logLevel: 'trace' as SriovLogLevel })).toThrow(/'logLevel' must be one of "panic", "error", "warning", "info", "debug": got "trace"/);
});

test('warns when min_tx_rate is above max_tx_rate', () => {
  expect(new SriovPlugin({ minTxRate: 500, maxTxRate: 100 }).shapeProblems())
    .toEqual([expect.objectContaining({ field: 'min_tx_rate', severity: Severity.WARNING, value: 500 })]);
  expect(new SriovPlugin({ minTxRate: 500, maxTxRate: 0 }).shapeProblems()).toEqual([]);
});

test('fails on deviceID and pciBusID when parsing: Multus injects them', () => {
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'sriov', deviceID: '0000:04:00.1', pciBusID: '0000:04:00.1' }] });
  expect(r.problems.map(formatProblem)).toEqual([
    expect.stringMatching(/^'plugins\[0\]\.deviceID' is injected by Multus from the NetworkAttachmentDefinition's k8s\.v1\.cni\.cncf\.io\/resourceName annotation and must not be written: got "0000:04:00\.1"; remove it and set the resourceName annotation/),
    expect.stringMatching(/^'plugins\[0\]\.pciBusID' is injected by Multus/),
  ]);
});

test('fails on deviceID at construction too', () => {
  expect(() => new SriovPlugin({ deviceID: '0000:04:00.1' } as any)).toThrow(/'deviceID' is injected by Multus/);
});

test('fails on mtu: not configurable, chain tuning', () => {
  expect(() => new SriovPlugin({ mtu: 9000 } as any)).toThrow(/'mtu' is not configurable: sriov-cni overwrites it with the MTU of the VF: got 9000; remove it; set the MTU on the PF .* or chain a tuning plugin with mtu/);
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'sriov', mtu: 9000 }] });
  expect(r.problems.map((p) => p.field)).toEqual(['plugins[0].mtu']);
});

test('fails when chained after another interface plugin', () => {
  expect(() => list([new SriovPlugin(), new SriovPlugin()])).toThrow(/'plugins\[1\]\.type' creates an interface and must be first in its list: got "sriov"/);
});

test('gating: the current profiles both carry sriov-cni 2.10.0; vlanProto and log keys need 2.8.0', () => {
  const sriov = () => new SriovPlugin({ vlan: 10, vlanProto: SriovVlanProto.DOT1Q, logLevel: SriovLogLevel.INFO });
  expect(list([sriov()], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(1);
  expect(list([sriov()], { profile: PluginsProfile.UPSTREAM, cniVersion: CniVersion.V1_1_0 }).plugins).toHaveLength(1);
  const old = PluginsProfile.custom({ name: 'old-sriov', cniPlugins: '1.1.1', sriovCni: '2.7.0' });
  expect(() => list([sriov()], { profile: old }))
    .toThrow(/'plugins\[0\]\.vlanProto' is not read by sriov-cni 2\.7\.0, which would silently ignore it: got "802\.1q"; remove it, or target sriov-cni 2\.8\.0 or later/);
  expect(() => list([new SriovPlugin()], { profile: old, cniVersion: CniVersion.V1_1_0 }))
    .toThrow(/'cniVersion' is newer than sriov accepts .*: got "1\.1\.0"; declare cniVersion 1\.0\.0 or older/);
  const none = PluginsProfile.custom({ name: 'none', cniPlugins: '1.1.1' });
  expect(() => list([new SriovPlugin()], { profile: none })).toThrow(/'plugins\[0\]\.type' is not installed on the nodes \(sriov-cni not installed/);
});
