import {
  AddressingMode, CniConfig, CniVersion, MacvlanPlugin, PluginsProfile, WhereaboutsIpam, WhereaboutsLogLevel, parseCniConfig,
} from '../../../lib';
import { poolCapacity } from '../../../lib/cni/ipam';
import { parseWhereaboutsRange } from '../../../lib/cni/ipam/whereabouts';
import { errorsOf, lintIpam } from './helpers';

describe('WhereaboutsIpam', () => {
  test('writes only what is given, with the whereabouts key spelling', () => {
    expect(WhereaboutsIpam.range('10.1.0.0/24').toJson()).toEqual({ type: 'whereabouts', range: '10.1.0.0/24' });
    expect(new WhereaboutsIpam({
      logLevel: WhereaboutsLogLevel.DEBUG,
      range: '10.1.0.0/24',
      rangeStart: '10.1.0.10',
      rangeEnd: '10.1.0.99',
      exclude: ['10.1.0.32/28'],
      enableOverlappingRanges: false,
      networkName: 'tenant-a',
      nodeSliceSize: '/26',
      kubernetes: { kubeconfig: '/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig' },
      leaderLeaseDuration: 3000,
    }).toJson()).toEqual({
      type: 'whereabouts',
      range: '10.1.0.0/24',
      range_start: '10.1.0.10',
      range_end: '10.1.0.99',
      exclude: ['10.1.0.32/28'],
      kubernetes: { kubeconfig: '/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig' },
      enable_overlapping_ranges: false,
      network_name: 'tenant-a',
      node_slice_size: '/26',
      leader_lease_duration: 3000,
      log_level: 'debug',
    });
  });

  test('round-trips through parseCniConfig inside a macvlan list', () => {
    const ipam = new WhereaboutsIpam({
      ipRanges: [
        { range: '10.1.0.0/24', rangeStart: '10.1.0.10', exclude: ['10.1.0.100/30'] },
        { range: 'fd00:1::10-fd00:1::ff/64' },
      ],
      routes: [{ dst: '10.0.0.0/8', gw: '10.1.0.1' }],
      addresses: [{ address: '10.9.0.5/24' }],
      configurationPath: '/etc/cni/net.d/whereabouts.d/whereabouts.conf',
      reconcilerCronExpression: '30 4 * * *',
      logFile: '/var/log/whereabouts.log',
    });
    const json = CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })], { name: 'net1' }).toJson();
    expect(json.disableCheck).toBe(true);
    const back = parseCniConfig(JSON.stringify(json));
    expect(back.toJson()).toEqual(json);
    expect(back.main.ipam).toBeInstanceOf(WhereaboutsIpam);
    expect((back.main.ipam as WhereaboutsIpam).ipRanges).toEqual(ipam.ipRanges);
  });

  test('parses both range forms, masking host bits', () => {
    const cidr = parseWhereaboutsRange('10.1.0.77/24');
    expect(typeof cidr !== 'string' && [cidr.cidr.toString(), cidr.first]).toEqual(['10.1.0.0/24', undefined]);
    const dash = parseWhereaboutsRange('10.1.0.10-10.1.0.50/24');
    expect(typeof dash !== 'string' && [dash.cidr.toString(), dash.first?.toString(), dash.last?.toString()]).toEqual(['10.1.0.0/24', '10.1.0.10', '10.1.0.50']);
    expect(parseWhereaboutsRange('10.1.0.10-10.2.0.50/24')).toBe('starts outside its prefix 10.2.0.0/24');
    expect(parseWhereaboutsRange('bogus-10.1.0.50/24')).toBe('has an invalid range start address');
    expect(() => WhereaboutsIpam.range('10.1.0.77/24')).not.toThrow();
  });

  test('addressing is cluster-wide, skips network and last address, one set per range', () => {
    const a = new WhereaboutsIpam({
      range: '10.1.0.0/24', exclude: ['10.1.0.0/28'], gateway: '10.1.0.1',
      ipRanges: [{ range: '10.2.0.20-10.2.0.29/24' }],
      addresses: [{ address: '10.9.0.5/24', gateway: '10.9.0.1' }],
    }).addressing();
    expect(a.mode).toBe(AddressingMode.POOL);
    expect(a.clusterWide).toBe(true);
    expect(a.pools.map((p) => [p.subnet.toString(), p.start.toString(), p.end.toString(), p.gateway?.toString(), (p.exclude ?? []).map(String), p.set])).toEqual([
      ['10.1.0.0/24', '10.1.0.1', '10.1.0.254', '10.1.0.1', ['10.1.0.0/28'], 0],
      ['10.2.0.0/24', '10.2.0.20', '10.2.0.29', undefined, [], 1],
    ]);
    expect(a.staticAddresses.map((s) => s.address.toString())).toEqual(['10.9.0.5/24']);
    // set 0: 254 - 15 excluded (.1-.15); set 1: 10, the smallest set decides
    expect(poolCapacity(a)).toBe(10n);
    expect(poolCapacity(WhereaboutsIpam.range('10.1.0.0/24', { exclude: ['10.1.0.0/28'] }).addressing())).toBe(239n);
    // IPv6: whereabouts skips the last address too
    expect(poolCapacity(WhereaboutsIpam.range('fd00::/120').addressing())).toBe(254n);
  });

  test('fails without range or ipRanges', () => {
    expect(() => new WhereaboutsIpam({})).toThrow(/'range' is required unless 'ipRanges' is given: got nothing; write the pool/);
  });

  test('fails on an invalid range', () => {
    expect(() => WhereaboutsIpam.range('10.1.0.0/33')).toThrow(/'range' is not a CIDR or first-last\/prefix range: got "10\.1\.0\.0\/33"; write a range such as 10\.1\.0\.0\/24/);
    expect(() => WhereaboutsIpam.range('10.1.0.10-10.2.0.50/24')).toThrow(/'range' starts outside its prefix 10\.2\.0\.0\/24: got "10\.1\.0\.10-10\.2\.0\.50\/24"/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/31')).toThrow(/'range' has no address to hand out .*: got "10\.1\.0\.0\/31"; use a prefix of \/30 or shorter/);
  });

  test('fails on range_start outside the range, at its edges, or after range_end', () => {
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { rangeStart: '10.2.0.1' })).toThrow(/'range_start' is not in the range 10\.1\.0\.0\/24: got "10\.2\.0\.1"/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { rangeEnd: '10.1.0.255' })).toThrow(/'range_end' is the first or last address of 10\.1\.0\.0\/24, which whereabouts never hands out: got "10\.1\.0\.255"; pick an address from 10\.1\.0\.1 to 10\.1\.0\.254/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { rangeStart: '10.1.0.50', rangeEnd: '10.1.0.10' })).toThrow(/'range_start' is after the range end 10\.1\.0\.10: got "10\.1\.0\.50"; swap the bounds/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { rangeStart: 'bogus' })).toThrow(/'range_start' must be an IP address: got "bogus"/);
  });

  test('fails on bounds written twice (dash form and range_start)', () => {
    expect(() => WhereaboutsIpam.range('10.1.0.10-10.1.0.50/24', { rangeStart: '10.1.0.20' })).toThrow(/'range_start' repeats a bound already written in the range 10\.1\.0\.10-10\.1\.0\.50\/24: got "10\.1\.0\.20"/);
  });

  test('fails on exclude outside the range, or covering all of it', () => {
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { exclude: ['10.2.0.0/28'] })).toThrow(/'exclude\[0\]' is not inside the range 10\.1\.0\.0\/24: got "10\.2\.0\.0\/28"; exclude prefixes of 10\.1\.0\.0\/24 only/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { rangeStart: '10.1.0.10', rangeEnd: '10.1.0.12', exclude: ['10.1.0.8/29'] })).toThrow(/'exclude\[0\]' covers every address from 10\.1\.0\.10 to 10\.1\.0\.12/);
    expect(() => new WhereaboutsIpam({ ipRanges: [{ range: '10.1.0.0/24', exclude: ['10.3.0.0/24'] }] })).toThrow(/'ipRanges\[0\]\.exclude\[0\]' is not inside the range 10\.1\.0\.0\/24/);
  });

  test('fails on top-level exclude, range_start or range_end with ipRanges only (whereabouts drops them)', () => {
    expect(() => new WhereaboutsIpam({ ipRanges: [{ range: '10.1.0.0/24' }], exclude: ['10.1.0.0/28'] }))
      .toThrow(/'exclude' is only read together with 'range'; with 'ipRanges' alone whereabouts drops it silently: got \["10\.1\.0\.0\/28"\]; move it into the 'ipRanges' entry/);
    expect(() => new WhereaboutsIpam({ ipRanges: [{ range: '10.1.0.0/24' }], rangeStart: '10.1.0.10' })).toThrow(/'range_start' is only read together with 'range'/);
  });

  test('fails on overlapping ranges', () => {
    expect(() => new WhereaboutsIpam({ range: '10.1.0.0/24', ipRanges: [{ range: '10.1.0.128/25' }] }))
      .toThrow(/'ipRanges\[0\]\.range' overlaps range: got "10\.1\.0\.129-10\.1\.0\.254"/);
    expect(() => new WhereaboutsIpam({ range: '10.1.0.0/24', rangeEnd: '10.1.0.99', ipRanges: [{ range: '10.1.0.0/24', rangeStart: '10.1.0.100' }] })).not.toThrow();
  });

  test('fails on a gateway with dual-stack ranges (it is copied onto every address)', () => {
    expect(() => new WhereaboutsIpam({ ipRanges: [{ range: '10.1.0.0/24', rangeStart: '10.1.0.10' }, { range: 'fd00::/64' }], gateway: '10.1.0.1' }))
      .toThrow(/'gateway' is copied onto every allocated address, the IPv4 and the IPv6 one alike: got "10\.1\.0\.1"; remove it and add routes with an explicit 'gw' per family/);
  });

  test('fails on a gateway outside every range, or one the pool can hand out', () => {
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { gateway: '10.2.0.1' })).toThrow(/'gateway' is not inside any range \(10\.1\.0\.0\/24\), so the route via it is unreachable: got "10\.2\.0\.1"/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { gateway: '10.1.0.1' }))
      .toThrow(/'gateway' can be handed out to a pod: whereabouts does not skip the gateway of 10\.1\.0\.0\/24: got "10\.1\.0\.1"; add "10\.1\.0\.1\/32" to 'exclude', or start the range after it/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { gateway: '10.1.0.1', exclude: ['10.1.0.1/32'] })).not.toThrow();
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { gateway: '10.1.0.1', rangeStart: '10.1.0.10' })).not.toThrow();
  });

  test('fails on etcd keys with a fix (the etcd backend was removed)', () => {
    const r = lintIpam({ type: 'whereabouts', range: '10.1.0.0/24', etcd_host: 'https://etcd:2379', etcd_password: 's3cret' });
    const errors = errorsOf(r);
    expect(errors).toContainEqual(expect.stringMatching(/^'plugins\[0\]\.ipam\.etcd_host' belongs to the etcd backend, which whereabouts removed in 2022 .*: got "https:\/\/etcd:2379"; remove it; whereabouts finds the cluster through kubernetes\.kubeconfig/));
    expect(errors.join('\n')).not.toMatch(/s3cret/);
  });

  test('fails on a bad log_level, node_slice_size, network_name and leader timings', () => {
    expect(errorsOf(lintIpam({ type: 'whereabouts', range: '10.1.0.0/24', log_level: 'info' })))
      .toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.log_level' must be one of "debug", "verbose", "error", "panic": got "info"/)]);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { nodeSliceSize: '26' })).toThrow(/'node_slice_size' must be a string matching a prefix length such as "\/26": got "26"/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { nodeSliceSize: '/22' })).toThrow(/'node_slice_size' does not cut 10\.1\.0\.0\/24 into slices of usable size: got "\/22"; use a prefix length from \/25 to \/30/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { networkName: 'Tenant_A' })).toThrow(/'network_name' must be a string matching a lowercase DNS-1123 name/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { leaderRenewDeadline: 2000 })).toThrow(/'leader_renew_deadline' is not shorter than the lease duration 1500 ms: got 2000/);
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { leaderRetryPeriod: 900 })).toThrow(/'leader_retry_period' is too close to the renew deadline 1000 ms/);
  });

  test('fails on fixed addresses without prefix', () => {
    expect(() => WhereaboutsIpam.range('10.1.0.0/24', { addresses: [{ address: '10.9.0.5' }] })).toThrow(/'addresses\[0\]\.address' must be an address with its prefix length/);
  });

  // cni-plugins.md §4 case 64
  test('fails on two IPv4 ranges with cniVersion 0.2.0', () => {
    const ipam = new WhereaboutsIpam({ range: '10.1.0.0/24', ipRanges: [{ range: '10.2.0.0/24' }] });
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam }), { cniVersion: CniVersion.V0_2_0 }))
      .toThrow(/'ipam\.ipRanges' yields 2 IPv4 addresses per pod .*, but cniVersion 0\.2\.0 allows one per family/);
  });

  test('fails when whereabouts is not installed', () => {
    const profile = PluginsProfile.custom({ name: 'bare', cniPlugins: '1.1.1' });
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam: WhereaboutsIpam.range('10.1.0.0/24') })], { profile }))
      .toThrow(/'plugins\[0\]\.ipam\.type' is not installed on the nodes \(whereabouts not installed \(profile 'bare'\)\): got "whereabouts"/);
    expect(errorsOf(lintIpam({ type: 'whereabouts', range: '10.1.0.0/24' }, { profile: PluginsProfile.DEBIAN_1_1_1 }))).toEqual([]);
  });
});
