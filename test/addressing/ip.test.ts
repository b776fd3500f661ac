import { Cidr, IpAddress, IpFamily, IpRange } from '../../lib/addressing/ip';

describe('IpAddress', () => {
  test('parses IPv4 in four-part decimal only', () => {
    const a = IpAddress.parse('10.1.0.5');
    expect(a.family).toBe(IpFamily.IPV4);
    expect(a.bits).toBe(32);
    expect(a.value).toBe(0x0a010005n);
    expect(a.toString()).toBe('10.1.0.5');
    for (const bad of ['10.1', '10.1.0', '10.1.0.300', '10.1.0.5.6', '010.1.0.5', '0x0a.1.0.5', '10.1.0.5/24', ' 10.1.0.5', '', 'abc']) {
      expect(IpAddress.tryParse(bad)).toBeUndefined();
    }
  });

  // cni-plugins.md §4 case 65
  test('fails on 10.1.0.300 with the one error style', () => {
    expect(() => IpAddress.parse('10.1.0.300')).toThrow(/^'address' is not an IP address: got "10\.1\.0\.300"; write an IPv4 address such as/);
  });

  test('parses IPv6 and prints it compressed (RFC 5952)', () => {
    expect(IpAddress.parse('2001:0db8:0000:0000:0000:0000:0000:0001').toString()).toBe('2001:db8::1');
    expect(IpAddress.parse('FD00:0:0:1::A').toString()).toBe('fd00:0:0:1::a');
    expect(IpAddress.parse('2001:db8:0:0:1:0:0:1').toString()).toBe('2001:db8::1:0:0:1');
    expect(IpAddress.parse('::').toString()).toBe('::');
    expect(IpAddress.parse('fd00::1').family).toBe(IpFamily.IPV6);
    expect(IpAddress.parse('fd00::1').bits).toBe(128);
    for (const bad of ['fd00::1::2', 'fd00:::1', 'fe80::1%eth0', 'gggg::1', '1:2:3:4:5:6:7:8:9']) {
      expect(IpAddress.tryParse(bad)).toBeUndefined();
    }
  });

  test('compares, offsets and round-trips through bigint', () => {
    const a = IpAddress.parse('10.1.0.255');
    expect(a.plus(1n).toString()).toBe('10.1.1.0');
    expect(a.plus(-255n).toString()).toBe('10.1.0.0');
    expect(IpAddress.fromBigInt(IpFamily.IPV6, 1n).toString()).toBe('::1');
    expect(a.compare(IpAddress.parse('10.1.1.0'))).toBeLessThan(0);
    expect(IpAddress.parse('10.1.1.0').compare(a)).toBeGreaterThan(0);
    expect(a.compare(IpAddress.parse('10.1.0.255'))).toBe(0);
    expect(a.compare(IpAddress.parse('::1'))).toBeLessThan(0);
    expect(a.equals(IpAddress.parse('10.1.0.255'))).toBe(true);
    // same number, other family
    expect(IpAddress.parse('::a01:ff').equals(a)).toBe(false);
    expect(IpAddress.parse('224.0.0.1').isMulticast).toBe(true);
    expect(IpAddress.parse('ff02::1').isMulticast).toBe(true);
    expect(a.isMulticast).toBe(false);
  });
  test('IPv4 compares and keys by its 32-bit number, the extremes included; IPv6 by bigint', () => {
    const top = IpAddress.parse('255.255.255.255');
    const zero = IpAddress.parse('0.0.0.0');
    expect(top.key).toBe(0xffffffff);
    expect(zero.key).toBe(0);
    expect(top.value).toBe(0xffffffffn);
    expect(IpAddress.parse('128.0.0.1').key).toBe(0x80000001);
    expect(zero.compare(top)).toBeLessThan(0);
    expect(top.compare(zero)).toBeGreaterThan(0);
    expect(top.compare(IpAddress.parse('255.255.255.255'))).toBe(0);
    expect(top.equals(IpAddress.parse('255.255.255.254'))).toBe(false);
    expect(IpAddress.parse('fd00::1').key).toBe(0xfd000000000000000000000000000001n);
    // the number of an address and its bigint value agree (the map keys of the topology check)
    for (const t of ['10.1.0.5', '192.168.255.1', '172.16.0.0']) expect(BigInt(IpAddress.parse(t).key)).toBe(IpAddress.parse(t).value);
  });
});

