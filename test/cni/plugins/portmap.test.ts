import {
  CniCapability, CniConfig, CniPlugin, HostLocalIpam, MacvlanPlugin, PluginsProfile, PortMapping, PortProtocol, PortmapBackend, PortmapPlugin,
  Severity, formatProblem, parseCniConfig, portMappingProblems,
} from '../../../lib/cni';

const macvlan = () => new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') });
const list = (plugins: CniPlugin[], props: Parameters<typeof CniConfig.list>[1] = {}) => CniConfig.list(plugins, { name: 'net', ...props });
const caps = [CniCapability.PORT_MAPPINGS];

test('defaults: the capability only', () => {
  const pm = new PortmapPlugin({ capabilities: caps });
  expect(JSON.parse(list([macvlan(), pm]).toString()).plugins[1]).toEqual({ type: 'portmap', capabilities: { portMappings: true } });
  expect(pm.shapeProblems()).toEqual([]);
});

test('warns when the portMappings capability is not declared', () => {
  expect(new PortmapPlugin().shapeProblems()).toEqual([expect.objectContaining({ field: 'capabilities.portMappings', severity: Severity.WARNING })]);
});

test('custom: every field in table order', () => {
  const pm = new PortmapPlugin({
    capabilities: caps, backend: PortmapBackend.IPTABLES, snat: true, masqAll: true, markMasqBit: 14,
    conditionsV4: ['-s', '192.0.2.0/24'], conditionsV6: ['!', '-s', '2001:db8::/64'],
  });
  expect(JSON.parse(list([macvlan(), pm]).toString()).plugins[1]).toEqual({
    type: 'portmap', backend: 'iptables', snat: true, masqAll: true, markMasqBit: 14,
    conditionsV4: ['-s', '192.0.2.0/24'], conditionsV6: ['!', '-s', '2001:db8::/64'], capabilities: { portMappings: true },
  });
  expect(pm.backend).toBe(PortmapBackend.IPTABLES);
});

test('round-trips through the parser', () => {
  const cfg = list([macvlan(), new PortmapPlugin({ capabilities: caps, backend: PortmapBackend.NFTABLES, snat: false, conditionsV4: ['ip saddr 192.0.2.0/24'] })]);
  expect(parseCniConfig(cfg.toString()).toJson()).toEqual(cfg.toJson());
});

// cni-plugins.md §4 case 50
test('fails on a markMasqBit above 31', () => {
  expect(() => new PortmapPlugin({ markMasqBit: 40 })).toThrow(/'markMasqBit' must be an integer from 0 to 31: got 40/);
});

// cni-plugins.md §4 case 51
test('fails on markMasqBit together with externalSetMarkChain', () => {
  expect(() => new PortmapPlugin({ markMasqBit: 13, externalSetMarkChain: 'KUBE-MARK-MASQ' }))
    .toThrow(/'externalSetMarkChain' cannot be used with 'markMasqBit' .*: got "KUBE-MARK-MASQ"; remove one/);
});

test('fails on externalSetMarkChain with the nftables backend', () => {
  expect(() => new PortmapPlugin({ backend: PortmapBackend.NFTABLES, externalSetMarkChain: 'KUBE-MARK-MASQ' }))
    .toThrow(/'externalSetMarkChain' is iptables-specific, but the backend is nftables: got "KUBE-MARK-MASQ"/);
});

test('fails on conditions written for the other backend', () => {
  expect(() => new PortmapPlugin({ backend: PortmapBackend.NFTABLES, conditionsV4: ['-s', '192.0.2.0/24'] }))
    .toThrow(/'conditionsV4' are written for iptables, but the backend is nftables: got \["-s","192\.0\.2\.0\/24"\]; write nft expressions/);
  expect(() => new PortmapPlugin({ backend: PortmapBackend.IPTABLES, conditionsV6: ['ip6 saddr 2001:db8::/64'] }))
    .toThrow(/'conditionsV6' are written for nftables, but the backend is iptables: .*; write iptables arguments/);
});

