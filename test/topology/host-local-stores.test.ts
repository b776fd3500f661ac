import { Cidr, IpAddress } from '../../lib/addressing/ip';
import { lintObjects } from '../../lib/cli/lint';
import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { AddressPool, Ipam } from '../../lib/cni/ipam';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { WhereaboutsIpam } from '../../lib/cni/ipam/whereabouts';
import { BridgePlugin } from '../../lib/cni/plugins/bridge';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { HostLocalUse, hostLocalStore, sharedRangeConflicts } from '../../lib/topology/host-local-stores';
import { TopologyNetwork, checkTopology } from '../../lib/topology/topology';

/**
 * One L2 segment, two NAD configs, overlapping host-local ranges: host-local keeps its allocations
 * in `<dataDir>/<config name>` on each node, so two names (or two dataDirs) are two stores that
 * hand out the same address. An error of the whole-topology check (constructs and lint alike).
 */

const bridge = (name: string, ipam: Ipam, opts: { bridge?: string; configName?: string; namespace?: string; addressSpace?: string } = {}): TopologyNetwork => ({
  name,
  namespace: opts.namespace ?? 'core',
  config: CniConfig.list([new BridgePlugin({ bridge: opts.bridge ?? 'br-data', ipam })], opts.configName ? { name: opts.configName } : {}),
  path: `nads/${opts.namespace ?? 'core'}/${name}`,
  ...(opts.addressSpace ? { addressSpace: opts.addressSpace } : {}),
});

const errors = (networks: TopologyNetwork[]) => checkTopology({ networks, pods: [] }).filter((p) => p.severity === Severity.ERROR).map(formatProblem);

describe('host-local stores: one segment, two stores, one range', () => {
  test('two NADs on one bridge with overlapping ranges under two names: an error on the later one, in the house style', () => {
    const a = bridge('data', HostLocalIpam.subnet('10.1.0.0/24'));
    const b = bridge('data-copy', HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.100', rangeEnd: '10.1.0.200' }));
    expect(errors([a, b])).toEqual([
      "[nads/core/data-copy] 'ipam' overlaps the host-local range of core/data on the same segment (bridge br-data), but host-local keeps their allocations apart "
      + '(/var/lib/cni/networks/data-copy and /var/lib/cni/networks/data), so pods of the two get the same address on a node: got "10.1.0.100-10.1.0.200"; '
      + 'give both configs one CNI name (one store), disjoint ranges (rangeStart, rangeEnd), or a cluster-wide IPAM such as whereabouts',
    ]);
  });

  test('not raised where the store is shared: the same config name (per-namespace NADs of one network, or an explicit CNI name)', () => {
    const ipam = () => HostLocalIpam.subnet('10.1.0.0/24');
    // one name in two namespaces: one store on the node
    expect(errors([bridge('data', ipam(), { namespace: 'a' }), bridge('data', ipam(), { namespace: 'b' })])).toEqual([]);
    // two NAD names, one CNI name
    expect(errors([bridge('data', ipam(), { configName: 'lan' }), bridge('data-copy', ipam(), { configName: 'lan' })])).toEqual([]);
    // the default dataDir written out is the same store
    expect(errors([bridge('data', ipam()), bridge('x', HostLocalIpam.subnet('10.1.0.0/24', { dataDir: '/var/lib/cni/networks/' }), { configName: 'data' })])).toEqual([]);
  });

  test('a shared dataDir does not share the store: host-local joins the name to it', () => {
    const ipam = () => HostLocalIpam.subnet('10.1.0.0/24', { dataDir: '/run/ipam' });
    expect(errors([bridge('data', ipam()), bridge('data-copy', ipam())])).toEqual([
      expect.stringContaining('(/run/ipam/data-copy and /run/ipam/data)'),
    ]);
    // and one name under two dataDirs is two stores
    expect(errors([bridge('data', ipam()), bridge('data', HostLocalIpam.subnet('10.1.0.0/24'), { namespace: 'b' })])).toEqual([
      expect.stringContaining('(/var/lib/cni/networks/data and /run/ipam/data)'),
    ]);
  });

  test('not raised on different segments, disjoint ranges, another family, or an IPAM that is not host-local', () => {
    expect(errors([bridge('data', HostLocalIpam.subnet('10.1.0.0/24')), bridge('other', HostLocalIpam.subnet('10.1.0.0/24'), { bridge: 'br-other' })])).toEqual([]);
    expect(errors([
      bridge('low', HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.10', rangeEnd: '10.1.0.99' })),
      bridge('high', HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.100', rangeEnd: '10.1.0.199' })),
    ])).toEqual([]);
    expect(errors([bridge('v4', HostLocalIpam.subnet('10.1.0.0/24')), bridge('v6', HostLocalIpam.subnet('fd00:1::/64'))])).toEqual([]);
    expect(errors([bridge('data', HostLocalIpam.subnet('10.1.0.0/24')), bridge('wb', new WhereaboutsIpam({ range: '10.1.0.0/24' }))])).toEqual([]);
  });

  test('NADs of one address space (a logical network\'s copies) count as one segment, whatever their plugin says', () => {
    const vlan = (name: string) => ({ name, namespace: 'core', path: `nads/${name}`, addressSpace: 'core/N3',
      config: CniConfig.list([new MacvlanPlugin({ ipam: HostLocalIpam.subnet('10.3.0.0/24'), capabilities: [CniCapability.IPS] })]) });
    expect(errors([vlan('n3'), vlan('n3-upf')])).toEqual([expect.stringMatching(/^\[nads\/n3-upf\] 'ipam' overlaps the host-local range of core\/n3 on the same segment \(the address space core\/N3\)/)]);
    // named by the wire where the config names one
    const onBridge = (name: string) => ({ ...bridge(name, HostLocalIpam.subnet('10.3.0.0/24')), addressSpace: 'core/N3' });
    expect(errors([onBridge('n3'), onBridge('n3-upf')])).toEqual([expect.stringMatching(/on the same segment \(bridge br-data\), but/)]);
  });

  test('lint reads it the same way (a manifest NAD gets the error on its path)', () => {
    const nad = (name: string) => ({ file: 'nads.yaml', index: 0, object: {
      apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'core' },
      spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, plugins: [{ type: 'bridge', bridge: 'br-data', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] }) },
    } });
    const found = lintObjects([nad('data'), { ...nad('data-copy'), index: 1 }]).findings.filter((f) => f.severity === Severity.ERROR);
    expect(found.map((f) => [f.field, f.message.split(',')[0]])).toEqual([['ipam', 'overlaps the host-local range of core/data on the same segment (bridge br-data)']]);
  });
});

