import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { ipamDefaultRouteFamilies } from '../../lib/topology/default-routes';
import { TopologyNetwork, TopologyPod, checkTopology } from '../../lib/topology/topology';

/**
 * One rule for a pod's default routes, whichever way they come (selection `default-route`, IPAM
 * routes). The behaviour each case stands for was observed with the real Multus 4.3.0 and
 * plugins 1.10.0 / Debian 1.1.1: test/rulebook/multus-evidence.test.ts.
 */

function net(name: string, subnet: string, opts: { gateway?: string; routes?: string[] } = {}): TopologyNetwork {
  const ipam = HostLocalIpam.subnet(subnet, { gateway: opts.gateway, routes: opts.routes?.map((dst) => ({ dst })) });
  return { name, namespace: 'core', config: CniConfig.list([new MacvlanPlugin({ master: `eth-${name}`, ipam, capabilities: [CniCapability.IPS] })]), path: `nads/${name}` };
}

function pod(attachments: TopologyPod['attachments']): TopologyPod {
  return { name: 'upf', namespace: 'core', replicas: 1, attachments, path: 'pods/upf' };
}

const N3 = () => net('n3', '10.3.0.0/24', { gateway: '10.3.0.1', routes: ['0.0.0.0/0'] });
const N6 = () => net('n6', '10.6.0.0/24', { gateway: '10.6.0.1', routes: ['0.0.0.0/0'] });
const N9 = () => net('n9', '10.9.0.0/24', { gateway: '10.9.0.1' });
const V6A = () => net('v6a', 'fd00:a::/64', { gateway: 'fd00:a::1', routes: ['::/0'] });
const V6B = () => net('v6b', 'fd00:b::/64', { gateway: 'fd00:b::1', routes: ['::/0'] });

describe('ipamDefaultRouteFamilies', () => {
  test('bits for 0.0.0.0/0 and ::/0; other routes and malformed entries count for nothing', () => {
    expect(ipamDefaultRouteFamilies([{ dst: '0.0.0.0/0' }])).toBe(1);
    expect(ipamDefaultRouteFamilies([{ dst: '::/0' }, { dst: '10.0.0.0/8' }])).toBe(2);
    expect(ipamDefaultRouteFamilies([{ dst: '0.0.0.0/0' }, { dst: '::/0' }])).toBe(3);
    expect(ipamDefaultRouteFamilies([{ dst: '10.0.0.0/8' }, { dst: 'nonsense' }, { dst: 5 as unknown as string }])).toBe(0);
    expect(ipamDefaultRouteFamilies(undefined)).toBe(0);
  });
});

describe('default routes of a pod: at most one source per family', () => {
  test('two IPAM IPv4 default routes: an error that says what the plugins do', () => {
    const problems = checkTopology({ networks: [N3(), N6()], pods: [pod([{ name: 'n3' }, { name: 'n6' }])] });
    expect(problems.map((p) => [p.severity, formatProblem(p)])).toEqual([[Severity.ERROR,
      "[pods/upf] 'attachments' give the pod 2 IPv4 default routes through the IPAM routes of their networks: got [\"n3\",\"n6\"]; "
      + "keep the 0.0.0.0/0 route in one network's IPAM only (the plugins add every one: IPv4 then sends through the last attached, IPv6 spreads flows over all of them)"]]);
  });

  test('two IPAM IPv6 default routes: the same rule for ::/0', () => {
    const problems = checkTopology({ networks: [V6A(), V6B()], pods: [pod([{ name: 'v6a' }, { name: 'v6b' }])] });
    expect(problems.map((p) => p.message)).toEqual(['give the pod 2 IPv6 default routes through the IPAM routes of their networks']);
    expect(problems[0].fix).toMatch(/^keep the ::\/0 route in one network's IPAM only/);
  });

  test('one IPv4 and one IPv6 IPAM default route: one per family passes', () => {
    expect(checkTopology({ networks: [N3(), V6A()], pods: [pod([{ name: 'n3' }, { name: 'v6a' }])] })).toEqual([]);
  });

  test('a default-route request beside an IPAM default route of its family has no effect in Multus 4.3.0: an error on the request', () => {
    const problems = checkTopology({ networks: [N3(), N9()], pods: [pod([{ name: 'n3' }, { name: 'n9', 'default-route': ['10.9.0.1'] }])] });
    expect(problems.map(formatProblem)).toEqual([
      "[pods/upf] 'attachments[1].default-route' has no effect: the IPAM of n3 already gives the pod an IPv4 default route, and Multus adds a requested one only where none of its family exists: "
      + 'got ["10.9.0.1"]; remove the 0.0.0.0/0 route from that IPAM, or this request',
    ]);
  });

  test('a request through another gateway than the one its own IPAM route uses has no effect either; through that gateway it is harmless', () => {
    const own = net('own', '10.7.0.0/24', { gateway: '10.7.0.1', routes: ['0.0.0.0/0'] });
    expect(checkTopology({ networks: [own], pods: [pod([{ name: 'own', 'default-route': ['10.7.0.254'] }])] }).map((p) => p.field)).toEqual(['attachments[0].default-route']);
    expect(checkTopology({ networks: [own], pods: [pod([{ name: 'own', 'default-route': ['10.7.0.1'] }])] })).toEqual([]);
  });

  test('an IPv6 request beside an IPv4 IPAM default route is another family: no problem', () => {
    const v6 = net('v6', 'fd00:c::/64', { gateway: 'fd00:c::1' });
    expect(checkTopology({ networks: [N3(), v6], pods: [pod([{ name: 'n3' }, { name: 'v6', 'default-route': ['fd00:c::1'] }])] })).toEqual([]);
  });

  test('two gateways in one request count as two (Multus counts gateways, not attachments)', () => {
    const problems = checkTopology({ networks: [N9()], pods: [pod([{ name: 'n9', 'default-route': ['10.9.0.1', '10.9.0.2'] }])] });
    expect(problems.map(formatProblem)).toEqual([
      "[pods/upf] 'attachments' give the pod 2 default routes: got [\"n9\",\"n9\"]; let exactly one attachment own the default route (Multus rejects ECMP default routes)",
    ]);
  });

  test('requests to networks that do not resolve still count (Multus refuses the pod before it looks them up)', () => {
    const problems = checkTopology({ networks: [N9()], pods: [pod([{ name: 'n9', 'default-route': ['10.9.0.1'] }, { name: 'nowhere', 'default-route': ['10.8.0.1'] }])] });
    expect(problems.map((p) => p.message)).toEqual([
      'does not resolve to a NetworkAttachmentDefinition of the App in namespace core',
      'give the pod 2 default routes',
    ]);
  });
});
