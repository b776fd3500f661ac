import { Cidr, IpAddress, IpFamily, IpRange, isCidrText, isIpAddressText } from '../../lib/addressing/ip';

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

describe('validity without parsing', () => {
  // the texts the parsers must agree on: well-formed, malformed, and the edges of each form
  const ADDRESSES = [
    '10.1.0.5', '0.0.0.0', '255.255.255.255', '10.1.0.256', '010.1.0.5', '00.1.2.3', '1.2.3', '1.2.3.4.5', '0x0a.1.0.5', ' 10.1.0.5',
    '10.1.0.5 ', '10.1.0.5\n', '', 'abc', '99999.1.1.1', '1..2.3', 'fd00::1', '::', '::1', '2001:db8::1:0:0:1', 'fd00::1::2', 'fe80::1%eth0',
    '::ffff:10.1.0.5', 'gggg::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', 'FD00:0:0:1::A', '10.1.0.5/24',
  ];
  const PREFIXES = [
    ...ADDRESSES.map((a) => `${a}/24`), '10.1.0.0/0', '10.1.0.0/32', '10.1.0.0/33', '10.1.0.0/', '10.1.0.0/-1', '10.1.0.0/024', '10.1.0.0/1000',
    'fd00::/64', 'fd00::/128', 'fd00::/129', 'fd00::/1e2', '10.1.0.0/24/8', '/24', '10.1.0.0 /24',
  ];

  test('isIpAddressText agrees with IpAddress.tryParse', () => {
    for (const t of [...ADDRESSES, ...PREFIXES]) expect([t, isIpAddressText(t)]).toEqual([t, IpAddress.tryParse(t) !== undefined]);
    expect(isIpAddressText(undefined)).toBe(false);
    expect(isIpAddressText(17)).toBe(false);
  });

  test('isCidrText agrees with Cidr.tryParse', () => {
    for (const t of [...ADDRESSES, ...PREFIXES]) expect([t, isCidrText(t)]).toEqual([t, Cidr.tryParse(t) !== undefined]);
    expect(isCidrText(['10.1.0.0/24'])).toBe(false);
  });

  test('both agree with the parsers on random dotted and colon texts', () => {
    // a fixed seed: the same texts on every run
    let seed = 42;
    const rand = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
    };
    const octets = ['0', '1', '9', '10', '25', '255', '7', '42', '200', '256', '300', '01', '00', 'a', '', '1e2', '-1'];
    const groups = ['0', '1', 'ff', 'fd00', 'db8', 'ffff', '12345', 'g', '', '10.1.0.5'];
    const prefixes = ['0', '1', '8', '24', '32', '33', '64', '128', '129', '024', '', 'x'];
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)];
    let valid = { addresses: 0, prefixes: 0 };
    for (let i = 0; i < 4000; i++) {
      const parts = rand(3) === 0 ? 3 + rand(3) : 4;
      let t = rand(2) === 0
        ? Array.from({ length: parts }, () => pick(octets)).join('.')
        : Array.from({ length: parts + rand(5) }, () => pick(groups)).join(rand(4) === 0 ? '::' : ':');
      if (rand(2) === 0) t += `/${pick(prefixes)}`;
      const address = IpAddress.tryParse(t) !== undefined;
      const prefix = Cidr.tryParse(t) !== undefined;
      expect([t, isIpAddressText(t)]).toEqual([t, address]);
      expect([t, isCidrText(t)]).toEqual([t, prefix]);
      valid = { addresses: valid.addresses + (address ? 1 : 0), prefixes: valid.prefixes + (prefix ? 1 : 0) };
    }
    // the texts reach both sides of each check
    expect(valid.addresses).toBeGreaterThan(30);
    expect(valid.prefixes).toBeGreaterThan(30);
  });
});