test('fails on v4 and v6 conditions for different frameworks', () => {
  expect(() => new PortmapPlugin({ conditionsV4: ['-s', '192.0.2.0/24'], conditionsV6: ['ip6 saddr 2001:db8::/64'] }))
    .toThrow(/'conditionsV6' are written for nftables but 'conditionsV4' for iptables/);
});

test('fails on an unknown backend', () => {
  expect(() => new PortmapPlugin({ backend: 'ipvs' as PortmapBackend })).toThrow(/'backend' must be one of "iptables", "nftables": got "ipvs"; use a PortmapBackend value/);
});

test('fails on a snat string', () => {
  expect(() => new PortmapPlugin({ snat: 'false' as unknown as boolean })).toThrow(/'snat' must be true or false: got "false"/);
});

// cni-plugins.md §4 case 47
test('fails as the first plugin', () => {
  expect(() => list([new PortmapPlugin({ capabilities: caps })])).toThrow(/'plugins\[0\]\.type' must not be first: .*: got "portmap"/);
});

// cni-plugins.md §4 case 31
test('gating: backend needs 1.6.0 and masqAll 1.2.0', () => {
  expect(() => list([macvlan(), new PortmapPlugin({ capabilities: caps, backend: PortmapBackend.NFTABLES, masqAll: true })], { profile: PluginsProfile.DEBIAN_1_1_1 }))
    .toThrow(/'plugins\[1\]\.backend' is not read by containernetworking-plugins 1\.1\.1, .*target containernetworking-plugins 1\.6\.0 or later[\s\S]*'plugins\[1\]\.masqAll' is not read by containernetworking-plugins 1\.1\.1, .*target containernetworking-plugins 1\.2\.0 or later/);
  expect(list([macvlan(), new PortmapPlugin({ capabilities: caps, backend: PortmapBackend.NFTABLES, masqAll: true })], { profile: PluginsProfile.UPSTREAM }).plugins).toHaveLength(2);
});

test('ensureCapability declares portMappings on the portmap step', () => {
  const cfg = list([macvlan(), new PortmapPlugin()]);
  cfg.ensureCapability(CniCapability.PORT_MAPPINGS);
  expect(cfg.toJson().plugins).toEqual([expect.anything(), { type: 'portmap', capabilities: { portMappings: true } }]);
});

describe('portMappingProblems', () => {
  test('accepts a valid mapping', () => {
    expect(portMappingProblems({ hostPort: 8080, containerPort: 80, protocol: PortProtocol.TCP, hostIP: '192.0.2.10' }, 'portMappings[0]')).toEqual([]);
    expect(portMappingProblems({ hostPort: 65535, containerPort: 1, protocol: PortProtocol.SCTP }, 'p')).toEqual([]);
  });

  // cni-plugins.md §4 case 52
  test('fails on port 0 and above 65535', () => {
    const problems = portMappingProblems({ hostPort: 0, containerPort: 70000, protocol: PortProtocol.UDP }, 'portMappings[1]');
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^'portMappings\[1\]\.hostPort' must be a port number from 1 to 65535: got 0; write a port/),
      expect.stringMatching(/^'portMappings\[1\]\.containerPort' must be a port number from 1 to 65535: got 70000; write a port/),
    ]);
  });

  test('fails on an uppercase protocol and a bad hostIP', () => {
    const problems = portMappingProblems({ hostPort: 80, containerPort: 80, protocol: 'TCP' as PortProtocol, hostIP: 'node-1' }, 'm');
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^'m\.protocol' must be one of "tcp", "udp", "sctp": got "TCP"; use PortProtocol/),
      expect.stringMatching(/^'m\.hostIP' must be an IP address: got "node-1"/),
    ]);
  });

  test('fails on something that is not a mapping', () => {
    expect(portMappingProblems(null as unknown as PortMapping, 'm').map(formatProblem))
      .toEqual([expect.stringMatching(/^'m' must be a port mapping \{hostPort, containerPort, protocol\}: got null/)]);
  });
});