describe('hostLocalStore', () => {
  test('<dataDir>/<name>, the NAD\'s name when the config names none; undefined for another IPAM', () => {
    expect(hostLocalStore(CniConfig.list([new BridgePlugin({ ipam: HostLocalIpam.subnet('10.1.0.0/24') })]), 'data')).toBe('/var/lib/cni/networks/data');
    expect(hostLocalStore(CniConfig.list([new BridgePlugin({ ipam: HostLocalIpam.subnet('10.1.0.0/24', { dataDir: '/run/x//' }) })], { name: 'lan' }), 'data')).toBe('/run/x/lan');
    expect(hostLocalStore(CniConfig.list([new BridgePlugin({ ipam: new WhereaboutsIpam({ range: '10.1.0.0/24' }) })]), 'data')).toBeUndefined();
    expect(hostLocalStore(undefined, 'data')).toBeUndefined();
  });
});

describe('sharedRangeConflicts: a sweep, not pairs', () => {
  const pool = (start: string, end: string): AddressPool => ({ subnet: Cidr.parse('10.0.0.0/8'), start: IpAddress.parse(start), end: IpAddress.parse(end) });
  const use = (index: number, store: string, ...pools: AddressPool[]): HostLocalUse => ({ index, store, pools });

  test('finds an overlap hidden behind a longer span of the same store', () => {
    // store a reaches furthest; b's span overlaps c's only
    const uses = [use(0, 'a', pool('10.0.0.1', '10.0.9.255')), use(1, 'b', pool('10.0.1.0', '10.0.1.10')), use(2, 'b', pool('10.0.1.5', '10.0.1.6')), use(3, 'c', pool('10.0.1.8', '10.0.1.9'))];
    expect(sharedRangeConflicts(uses).map(([l, e]) => [l, e])).toEqual([[1, 0], [2, 0], [3, 0]]);
    const sameStore = [use(0, 'a', pool('10.0.0.1', '10.0.9.255')), use(1, 'a', pool('10.0.1.0', '10.0.1.10')), use(2, 'b', pool('10.0.1.5', '10.0.1.6'))];
    expect(sharedRangeConflicts(sameStore).map(([l, e]) => [l, e])).toEqual([[2, 0]]);
  });

  test('touching but not overlapping spans, and one store, give nothing', () => {
    expect(sharedRangeConflicts([use(0, 'a', pool('10.0.0.1', '10.0.0.9')), use(1, 'b', pool('10.0.0.10', '10.0.0.20'))])).toEqual([]);
    expect(sharedRangeConflicts([use(0, 'a', pool('10.0.0.1', '10.0.0.9')), use(1, 'a', pool('10.0.0.5', '10.0.0.20'))])).toEqual([]);
  });

  test('10,000 NADs of one segment, each its own /24: no conflict, in well under a second', () => {
    const uses = Array.from({ length: 10000 }, (_, i) => use(i, `s${i}`, pool(`10.${i >> 8}.${i & 255}.1`, `10.${i >> 8}.${i & 255}.254`)));
    const t = process.hrtime.bigint();
    expect(sharedRangeConflicts(uses)).toEqual([]);
    expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(1000);
    // one more, overlapping the last: exactly one conflict
    expect(sharedRangeConflicts([...uses, use(10000, 'x', pool('10.39.15.100', '10.39.15.100'))]).map(([l, e]) => [l, e])).toEqual([[10000, 9999]]);
  });
});
