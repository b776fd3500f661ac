import { Cidr, IpAddress } from '../../lib/addressing/ip';
import { Severity } from '../../lib/cni/problem';
import { hostAddressProblem } from '../../lib/multus/host-address';

const check = (ip: string, subnet: string) => hostAddressProblem(IpAddress.parse(ip), Cidr.parse(subnet));

describe('hostAddressProblem: one rule for baked and requested addresses', () => {
  test('IPv4 network and broadcast addresses are errors', () => {
    expect(check('10.1.0.0', '10.1.0.0/24')).toEqual({ message: 'is the network address of 10.1.0.0/24', fix: 'pick a host address', severity: Severity.ERROR });
    expect(check('10.1.0.255', '10.1.0.0/24')).toEqual({ message: 'is the broadcast address of 10.1.0.0/24', fix: 'pick a host address', severity: Severity.ERROR });
    expect(check('10.1.0.5', '10.1.0.0/24')).toBeUndefined();
  });

  test('/31 and /32 (and IPv6 /127, /128) have no such addresses', () => {
    expect(check('10.9.0.0', '10.9.0.0/31')).toBeUndefined();
    expect(check('10.9.0.1', '10.9.0.0/31')).toBeUndefined();
    expect(check('10.9.0.7', '10.9.0.7/32')).toBeUndefined();
    expect(check('fd00::', 'fd00::/127')).toBeUndefined();
  });

  test('the IPv6 subnet-router anycast address is a warning; IPv6 has no broadcast', () => {
    expect(check('fd00:1::', 'fd00:1::/64')).toEqual({ message: 'is the subnet-router anycast address of fd00:1::/64', fix: 'pick a host address (from fd00:1::1 on)', severity: Severity.WARNING });
    expect(check('fd00:1::ffff:ffff:ffff:ffff', 'fd00:1::/64')).toBeUndefined();
  });
});
