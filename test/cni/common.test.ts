import { ALL_CAPABILITIES, Capability, CniCapability, DNS, NETWORK_NAME_RE, ROUTE, ROUTES } from '../../lib/cni/common';
import { CheckPhase, SHAPE } from '../../lib/cni/field';
import { FieldType } from '../../lib/cni/field';
import { ProblemSink, formatProblem } from '../../lib/cni/problem';
import { PluginProject, PluginsProfile } from '../../lib/cni/profile';

function check(type: FieldType, value: unknown, phase: CheckPhase = SHAPE): string[] {
  const sink = new ProblemSink();
  type.check(value, 'routes[0]', sink, phase);
  return sink.problems.map(formatProblem);
}

const DEBIAN: CheckPhase = { kind: 'profile', profile: PluginsProfile.DEBIAN_1_1_1, project: PluginProject.CNI_PLUGINS };
const UPSTREAM: CheckPhase = { kind: 'profile', profile: PluginsProfile.UPSTREAM, project: PluginProject.CNI_PLUGINS };

describe('ROUTE', () => {
  test('a route of one family is fine', () => {
    expect(check(ROUTE, { dst: '0.0.0.0/0', gw: '10.1.0.1' })).toEqual([]);
    expect(check(ROUTE, { dst: '::/0', gw: '2001:db8::1' })).toEqual([]);
    expect(check(ROUTE, { dst: '10.2.0.0/16' })).toEqual([]);
  });

  test('fails on a gateway of the other family', () => {
    expect(check(ROUTE, { dst: '0.0.0.0/0', gw: '2001:db8::1' })).toEqual([
      "'routes[0].gw' is not of the family of 'dst' 0.0.0.0/0: got \"2001:db8::1\"; use a gateway of the same address family as the destination",
    ]);
  });

  test('fails without dst, and on a bare address as dst', () => {
    expect(check(ROUTE, { gw: '10.1.0.1' })).toEqual(["'routes[0].dst' is required: got nothing; write the destination as a prefix such as 0.0.0.0/0"]);
    expect(check(ROUTE, { dst: '10.2.0.0' })).toEqual([expect.stringMatching(/^'routes\[0\]\.dst' must be a prefix in CIDR notation: got "10\.2\.0\.0"/)]);
  });

  test('the 1.6.0 keys are errors on the Debian profile, fine upstream', () => {
    const route = { dst: '0.0.0.0/0', mtu: 1400, advmss: 1360, priority: 10, table: 100, scope: 0 };
    expect(check(ROUTE, route)).toEqual([]);
    expect(check(ROUTE, route, UPSTREAM)).toEqual([]);
    const out = check(ROUTE, route, DEBIAN);
    expect(out).toHaveLength(5);
    expect(out[0]).toBe("'routes[0].mtu' is not read by containernetworking-plugins 1.1.1, which would silently ignore it: got 1400; remove it, or target containernetworking-plugins 1.6.0 or later in the plugins profile");
    expect(out.map((l) => l.match(/^'routes\[0\]\.(\w+)'/)![1])).toEqual(['mtu', 'advmss', 'priority', 'table', 'scope']);
    expect(check(ROUTE, { dst: '0.0.0.0/0', gw: '10.0.0.1' }, DEBIAN)).toEqual([]);
  });

  test('route key ranges', () => {
    expect(check(ROUTE, { dst: '0.0.0.0/0', mtu: 67 })).toEqual([expect.stringMatching(/^'routes\[0\]\.mtu' must be an integer from 68 to 65535: got 67/)]);
    expect(check(ROUTE, { dst: '0.0.0.0/0', scope: 256 })).toEqual([expect.stringMatching(/^'routes\[0\]\.scope' must be an integer from 0 to 255: got 256/)]);
  });

  test('ROUTES checks each route under its index', () => {
    const sink = new ProblemSink('ipam');
    ROUTES.check([{ dst: '0.0.0.0/0' }, { dst: '::/0', gw: '10.0.0.1' }], 'routes', sink, SHAPE);
    expect(sink.problems.map((p) => p.field)).toEqual(['ipam.routes[1].gw']);
  });
});

describe('DNS', () => {
  test('a full DNS block is fine and written as given', () => {
    const dns = { nameservers: ['10.0.0.53', '2001:db8::53'], domain: 'example.net', search: ['example.net'], options: ['ndots:2'] };
    const sink = new ProblemSink();
    DNS.check(dns, 'dns', sink, SHAPE);
    expect(sink.problems).toEqual([]);
    expect(DNS.toJson(dns)).toEqual(dns);
  });

  test('fails on a name server that is not an address, and on unknown keys when read', () => {
    const sink = new ProblemSink();
    DNS.check({ nameservers: ['ns1.example.net'] }, 'dns', sink, SHAPE);
    expect(sink.problems.map(formatProblem)).toEqual([expect.stringMatching(/^'dns\.nameservers\[0\]' must be an IP address: got "ns1\.example\.net"/)]);
    const read = new ProblemSink();
    DNS.fromJson({ nameserver: ['10.0.0.53'] }, 'dns', read);
    expect(read.problems.map(formatProblem)).toEqual([expect.stringMatching(/^'dns\.nameserver' is not a field of a DNS object .*: got \["10\.0\.0\.53"\]; remove it; the known fields are 'nameservers', 'domain', 'search', 'options'$/)]);
  });

  test('fails on a DNS that is not an object', () => {
    const sink = new ProblemSink();
    DNS.check(['10.0.0.53'], 'dns', sink, SHAPE);
    expect(sink.problems.map(formatProblem)).toEqual([expect.stringMatching(/^'dns' must be a DNS object \{nameservers, domain, search, options\}: got \["10\.0\.0\.53"\]; write a JSON object$/)]);
  });
});

describe('capabilities and names', () => {
  test('the capabilities and their wire names, in a fixed order', () => {
    expect(ALL_CAPABILITIES).toEqual(['ips', 'mac', 'portMappings', 'bandwidth', 'infinibandGUID', 'deviceID', 'ipRanges']);
    expect(CniCapability.DEVICE_ID).toBe('deviceID');
  });

  test('NETWORK_NAME_RE follows libcni', () => {
    expect(NETWORK_NAME_RE.test('lan_01.a-b')).toBe(true);
    expect(NETWORK_NAME_RE.test('Lan01')).toBe(true);
    expect(NETWORK_NAME_RE.test('-lan')).toBe(false);
    expect(NETWORK_NAME_RE.test('lan 01')).toBe(false);
    expect(NETWORK_NAME_RE.test('')).toBe(false);
  });
});

describe('CniCapability', () => {
  test('is the CNI capability enum; the deprecated Capability is the same object, so old code keeps working', () => {
    expect(CniCapability.MAC).toBe('mac');
    expect(ALL_CAPABILITIES).toEqual(['ips', 'mac', 'portMappings', 'bandwidth', 'infinibandGUID', 'deviceID', 'ipRanges']);
     
    expect(Capability).toBe(CniCapability);
  });

  test('the public entry point exports CniCapability, which does not clash with cdk8s-plus Capability', () => {
    const api = require('../../lib');
    const plus = require('cdk8s-plus-27');
    expect(api.CniCapability).toBe(CniCapability);
    expect(plus.Capability).not.toBe(api.CniCapability);
    expect(plus.Capability.NET_ADMIN).toBe('CAP_NET_ADMIN');
  });
});