describe('Cidr', () => {
  test('parses strictly', () => {
    for (const bad of ['10.1.0.0', '10.1.0.0/33', '10.1.0.0/', '10.1.0.0/x', '10.1.0.0/-1', '10.1/16', 'fd00::/129', '10.1.0.0/24/1']) {
      expect(Cidr.tryParse(bad)).toBeUndefined();
    }
    expect(() => Cidr.parse('10.1.0.0/33')).toThrow(/^'cidr' is not a prefix in CIDR notation: got "10\.1\.0\.0\/33"; write address\/length/);
  });

  test('keeps the address as written and knows its network', () => {
    const c = Cidr.parse('10.1.0.5/24');
    expect(c.toString()).toBe('10.1.0.5/24');
    expect(c.hasHostBits).toBe(true);
    expect(c.canonical.toString()).toBe('10.1.0.0/24');
    expect(c.network.toString()).toBe('10.1.0.0');
    expect(Cidr.parse('10.1.0.0/24').hasHostBits).toBe(false);
    expect(Cidr.parse('2001:0db8::0/64').toString()).toBe('2001:db8::/64');
    expect(c.nth(7n).toString()).toBe('10.1.0.7');
  });

  test.each([
    // prefix, network, last, broadcast, size, usable, firstHost, lastHost
    ['10.1.0.0/24', '10.1.0.0', '10.1.0.255', '10.1.0.255', 256n, 254n, '10.1.0.1', '10.1.0.254'],
    ['10.1.0.4/30', '10.1.0.4', '10.1.0.7', '10.1.0.7', 4n, 2n, '10.1.0.5', '10.1.0.6'],
    ['10.1.0.4/31', '10.1.0.4', '10.1.0.5', '10.1.0.5', 2n, 2n, '10.1.0.5', '10.1.0.4'],
    ['10.1.0.4/32', '10.1.0.4', '10.1.0.4', '10.1.0.4', 1n, 1n, '10.1.0.5', '10.1.0.3'],
    ['fd00:1::/64', 'fd00:1::', 'fd00:1::ffff:ffff:ffff:ffff', undefined, 1n << 64n, (1n << 64n) - 1n, 'fd00:1::1', 'fd00:1::ffff:ffff:ffff:ffff'],
    ['fd00:1::/127', 'fd00:1::', 'fd00:1::1', undefined, 2n, 2n, 'fd00:1::1', 'fd00:1::1'],
    ['fd00:1::5/128', 'fd00:1::5', 'fd00:1::5', undefined, 1n, 1n, 'fd00:1::6', 'fd00:1::5'],
  ])('%s: network %s, last %s, broadcast %s, size %s, usable %s', (text, network, last, broadcast, size, usable, firstHost, lastHost) => {
    const c = Cidr.parse(text as string);
    expect(c.network.toString()).toBe(network);
    expect(c.last.toString()).toBe(last);
    expect(c.broadcast?.toString()).toBe(broadcast);
    expect(c.size).toBe(size);
    expect(c.usableCount).toBe(usable);
    expect(c.firstHost.toString()).toBe(firstHost);
    expect(c.lastHost.toString()).toBe(lastHost);
  });

  test('contains addresses of its family only', () => {
    const c = Cidr.parse('10.1.0.0/24');
    expect(c.contains(IpAddress.parse('10.1.0.0'))).toBe(true);
    expect(c.contains(IpAddress.parse('10.1.0.255'))).toBe(true);
    expect(c.contains(IpAddress.parse('10.1.1.0'))).toBe(false);
    expect(c.contains(IpAddress.parse('::a01:5'))).toBe(false);
    // a written address with host bits contains by its network
    expect(Cidr.parse('10.1.0.77/24').contains(IpAddress.parse('10.1.0.3'))).toBe(true);
    expect(Cidr.parse('0.0.0.0/0').contains(IpAddress.parse('203.0.113.9'))).toBe(true);
    expect(Cidr.parse('fd00::/64').contains(IpAddress.parse('fd00::ffff'))).toBe(true);
    // IPv4 prefixes are tested in numbers: the extremes of the lengths and of the address space
    expect(Cidr.parse('0.0.0.0/0').contains(IpAddress.parse('255.255.255.255'))).toBe(true);
    expect(Cidr.parse('128.0.0.0/1').contains(IpAddress.parse('255.255.255.255'))).toBe(true);
    expect(Cidr.parse('128.0.0.0/1').contains(IpAddress.parse('127.255.255.255'))).toBe(false);
    expect(Cidr.parse('255.255.255.254/31').contains(IpAddress.parse('255.255.255.255'))).toBe(true);
    expect(Cidr.parse('255.255.255.254/31').contains(IpAddress.parse('255.255.255.253'))).toBe(false);
    expect(Cidr.parse('10.1.0.7/32').contains(IpAddress.parse('10.1.0.7'))).toBe(true);
    expect(Cidr.parse('10.1.0.7/32').contains(IpAddress.parse('10.1.0.6'))).toBe(false);
    expect(Cidr.parse('10.1.0.7/32').contains(IpAddress.parse('10.1.0.8'))).toBe(false);
    expect(Cidr.parse('fd00::/64').contains(IpAddress.parse('fd00:0:0:1::'))).toBe(false);
  });

  test('containsCidr and overlaps', () => {
    const big = Cidr.parse('10.1.0.0/16');
    const small = Cidr.parse('10.1.2.0/24');
    expect(big.containsCidr(small)).toBe(true);
    expect(small.containsCidr(big)).toBe(false);
    expect(big.overlaps(small)).toBe(true);
    expect(small.overlaps(big)).toBe(true);
    expect(Cidr.parse('10.1.0.0/25').overlaps(Cidr.parse('10.1.0.128/25'))).toBe(false);
    expect(Cidr.parse('10.1.0.0/24').overlaps(Cidr.parse('10.1.0.0/24'))).toBe(true);
    expect(Cidr.parse('0.0.0.0/0').overlaps(Cidr.parse('::/0'))).toBe(false);
    expect(Cidr.parse('fd00::/48').containsCidr(Cidr.parse('fd00:0:0:1::/64'))).toBe(true);
    expect(Cidr.parse('fd00::/48').containsCidr(Cidr.parse('fd00:0:1::/64'))).toBe(false);
    expect(Cidr.parse('fd00::/64').overlaps(Cidr.parse('fd00:0:0:1::/64'))).toBe(false);
  });
});

