import {
  AddressingMode, Cidr, CniConfig, IpAddress, CniVersion, HostLocalIpam, IpamAddressing, MacvlanPlugin, PluginsProfile, parseCniConfig,
} from '../../../lib';
import { poolCapacity } from '../../../lib/cni/ipam';
import { errorsOf, lintIpam, warningsOf } from './helpers';

describe('HostLocalIpam', () => {
  test('writes only what is given, in table order', () => {
    expect(HostLocalIpam.subnet('10.1.0.0/24').toJson()).toEqual({ type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] });
    const full = new HostLocalIpam({
      resolvConf: '/etc/resolv.conf',
      dataDir: '/var/lib/cni/nfv',
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }],
      ranges: [[{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.10', rangeEnd: '10.1.0.20', gateway: '10.1.0.1' }], [{ subnet: 'fd00:1::/64' }]],
    });
    expect(Object.keys(full.toJson())).toEqual(['type', 'ranges', 'routes', 'dataDir', 'resolvConf']);
  });

  test('round-trips through parseCniConfig inside a macvlan list', () => {
    const ipam = new HostLocalIpam({
      ranges: [
        [{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.10', rangeEnd: '10.1.0.20', gateway: '10.1.0.1' }, { subnet: '10.2.0.0/24' }],
        [{ subnet: 'fd00:1::/64', gateway: 'fd00:1::1' }],
      ],
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }],
      dataDir: '/var/lib/cni/nfv',
    });
    const json = CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })], { name: 'net1' }).toJson();
    const back = parseCniConfig(JSON.stringify(json));
    expect(back.toJson()).toEqual(json);
    expect(back.main.ipam).toBeInstanceOf(HostLocalIpam);
    expect((back.main.ipam as HostLocalIpam).ranges).toEqual(ipam.ranges);
  });

  test('addressing gives one pool per range, grouped by set, node-local', () => {
    const a = new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: '10.2.0.0/24', rangeStart: '10.2.0.100' }], [{ subnet: 'fd00::/120' }]] }).addressing();
    expect(a.mode).toBe(AddressingMode.POOL);
    expect(a.clusterWide).toBe(false);
    expect(a.pools.map((p) => [p.subnet.toString(), p.start.toString(), p.end.toString(), p.gateway?.toString(), p.set])).toEqual([
      ['10.1.0.0/24', '10.1.0.1', '10.1.0.254', '10.1.0.1', 0],
      ['10.2.0.0/24', '10.2.0.100', '10.2.0.254', '10.2.0.1', 0],
      ['fd00::/120', 'fd00::1', 'fd00::ff', 'fd00::1', 1],
    ]);
  });

  test('poolCapacity counts addresses per set and takes the smallest set', () => {
    // .2 to .254 (the gateway .1 is skipped)
    expect(poolCapacity(HostLocalIpam.subnet('10.1.0.0/24').addressing())).toBe(253n);
    // two ranges of one set add up; the IPv6 set has 255 - 1 (gateway) = 254
    const dual = new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: '10.2.0.0/24', rangeStart: '10.2.0.250' }], [{ subnet: 'fd00::/120' }]] });
    expect(poolCapacity(dual.addressing())).toBe(254n);
    // a gateway outside rangeStart..rangeEnd takes nothing away
    expect(poolCapacity(HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.10', rangeEnd: '10.1.0.19' }).addressing())).toBe(10n);
  });

  // cni-plugins.md §4 case 70
  test('poolCapacity of a /30 is one pod: the gateway takes one of the two hosts', () => {
    expect(poolCapacity(HostLocalIpam.subnet('10.1.0.0/30').addressing())).toBe(1n);
  });

  test('poolCapacity skips excludes, overlapping excludes once, and network/broadcast', () => {
    const subnet = Cidr.parse('10.1.0.0/24');
    const a: IpamAddressing = {
      mode: AddressingMode.POOL,
      pools: [{ subnet, start: subnet.network, end: subnet.last, gateway: IpAddress.parse('10.1.0.1'), exclude: [Cidr.parse('10.1.0.0/28'), Cidr.parse('10.1.0.8/29')] }],
      staticAddresses: [],
      routes: [],
      clusterWide: false,
    };
    // 254 hosts minus .1-.15 (the gateway .1 lies inside the excluded /28)
    expect(poolCapacity(a)).toBe(239n);
    expect(poolCapacity({ ...a, mode: AddressingMode.STATIC })).toBeUndefined();
    expect(poolCapacity({ ...a, mode: AddressingMode.DHCP })).toBeUndefined();
  });

  test('two sets may share a subnet when their spans are disjoint (host-local compares spans)', () => {
    const r = lintIpam({ type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24', rangeEnd: '10.1.0.99' }], [{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.100' }]] });
    expect(errorsOf(r)).toEqual([]);
  });

  // cni-plugins.md §4 case 55
  test('fails on a prefix length beyond 32', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/33')).toThrow(/'ranges\[0\]\[0\]\.subnet' must be a prefix in CIDR notation: got "10\.1\.0\.0\/33"; write address\/length/);
  });

  // cni-plugins.md §4 case 56
  test('fails on a subnet with host bits set, naming the network address', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.5/24')).toThrow(/'ranges\[0\]\[0\]\.subnet' has host bits set: got "10\.1\.0\.5\/24"; use the network address 10\.1\.0\.0\/24/);
  });

  // cni-plugins.md §4 case 57
  test('fails on subnets too small to allocate from (/31, /32, /127, /128)', () => {
    for (const s of ['10.1.0.0/31', '10.1.0.0/32']) {
      expect(() => HostLocalIpam.subnet(s)).toThrow(/'ranges\[0\]\[0\]\.subnet' is too small to allocate from: got "10\.1\.0\.0\/3[12]"; use a prefix of \/30 or shorter/);
    }
    for (const s of ['fd00::/127', 'fd00::/128']) {
      expect(() => HostLocalIpam.subnet(s)).toThrow(/is too small to allocate from: .*; use a prefix of \/126 or shorter/);
    }
  });

  // cni-plugins.md §4 case 58
  test('fails on rangeStart outside the subnet', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.2.0.10' })).toThrow(/'ranges\[0\]\[0\]\.rangeStart' is not in the subnet 10\.1\.0\.0\/24: got "10\.2\.0\.10"; pick an address inside/);
  });

  // cni-plugins.md §4 case 58
  test('fails on rangeStart after rangeEnd', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.200', rangeEnd: '10.1.0.100' })).toThrow(/'ranges\[0\]\[0\]\.rangeStart' is after rangeEnd 10\.1\.0\.100: got "10\.1\.0\.200"; swap them/);
  });

  // cni-plugins.md §4 case 59
  test('fails without ranges', () => {
    expect(errorsOf(lintIpam({ type: 'host-local' }))).toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.ranges' is required: got nothing; add at least one range set/)]);
    expect(() => new HostLocalIpam({ ranges: [] })).toThrow(/'ranges' needs at least 1 item: got \[\]/);
  });

  // cni-plugins.md §4 case 60
  test('fails on an empty range set', () => {
    expect(() => new HostLocalIpam({ ranges: [[]] })).toThrow(/'ranges\[0\]' is an empty range set: got \[\]; add at least one range/);
  });

  // cni-plugins.md §4 case 61
  test('fails on overlapping range sets', () => {
    expect(() => new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.1.0.0/25' }]] }))
      .toThrow(/'ranges\[1\]' overlaps range set 0: got \["10\.1\.0\.0\/25"\]; give each range set its own subnet/);
  });

  // cni-plugins.md §4 case 62
  test('fails on overlapping ranges inside a set', () => {
    expect(() => new HostLocalIpam({ ranges: [[
      { subnet: '10.1.0.0/24', rangeStart: '10.1.0.10', rangeEnd: '10.1.0.20' },
      { subnet: '10.1.0.0/24', rangeStart: '10.1.0.15', rangeEnd: '10.1.0.30' },
    ]] })).toThrow(/'ranges\[0\]\[1\]' overlaps range 0 of the same set: got "10\.1\.0\.15-10\.1\.0\.30"; make the ranges of a set disjoint/);
  });

  // cni-plugins.md §4 case 63
  test('fails on IPv4 and IPv6 in one set', () => {
    expect(() => new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: 'fd00::/64' }]] }))
      .toThrow(/'ranges\[0\]' mixes address families: got \["10\.1\.0\.0\/24","fd00::\/64"\]; put IPv4 and IPv6 ranges in separate sets/);
  });

  // cni-plugins.md §4 case 64
  test('fails on two IPv4 range sets with cniVersion 0.2.0', () => {
    const ipam = new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.2.0.0/24' }]] });
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam }), { cniVersion: CniVersion.V0_2_0 }))
      .toThrow(/'ipam\.ranges' yields 2 IPv4 addresses per pod \(one per range set\), but cniVersion 0\.2\.0 allows one per family: got "0\.2\.0"; declare cniVersion 0\.3\.1 or newer/);
    // dual stack is one address per family: fine at 0.2.0
    const dual = new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: 'fd00::/64' }]] });
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam: dual }), { cniVersion: CniVersion.V0_2_0 })).not.toThrow();
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam }), { cniVersion: CniVersion.V0_3_1 })).not.toThrow();
  });

  // cni-plugins.md §4 case 65
  test('fails on an invalid rangeStart address', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.300' })).toThrow(/'ranges\[0\]\[0\]\.rangeStart' must be an IP address: got "10\.1\.0\.300"/);
  });

  // cni-plugins.md §4 case 66
  test('fails on a route whose dst is a bare address', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { routes: [{ dst: '0.0.0.0' }] })).toThrow(/'routes\[0\]\.dst' must be a prefix in CIDR notation: got "0\.0\.0\.0"/);
  });

  // cni-plugins.md §4 case 67
  test('fails on a gateway outside the subnet', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { gateway: '172.16.0.1' })).toThrow(/'ranges\[0\]\[0\]\.gateway' is not in the subnet 10\.1\.0\.0\/24: got "172\.16\.0\.1"; pick an address inside/);
  });

  // cni-plugins.md §4 case 68
  test('fails on rangeEnd at the broadcast address and rangeStart at the network address', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { rangeEnd: '10.1.0.255' })).toThrow(/'ranges\[0\]\[0\]\.rangeEnd' is the broadcast address of the subnet: got "10\.1\.0\.255"; pick an address up to 10\.1\.0\.254/);
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.0' })).toThrow(/'ranges\[0\]\[0\]\.rangeStart' is the network address of the subnet: got "10\.1\.0\.0"/);
  });

  // cni-plugins.md §4 case 69
  test('fails on a range holding only the gateway', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.254', rangeEnd: '10.1.0.254', gateway: '10.1.0.254' }))
      .toThrow(/'ranges\[0\]\[0\]' has no address to hand out \(only the gateway\): .*; widen the range beyond the gateway address/);
  });

  // cni-plugins.md §4 case 71
  test('warns that resolvConf must exist on every node', () => {
    const r = lintIpam({ type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]], resolvConf: '/etc/resolv.conf' }, { extra: { type: 'ptp' } });
    expect(warningsOf(r)).toContainEqual(expect.stringMatching(/^'plugins\[0\]\.ipam\.resolvConf' is read on the node at every ADD, which fails when the file is missing there: got "\/etc\/resolv\.conf"; make sure the file exists/));
  });

  // cni-plugins.md §4 case 81
  test('fails on resolvConf under macvlan, which drops IPAM DNS', () => {
    const r = lintIpam({ type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]], resolvConf: '/etc/resolv.conf' });
    expect(errorsOf(r)).toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.resolvConf' is dropped from the result by macvlan, which returns only its own top-level 'dns': got "\/etc\/resolv\.conf"; remove it/)]);
  });

  test('fails on dataDir that is not absolute, and on unknown keys when parsing', () => {
    expect(() => HostLocalIpam.subnet('10.1.0.0/24', { dataDir: 'var/lib' })).toThrow(/'dataDir' must be a string matching an absolute path: got "var\/lib"/);
    expect(errorsOf(lintIpam({ type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]], DataDir: '/x' })))
      .toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.DataDir' is not a field of host-local IPAM .*; write it as 'dataDir'/)]);
  });

  test('host-local is installed on the Debian profile', () => {
    expect(errorsOf(lintIpam({ type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] }, { profile: PluginsProfile.DEBIAN_1_1_1 }))).toEqual([]);
  });
});

