import { Testing } from 'cdk8s';
import { MacvlanMode } from '../../lib/cni/plugins/macvlan';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { UdnLint } from '../../lib/cli/udn-lint';
import { clusterUdnFor, primaryUdnNamespace } from '../../lib/ovnk/render';
import { UdnRole, udnObjectProblems } from '../../lib/ovnk/user-defined-network';

describe('a logical network as a ClusterUserDefinedNetwork', () => {
  const chart = Testing.chart();
  const n3 = new Network(chart, 'N3', { name: 'n3', plugin: NetworkPlugin.macvlan({ uplink: 'eth2', mode: MacvlanMode.BRIDGE }), subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'], ipam: IpamMode.STATIC });
  const n4 = new Network(chart, 'N4', { name: 'n4', plugin: NetworkPlugin.bridge({ bridge: 'br-n4' }), subnets: ['10.4.0.0/24'], ipam: IpamMode.HOST_LOCAL });
  const src = (n: Network) => ({ name: n.name, subnets: n.subnets.map(String), plugin: n.plugin, ipamMode: n.ipamMode });

  test('a macvlan network on a host interface with static addresses: Localnet on the bridge mapping, IPAM disabled (pods\' ips set the addresses)', () => {
    const o = clusterUdnFor(src(n3), { namespaces: ['ran', 'fivegc-up'], physicalNetworkNames: { eth2: 'physnet-n3' } });
    expect(o).toEqual({
      apiVersion: 'k8s.ovn.org/v1', kind: 'ClusterUserDefinedNetwork', metadata: { name: 'n3' },
      spec: {
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['fivegc-up', 'ran'] }] },
        network: { topology: 'Localnet', localnet: { role: 'Secondary', physicalNetworkName: 'physnet-n3', ipam: { mode: 'Disabled' } } },
      },
    });
    expect(udnObjectProblems(o)).toEqual([]);
  });

  test('a bridge network with pool IPAM: Layer2 with the subnets; a VLAN-tagged host network gets its access VLAN', () => {
    const o = clusterUdnFor(src(n4), { namespaces: ['fivegc-cp'], mtu: 1400 }) as any;
    expect(o.spec.network).toEqual({ topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.4.0.0/24'], mtu: 1400 } });
    expect(udnObjectProblems(o)).toEqual([]);
    const tagged = clusterUdnFor({ name: 'v', subnets: ['10.7.0.0/24'], plugin: { type: 'vlan', uplink: 'eth1', vlan: 70 }, ipamMode: 'whereabouts' }, { namespaces: ['a'] }) as any;
    expect(tagged.spec.network.localnet).toEqual({ role: 'Secondary', physicalNetworkName: 'eth1', subnets: ['10.7.0.0/24'], vlan: { mode: 'Access', access: { id: 70 } } });
    expect(udnObjectProblems(tagged)).toEqual([]);
  });
});

describe('a primary user-defined network and its namespaces', () => {
  const chart = Testing.chart();
  const core = new Network(chart, 'Core', { name: 'core', plugin: NetworkPlugin.bridge({ bridge: 'br-core' }), subnets: ['10.50.0.0/16'], ipam: IpamMode.WHEREABOUTS });
  const n3 = new Network(chart, 'N3', { name: 'n3', plugin: NetworkPlugin.macvlan({ uplink: 'eth2' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.HOST_LOCAL });
  const fixed = new Network(chart, 'Fixed', { name: 'fixed', plugin: NetworkPlugin.bridge({ bridge: 'br-f' }), subnets: ['10.9.0.0/24'], ipam: IpamMode.STATIC });
  const src = (n: Network) => ({ name: n.name, subnets: n.subnets.map(String), plugin: n.plugin, ipamMode: n.ipamMode });

  test('role Primary: Layer2 with OVN-Kubernetes IPAM over the subnets; the namespaces labelled at creation', () => {
    const cudn = clusterUdnFor(src(core), { namespaces: ['tenant-a'], role: UdnRole.PRIMARY });
    expect((cudn as any).spec.network).toEqual({ topology: 'Layer2', layer2: { role: 'Primary', subnets: ['10.50.0.0/16'] } });
    const ns = primaryUdnNamespace('tenant-a', { team: 'core' });
    expect(ns).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a', labels: { 'team': 'core', 'k8s.ovn.org/primary-user-defined-network': '' } } });
    // the rules and lint agree: labelled, nothing to say; unlabelled, the label is asked for
    expect(udnObjectProblems(cudn, new Map([['tenant-a', (ns as any).metadata.labels]]))).toEqual([]);
    const lint = (objs: object[]) => {
      const l = new UdnLint();
      objs.forEach((object, index) => l.add({ file: 'in.yaml', index, object }));
      return l.findings().map((f) => `'${f.field}' ${f.message}`);
    };
    expect(lint([ns, cudn])).toEqual([]);
    expect(lint([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a' } }, cudn])).toEqual([
      '\'spec.namespaceSelector\' selects namespace tenant-a, which lacks the label k8s.ovn.org/primary-user-defined-network',
    ]);
  });

  test('refused in the house style: a Localnet primary, a primary without pool IPAM, a role that is not one, a bad namespace name', () => {
    expect(() => clusterUdnFor(src(n3), { namespaces: ['a'], role: UdnRole.PRIMARY })).toThrow(
      /^clusterUdnFor n3: 'role' Primary is not possible for a network on a host interface \(Localnet\): got "macvlan"; keep it Secondary/,
    );
    expect(() => clusterUdnFor(src(fixed), { namespaces: ['a'], role: UdnRole.PRIMARY })).toThrow(
      /^clusterUdnFor fixed: 'role' Primary needs OVN-Kubernetes IPAM over subnets, but the network assigns addresses with static: got "static"; give the network subnets and pool IPAM/,
    );
    expect(() => clusterUdnFor(src(core), { namespaces: ['a'], role: 'Tertiary' as any })).toThrow(/'role' is not a UdnRole: got "Tertiary"/);
    expect(() => primaryUdnNamespace('Tenant_A')).toThrow(/^primaryUdnNamespace: 'name' is not a DNS-1123 label of at most 63 characters: got "Tenant_A"/);
  });
});