describe('IpRange', () => {
  test('size, contains and overlaps', () => {
    const r = new IpRange(IpAddress.parse('10.1.0.10'), IpAddress.parse('10.1.0.20'));
    expect(r.family).toBe(IpFamily.IPV4);
    expect(r.size).toBe(11n);
    expect(r.toString()).toBe('10.1.0.10-10.1.0.20');
    expect(r.contains(IpAddress.parse('10.1.0.10'))).toBe(true);
    expect(r.contains(IpAddress.parse('10.1.0.20'))).toBe(true);
    expect(r.contains(IpAddress.parse('10.1.0.21'))).toBe(false);
    expect(r.overlaps(new IpRange(IpAddress.parse('10.1.0.20'), IpAddress.parse('10.1.0.30')))).toBe(true);
    expect(r.overlaps(new IpRange(IpAddress.parse('10.1.0.21'), IpAddress.parse('10.1.0.30')))).toBe(false);
    expect(new IpRange(IpAddress.parse('10.1.0.20'), IpAddress.parse('10.1.0.10')).size).toBe(0n);
    expect(new IpRange(IpAddress.parse('fd00::'), IpAddress.parse('fd00::ffff')).size).toBe(65536n);
  });

  test('fails on mixed families', () => {
    expect(() => new IpRange(IpAddress.parse('10.1.0.1'), IpAddress.parse('fd00::1'))).toThrow(/^'range' mixes address families: got 10\.1\.0\.1-fd00::1; use two addresses of one family$/);
  });
});