describe('legacy top-level range', () => {
  test('a top-level subnet is read as range set 0, before ranges, and round-trips', () => {
    const json = {
      cniVersion: '1.0.0', name: 'legacy',
      plugins: [{ type: 'macvlan', master: 'eth1', ipam: { type: 'host-local', subnet: '10.9.0.0/24', rangeStart: '10.9.0.10', rangeEnd: '10.9.0.20', gateway: '10.9.0.1' } }],
    };
    const cfg = parseCniConfig(JSON.stringify(json));
    expect(cfg.toJson()).toEqual(json);
    const ipam = cfg.main.ipam as HostLocalIpam;
    expect(ipam.ranges).toEqual([[{ subnet: '10.9.0.0/24', rangeStart: '10.9.0.10', rangeEnd: '10.9.0.20', gateway: '10.9.0.1' }]]);
    expect(ipam.addressing().pools.map((p) => `${p.start}-${p.end}`)).toEqual(['10.9.0.10-10.9.0.20']);
  });

  test('fails on a legacy subnet with host bits, naming the top-level field', () => {
    expect(() => new HostLocalIpam({ subnet: '10.9.0.5/24' })).toThrow(/'subnet' has host bits set: got "10.9.0.5\/24"; use the network address 10.9.0.0\/24/);
  });

  test('fails on legacy rangeStart without a top-level subnet', () => {
    expect(() => new HostLocalIpam({ rangeStart: '10.9.0.10', ranges: [[{ subnet: '10.9.0.0/24' }]] })).toThrow(/'rangeStart' is a legacy top-level key that host-local reads only with a top-level 'subnet'/);
  });

  test('fails with neither subnet nor ranges', () => {
    expect(() => new HostLocalIpam({})).toThrow(/'ranges' is required: got nothing; add at least one range set/);
  });
});
