import {
  BOND_CNI_MASTER, BondMode, BondPlugin, BondXmitHashPolicy, CniConfig, CniPlugin, CniVersion, HostLocalIpam, PluginsProfile, Severity,
  UncheckedIpam, formatProblem, lintCniConfig, parseCniConfig,
} from '../../../lib/cni';

const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });
const links = [{ name: 'net1' }, { name: 'net2' }];
const minimal = () => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links });

test('defaults: the required fields only', () => {
  const bond = minimal();
  expect(JSON.parse(list([bond]).toString())).toEqual({
    cniVersion: '1.0.0', name: 'net',
    plugins: [{ type: 'bond', mode: 'active-backup', miimon: '100', links: [{ name: 'net1' }, { name: 'net2' }] }],
  });
  expect(bond.mode).toBe(BondMode.ACTIVE_BACKUP);
  expect(bond.links).toEqual(links);
});

test('custom: every field in table order', () => {
  const bond = new BondPlugin({
    ifname: 'bond0', mode: BondMode.BALANCE_TLB, miimon: '50', links, linksInContainer: true, mtu: 9000, failOverMac: 1,
    allSlavesActive: 0, tlbDynamicLb: 1, xmitHashPolicy: BondXmitHashPolicy.LAYER3_4, ipam: HostLocalIpam.subnet('10.1.0.0/24'),
  });
  expect(JSON.parse(list([bond]).toString()).plugins[0]).toEqual({
    type: 'bond', ifname: 'bond0', mode: 'balance-tlb', miimon: '50', links: [{ name: 'net1' }, { name: 'net2' }], linksInContainer: true,
    mtu: 9000, failOverMac: 1, allSlavesActive: 0, tlbDynamicLb: 1, xmitHashPolicy: 'layer3+4',
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] },
  });
});

test('round-trips through the parser', () => {
  const cfg = list([new BondPlugin({ mode: BondMode.IEEE_802_3AD, miimon: '100', links, linksInContainer: true, xmitHashPolicy: BondXmitHashPolicy.LAYER2_3 })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

test('fails without mode, miimon and links', () => {
  expect(() => new BondPlugin({} as any)).toThrow(/3 problems:[\s\S]*'mode' is required: got nothing; choose a bonding mode[\s\S]*'miimon' is required: got nothing; set the monitoring interval as a string[\s\S]*'links' is required: got nothing; list at least two links/);
});

test('fails on an unknown mode', () => {
  expect(() => new BondPlugin({ mode: 'lacp' as BondMode, miimon: '100', links })).toThrow(/'mode' must be one of "balance-rr", "active-backup", "balance-xor", "broadcast", "802\.3ad", "balance-tlb", "balance-alb": got "lacp"; use a BondMode value/);
});

test('fails on miimon as a JSON number, with the fix', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: 100 as unknown as string, links }))
    .toThrow(/'miimon' must be a string of digits, not a JSON number .*: got 100; write it as a JSON string: "100"/);
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bond', mode: 'active-backup', miimon: 100, links }] });
  expect(r.problems.map(formatProblem)).toEqual([expect.stringMatching(/^'plugins\[0\]\.miimon' must be a string of digits, not a JSON number/)]);
});

test('fails on miimon that is not digits', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100ms', links })).toThrow(/'miimon' must be a string of digits such as "100": got "100ms"/);
});

test('warns that miimon "0" turns link monitoring off', () => {
  expect(new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '0', links }).shapeProblems())
    .toEqual([expect.objectContaining({ field: 'miimon', severity: Severity.WARNING })]);
});

test('fails on fewer than two links', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links: [{ name: 'net1' }] })).toThrow(/'links' needs at least 2 items: got \[\{"name":"net1"\}\]/);
});

test('fails on a duplicate link', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links: [{ name: 'net1' }, { name: 'net1' }] }))
    .toThrow(/'links\[1\]\.name' names a link already in the bond: got "net1"; list each link once/);
});

test('fails on a link without a name', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links: [{ name: 'net1' }, {} as any] })).toThrow(/'links\[1\]\.name' is required: got nothing/);
});

test('fails on an MTU below 68', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links, mtu: 60 })).toThrow(/'mtu' must be an integer from 68 to 65535: got 60/);
});

test('fails on failOverMac, allSlavesActive and tlbDynamicLb out of range', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links, failOverMac: 3 })).toThrow(/'failOverMac' must be an integer from 0 to 2: got 3/);
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links, allSlavesActive: 2 })).toThrow(/'allSlavesActive' must be an integer from 0 to 1: got 2/);
  expect(() => new BondPlugin({ mode: BondMode.BALANCE_ALB, miimon: '100', links, tlbDynamicLb: 2 })).toThrow(/'tlbDynamicLb' must be an integer from 0 to 1: got 2/);
});

test('fails on tlbDynamicLb outside balance-tlb and balance-alb', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links, tlbDynamicLb: 0 }))
    .toThrow(/'tlbDynamicLb' only applies to balance-tlb and balance-alb, not active-backup: got 0; remove it/);
});

test('fails on an unknown xmitHashPolicy', () => {
  expect(() => new BondPlugin({ mode: BondMode.BALANCE_XOR, miimon: '100', links, xmitHashPolicy: 'layer4' as BondXmitHashPolicy }))
    .toThrow(/'xmitHashPolicy' must be one of "layer2", "layer3\+4", "layer2\+3", "encap2\+3", "encap3\+4", "vlan\+srcmac": got "layer4"/);
});

test('fails on ipam type bond', () => {
  expect(() => new BondPlugin({ mode: BondMode.ACTIVE_BACKUP, miimon: '100', links, ipam: new UncheckedIpam('bond', {}) }))
    .toThrow(/'ipam\.type' is not an IPAM \(bond-cni refuses it\): got "bond"; use an IPAM such as host-local/);
});

test('fails when chained after another interface plugin', () => {
  expect(() => list([minimal(), minimal()])).toThrow(/'plugins\[1\]\.type' creates an interface and must be first/);
});

test('gating: the 2025 keys need bond-cni master; the v1.0 tag only knows the old ones', () => {
  const newer = () => new BondPlugin({ mode: BondMode.BALANCE_XOR, miimon: '100', links, xmitHashPolicy: BondXmitHashPolicy.LAYER2 });
  expect(list([newer()], { profile: PluginsProfile.DEBIAN_1_1_1 }).plugins).toHaveLength(1);
  expect(list([newer()], { profile: PluginsProfile.UPSTREAM, cniVersion: CniVersion.V1_1_0 }).plugins).toHaveLength(1);
  const tag = PluginsProfile.custom({ name: 'bond-v1.0', cniPlugins: '1.1.1', bondCni: '1.0.0' });
  expect(() => list([newer()], { profile: tag, cniVersion: CniVersion.V0_3_1 }))
    .toThrow(new RegExp(`'plugins\\[0\\]\\.xmitHashPolicy' is not read by bond-cni 1\\.0\\.0, which would silently ignore it: got "layer2"; remove it, or target bond-cni ${BOND_CNI_MASTER.replace(/\./g, '\\.')} or later`));
  expect(list([minimal()], { profile: tag, cniVersion: CniVersion.V0_3_1 }).plugins).toHaveLength(1);
  expect(() => list([minimal()], { profile: tag })).toThrow(/'cniVersion' is newer than bond accepts .*: got "1\.0\.0"; declare cniVersion 0\.3\.1 or older/);
});
