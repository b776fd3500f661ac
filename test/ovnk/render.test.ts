import { Testing } from 'cdk8s';
import { MacvlanMode } from '../../lib/cni/plugins/macvlan';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { clusterUdnFor } from '../../lib/ovnk/render';
import { udnObjectProblems } from '../../lib/ovnk/user-defined-network';

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
