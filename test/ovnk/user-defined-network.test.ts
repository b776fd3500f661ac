import { formatProblem } from '../../lib/cni/problem';
import { udnNetworkSpecProblems, udnObjectProblems } from '../../lib/ovnk/user-defined-network';

const lines = (ps: ReturnType<typeof udnNetworkSpecProblems>) => ps.map(formatProblem);
const cluster = { clusterScoped: true };

describe('UDN rules on the network spec', () => {
  test('well-formed Layer2, Layer3 and Localnet specs have no problem', () => {
    expect(udnNetworkSpecProblems({ topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.4.0.0/24', 'fd00:4::/64'], mtu: 1400 } }, cluster)).toEqual([]);
    expect(udnNetworkSpecProblems({ topology: 'Layer3', layer3: { role: 'Primary', subnets: [{ cidr: '10.100.0.0/16', hostSubnet: 24 }], joinSubnets: ['100.65.0.0/16'] } }, cluster)).toEqual([]);
    expect(udnNetworkSpecProblems({ topology: 'Localnet', localnet: { role: 'Secondary', physicalNetworkName: 'physnet-n3', ipam: { mode: 'Disabled' }, vlan: { mode: 'Access', access: { id: 30 } } } }, cluster)).toEqual([]);
  });

  test('subnet overlap (subnets against join subnets) and two CIDRs of one family', () => {
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer3', layer3: { role: 'Primary', subnets: [{ cidr: '10.100.0.0/16' }], joinSubnets: ['10.100.128.0/17'] } }, cluster))).toEqual([
      "'layer3.joinSubnets[0]' overlaps subnets[0] (10.100.0.0/16): got \"10.100.128.0/17\"; give each subnet of the network its own range",
    ]);
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.1.0.0/24', '10.2.0.0/24'] } }, cluster))).toEqual([
      "'layer2.subnets' holds two CIDRs of one IP family: got [\"10.1.0.0/24\",\"10.2.0.0/24\"]; give one IPv4 and one IPv6 subnet",
    ]);
  });

  test('at most two subnets for a secondary network', () => {
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.1.0.0/24', 'fd00::/64', '10.3.0.0/24'] } }, cluster))[0]).toBe(
      "'layer2.subnets' holds 3 CIDRs, more than 2: got [\"10.1.0.0/24\",\"fd00::/64\",\"10.3.0.0/24\"]; give one IPv4 and one IPv6 subnet at most");
  });

  test('MTU at least 1280 with IPv6, within 576..65536', () => {
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['fd00:4::/64'], mtu: 1200 } }, cluster))).toEqual([
      "'layer2.mtu' is below 1280 with an IPv6 subnet: got 1200; use 1280 or more (IPv6's minimum link MTU)",
    ]);
    expect(udnNetworkSpecProblems({ topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.4.0.0/24'], mtu: 1200 } }, cluster)).toEqual([]);
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer2', layer2: { role: 'Secondary', mtu: 100 } }, cluster))).toEqual([
      "'layer2.mtu' is not a whole number from 576 to 65536: got 100; write an MTU such as 1400",
    ]);
  });

  test('Localnet: secondary only, cluster-scoped only, subnets forbidden with IPAM disabled and required otherwise, exclusions inside subnets', () => {
    expect(lines(udnNetworkSpecProblems({ topology: 'Localnet', localnet: { role: 'Primary', physicalNetworkName: 'a:b' } }, cluster))).toEqual([
      "'localnet.role' is not Secondary: got \"Primary\"; write role: Secondary",
      "'localnet.physicalNetworkName' is not a bridge-mapping network name (1 to 253 characters, no \",\" or \":\"): got \"a:b\"; name the OVS bridge mapping's network configured on the nodes, e.g. \"physnet-n3\"",
      "'localnet.subnets' are required with ipam.mode Enabled (or unset): got nothing; give the network a subnet, or set ipam.mode Disabled",
    ]);
    expect(lines(udnNetworkSpecProblems({ topology: 'Localnet', localnet: { role: 'Secondary', physicalNetworkName: 'p', ipam: { mode: 'Disabled' }, subnets: ['10.3.0.0/24'] } }, cluster))).toEqual([
      "'localnet.subnets' are set with ipam.mode Disabled: got [\"10.3.0.0/24\"]; remove the subnets, or enable IPAM",
    ]);
    expect(lines(udnNetworkSpecProblems({ topology: 'Localnet', localnet: { role: 'Secondary', physicalNetworkName: 'p', subnets: ['10.3.0.0/24'], excludeSubnets: ['10.9.0.0/30'] } }, cluster))).toEqual([
      "'localnet.excludeSubnets[0]' is inside none of the subnets: got \"10.9.0.0/30\"; exclude a range of a subnet of the network",
    ]);
    expect(lines(udnNetworkSpecProblems({ topology: 'Localnet', localnet: {} }, { clusterScoped: false }))).toEqual([
      "'topology' is not Layer2, Layer3: got \"Localnet\"; use a ClusterUserDefinedNetwork: Localnet is cluster-scoped",
    ]);
  });

  test('topology and its config agree; Layer3 needs subnets; join subnets only for primary; host subnet smaller than the subnet', () => {
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer2', layer3: { role: 'Secondary' } }, cluster))).toEqual([
      "'layer2' is required with topology Layer2: got nothing; write layer2: { role: Secondary, ... }",
      "'layer3' is set with topology Layer2: got [\"role\"]; remove it, or set topology Layer3",
    ]);
    expect(lines(udnNetworkSpecProblems({ topology: 'Layer3', layer3: { role: 'Secondary', subnets: [{ cidr: '10.0.0.0/24', hostSubnet: 16 }], joinSubnets: ['100.65.0.0/16'] } }, cluster))).toEqual([
      "'layer3.subnets[0].hostSubnet' is not a prefix longer than the subnet's /24 and shorter than /32: got 16; give each node a smaller subnet, e.g. 24 for a /16",
      "'layer3.joinSubnets' are only for a Primary network: got [\"100.65.0.0/16\"]; remove them",
    ]);
  });
});

describe('UDN objects', () => {
  test('a primary UDN whose namespace lacks the label', () => {
    const udn = { apiVersion: 'k8s.ovn.org/v1', kind: 'UserDefinedNetwork', metadata: { name: 'p', namespace: 'blue' }, spec: { topology: 'Layer2', layer2: { role: 'Primary', subnets: ['10.5.0.0/16'] } } };
    expect(udnObjectProblems(udn, new Map([['blue', { team: 'b' }]])).map(formatProblem)).toEqual([
      "'metadata.namespace' selects namespace blue, which lacks the label k8s.ovn.org/primary-user-defined-network: got \"blue\"; label the namespace k8s.ovn.org/primary-user-defined-network: \"\" when it is created (OVN-Kubernetes reads it only then)",
    ]);
    expect(udnObjectProblems(udn, new Map([['blue', { 'k8s.ovn.org/primary-user-defined-network': '' }]]))).toEqual([]);
  });

  test('a ClusterUserDefinedNetwork needs a namespace selector; its network is checked under spec.network', () => {
    expect(udnObjectProblems({ kind: 'ClusterUserDefinedNetwork', spec: { network: { topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.1.0.0/33'] } } } }).map((p) => p.field)).toEqual([
      'spec.namespaceSelector', 'spec.network.layer2.subnets[0]',
    ]);
  });
});
