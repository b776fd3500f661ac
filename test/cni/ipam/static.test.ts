import {
  AddressingMode, CniCapability, CniConfig, CniVersion, MacvlanPlugin, PtpPlugin, StaticIpam, parseCniConfig,
} from '../../../lib';
import { poolCapacity } from '../../../lib/cni/ipam';
import { errorsOf, lintIpam, warningsOf } from './helpers';

describe('StaticIpam', () => {
  test('writes only what is given', () => {
    expect(StaticIpam.address('10.1.0.5/24').toJson()).toEqual({ type: 'static', addresses: [{ address: '10.1.0.5/24' }] });
    expect(new StaticIpam({
      dns: { nameservers: ['10.1.0.53'] },
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }],
      addresses: [{ gateway: '10.1.0.1', address: '10.1.0.5/24' }],
    }).toJson()).toEqual({
      type: 'static',
      addresses: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }],
      dns: { nameservers: ['10.1.0.53'] },
    });
  });

  test('round-trips through parseCniConfig inside a macvlan list', () => {
    const ipam = new StaticIpam({
      addresses: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }, { address: 'fd00:1::5/64', gateway: 'fd00:1::1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }, { dst: '::/0', gw: 'fd00:1::1' }],
    });
    const json = CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })], { name: 'net1' }).toJson();
    const back = parseCniConfig(JSON.stringify(json));
    expect(back.toJson()).toEqual(json);
    expect(back.main.ipam).toBeInstanceOf(StaticIpam);
    expect((back.main.ipam as StaticIpam).addresses).toEqual(ipam.addresses);
  });

  test('addressing lists the fixed addresses and no pool', () => {
    const a = StaticIpam.address('10.1.0.5/24', { gateway: '10.1.0.1' }).addressing();
    expect(a.mode).toBe(AddressingMode.STATIC);
    expect(a.pools).toEqual([]);
    expect(a.staticAddresses.map((s) => [s.address.toString(), s.gateway?.toString()])).toEqual([['10.1.0.5/24', '10.1.0.1']]);
    expect(poolCapacity(a)).toBeUndefined();
  });

  test('no addresses is fine when the plugin declares the ips capability', () => {
    const plugin = new MacvlanPlugin({ master: 'eth0', ipam: new StaticIpam(), capabilities: [CniCapability.IPS] });
    expect(plugin.toJson()).toEqual({ type: 'macvlan', master: 'eth0', ipam: { type: 'static' }, capabilities: { ips: true } });
    expect(new StaticIpam().needsAddressesFrom()).toBe(CniCapability.IPS);
    expect(StaticIpam.address('10.1.0.5/24').needsAddressesFrom()).toBeUndefined();
  });

  test('an IPv4 /31 and /32 may use every address', () => {
    expect(() => new StaticIpam({ addresses: [{ address: '10.1.0.0/31' }, { address: '10.2.0.1/31' }, { address: '10.3.0.0/32' }] })).not.toThrow();
  });

  // cni-plugins.md §4 case 73
  test('fails on an address without prefix length', () => {
    expect(() => StaticIpam.address('10.1.0.5')).toThrow(/'addresses\[0\]\.address' must be an address with its prefix length, such as 10\.1\.0\.5\/24: got "10\.1\.0\.5"; add the prefix length of the subnet, e\.g\. 10\.1\.0\.5\/24/);
  });

  // cni-plugins.md §4 case 74
  test('fails on a gateway that is not an address', () => {
    expect(() => StaticIpam.address('10.1.0.5/24', { gateway: 'abc' })).toThrow(/'addresses\[0\]\.gateway' must be an IP address: got "abc"/);
  });

  // cni-plugins.md §4 case 75
  test('fails on a gateway outside the prefix of every address', () => {
    expect(() => StaticIpam.address('10.1.0.5/24', { gateway: '192.168.9.1' }))
      .toThrow(/'addresses\[0\]\.gateway' is not inside the prefix of any address \(10\.1\.0\.0\/24\), so the route via it is unreachable: got "192\.168\.9\.1"; use a gateway inside the subnet/);
    // inside the prefix of another address of the list is reachable
    expect(() => new StaticIpam({ addresses: [{ address: '10.1.0.5/24' }, { address: '10.2.0.5/24', gateway: '10.1.0.1' }] })).not.toThrow();
  });

  test('fails on a gateway of the other family, or equal to an own address', () => {
    expect(() => StaticIpam.address('10.1.0.5/24', { gateway: 'fd00::1' })).toThrow(/'addresses\[0\]\.gateway' is not of the family of its address 10\.1\.0\.5\/24: got "fd00::1"/);
    expect(() => StaticIpam.address('10.1.0.5/24', { gateway: '10.1.0.5' })).toThrow(/'addresses\[0\]\.gateway' is one of the interface's own addresses: got "10\.1\.0\.5"/);
    expect(() => StaticIpam.address('10.1.0.5/24', { gateway: '10.1.0.255' })).toThrow(/'addresses\[0\]\.gateway' is the network or broadcast address of its subnet: got "10\.1\.0\.255"/);
  });

  test('fails on the network or broadcast address of the prefix', () => {
    expect(() => StaticIpam.address('10.1.0.0/24')).toThrow(/'addresses\[0\]\.address' is the network address of 10\.1\.0\.0\/24: got "10\.1\.0\.0\/24"; pick a host address/);
    expect(() => StaticIpam.address('10.1.0.255/24')).toThrow(/'addresses\[0\]\.address' is the broadcast address of 10\.1\.0\.0\/24: got "10\.1\.0\.255\/24"/);
  });

  test('warns on the IPv6 subnet-router anycast address', () => {
    const r = lintIpam({ type: 'static', addresses: [{ address: 'fd00::/64' }] });
    expect(warningsOf(r)).toContainEqual(expect.stringMatching(/^'plugins\[0\]\.ipam\.addresses\[0\]\.address' is the subnet-router anycast address of fd00::\/64: got "fd00::\/64"/));
  });

  test('fails on a duplicate address', () => {
    expect(() => new StaticIpam({ addresses: [{ address: '10.1.0.5/24' }, { address: '10.1.0.5/16' }] }))
      .toThrow(/'addresses\[1\]\.address' repeats the address of addresses\[0\]: got "10\.1\.0\.5\/16"; give each entry its own address/);
  });

  // cni-plugins.md §4 case 76
  test('no addresses and no ips capability is not a config problem: the topology checks each attachment (ips may arrive as CNI_ARGS IP=)', () => {
    expect(new MacvlanPlugin({ master: 'eth0', ipam: new StaticIpam() }).shapeProblems()).toEqual([]);
    expect(errorsOf(lintIpam({ type: 'static', addresses: [] }))).toEqual([]);
  });

  // cni-plugins.md §4 case 64
  test('fails on two IPv4 addresses with cniVersion 0.2.0', () => {
    const ipam = new StaticIpam({ addresses: [{ address: '10.1.0.5/24' }, { address: '10.1.0.6/24' }] });
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam }), { cniVersion: CniVersion.V0_2_0 }))
      .toThrow(/'ipam\.addresses' yields 2 IPv4 addresses per pod \(one per entry of addresses\), but cniVersion 0\.2\.0 allows one per family: got "0\.2\.0"/);
    expect(() => CniConfig.single(new MacvlanPlugin({ master: 'eth0', ipam }), { cniVersion: CniVersion.V0_4_0 })).not.toThrow();
  });

  // cni-plugins.md §4 case 81
  test('fails on IPAM dns under macvlan, and keeps it under ptp', () => {
    const r = lintIpam({ type: 'static', addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(errorsOf(r)).toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.dns' is dropped from the result by macvlan, which returns only its own top-level 'dns': got \{"nameservers":\["10\.1\.0\.53"\]\}; move it to the plugin's top-level 'dns'/)]);
    const ipam = new StaticIpam({ addresses: [{ address: '10.1.0.5/24' }], dns: { nameservers: ['10.1.0.53'] } });
    expect(() => CniConfig.list([new PtpPlugin({ ipam })])).not.toThrow();
  });

  test('fails on an unknown key when parsing', () => {
    expect(errorsOf(lintIpam({ type: 'static', address: '10.1.0.5/24' })))
      .toContainEqual(expect.stringMatching(/^'plugins\[0\]\.ipam\.address' is not a field of static IPAM .*; remove it; the known fields are 'addresses', 'routes', 'dns'/));
  });
});
