import { MultiNetworkPolicyPort, MultiNetworkPolicyProtocol } from '../../lib/policy/port';

/** Ports of a MultiNetworkPolicy: v1beta1 has no endPort, so a range is written one entry per port. */

test('a port defaults to TCP; a range becomes one entry per port; every port of a protocol has no number', () => {
  expect(MultiNetworkPolicyPort.of({ port: 80 }).protocol).toBe(MultiNetworkPolicyProtocol.TCP);
  expect(MultiNetworkPolicyPort.udpRange(2152, 2154)._toJson().map((p) => [p.protocol, p.port?.value])).toEqual([['UDP', 2152], ['UDP', 2153], ['UDP', 2154]]);
  expect(MultiNetworkPolicyPort.allSctp()._toJson()).toEqual([{ protocol: 'SCTP' }]);
});

test('fails on a port out of range', () => {
  expect(() => MultiNetworkPolicyPort.tcp(0)).toThrow(/'port' must be an integer from 1 to 65535: got 0; use a port number/);
  expect(() => MultiNetworkPolicyPort.udp(65536)).toThrow(/'port' must be an integer from 1 to 65535: got 65536;/);
  expect(() => MultiNetworkPolicyPort.sctp(80.5)).toThrow(/'port' must be an integer from 1 to 65535: got 80.5;/);
});

test('fails on an endPort below the port', () => {
  expect(() => MultiNetworkPolicyPort.tcpRange(2100, 2000)).toThrow(/'endPort' must be at least port 2100: got 2000; swap the bounds: tcpRange\(2000, 2100\)/);
});

test('fails on an endPort out of range or without a port', () => {
  expect(() => MultiNetworkPolicyPort.udpRange(2000, 70000)).toThrow(/'endPort' must be an integer from 1 to 65535: got 70000;/);
  expect(() => MultiNetworkPolicyPort.of({ endPort: 90 })).toThrow(/'endPort' needs a first port: got 90; set port as well/);
});

test('fails on a range too large to write out without endPort', () => {
  expect(MultiNetworkPolicyPort.tcpRange(1000, 1000 + MultiNetworkPolicyPort.MAX_RANGE_PORTS - 1).endPort).toBe(1063);
  expect(() => MultiNetworkPolicyPort.udpRange(10000, 20000)).toThrow(
    /'endPort' makes a range of 10001 ports, more than the 64 written out one by one \(MultiNetworkPolicy v1beta1 has no endPort\): got 20000; narrow the range/);
});

test('fails on a bad protocol', () => {
  expect(() => MultiNetworkPolicyPort.of({ protocol: 'ICMP' as MultiNetworkPolicyProtocol, port: 1 })).toThrow(/'protocol' must be one of "TCP", "UDP", "SCTP": got "ICMP";/);
});
