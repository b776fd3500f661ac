import { MultiNetworkPolicyPeer } from '../../lib/policy/peer';

/** Peers of a MultiNetworkPolicy rule, checked when they are made. */

test('an ipBlock peer is written with its exceptions; any() is no peer at all', () => {
  expect(MultiNetworkPolicyPeer.ipBlock('10.6.0.0/24', ['10.6.0.128/25'])._toJson()).toEqual({ ipBlock: { cidr: '10.6.0.0/24', except: ['10.6.0.128/25'] } });
  expect(MultiNetworkPolicyPeer.anyIpv6()._toJson()).toEqual({ ipBlock: { cidr: '::/0', except: undefined } });
  expect(MultiNetworkPolicyPeer.any()._toJson()).toBeUndefined();
  expect(MultiNetworkPolicyPeer.any().isAny).toBe(true);
});

test('fails on a cidr that is not one', () => {
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.6.0.0')).toThrow(/'ipBlock.cidr' is not a prefix in CIDR notation: got "10.6.0.0"; write address\/length/);
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.6.0.0/33')).toThrow(/'ipBlock.cidr' is not a prefix/);
});

test('fails on a cidr with host bits set, naming the fix', () => {
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.6.0.5/24')).toThrow(/'ipBlock.cidr' has host bits set: got "10.6.0.5\/24"; use the network address 10.6.0.0\/24/);
  expect(() => MultiNetworkPolicyPeer.ipBlock('2001:db8::1/64')).toThrow(/use the network address 2001:db8::\/64/);
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.0.0.0/8', ['10.1.2.3/16'])).toThrow(/'ipBlock.except\[0\]' has host bits set: got "10.1.2.3\/16"; use the network address 10.1.0.0\/16/);
});

test('fails on an except outside the cidr, equal to it, or of another family', () => {
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.6.0.0/24', ['10.7.0.0/25'])).toThrow(/'ipBlock.except\[0\]' is not strictly inside the cidr 10.6.0.0\/24: got "10.7.0.0\/25"; list only prefixes longer than \/24/);
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.6.0.0/24', ['10.6.0.0/24'])).toThrow(/'ipBlock.except\[0\]' is not strictly inside/);
  expect(() => MultiNetworkPolicyPeer.ipBlock('10.6.0.0/24', ['2001:db8::/64'])).toThrow(/'ipBlock.except\[0\]' is not strictly inside/);
});

test('fails on a namespace peer without names or with a name that is none', () => {
  expect(() => MultiNetworkPolicyPeer.namespaceNamed()).toThrow(/'names' must not be empty: got \[\];/);
  expect(() => MultiNetworkPolicyPeer.namespaceNamed('Core')).toThrow(/'names\[0\]' is not a namespace name \(a DNS-1123 label\): got "Core";/);
});
