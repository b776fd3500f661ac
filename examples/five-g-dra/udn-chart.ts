import { ApiObject, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MacvlanMode } from '../../lib/cni/plugins/macvlan';
import { ExternalNetwork } from '../../lib/external-network';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { NetworkFunction, ReplicaAddressing } from '../../lib/network-function';
import { clusterUdnFor } from '../../lib/ovnk/render';
import { CONTROL_PLANE, RAN, UPF_ADDRESSES, USER_PLANE } from './chart';

/**
 * The 5G core of ../five-g with its networks rendered as OVN-Kubernetes ClusterUserDefinedNetworks
 * instead of NADs: N2, N3 and N6 (macvlan on a host interface) as Localnet on the nodes' OVS bridge
 * mappings, N4 (a node bridge) as Layer2; OVN-Kubernetes writes the same-named NAD in each selected
 * namespace, and the functions select it with the Multus annotation as before (the logical networks
 * are the model; their NADs are not written: the functions attach to the NADs OVN-Kubernetes owns,
 * declared as external networks).
 */
export class FiveGUdnChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    for (const ns of [CONTROL_PLANE, USER_PLANE, RAN]) {
      new kplus.Namespace(this, `Namespace-${ns}`, { metadata: { name: ns } });
    }
    // the model: the same logical networks (no NAD is derived: nadFor is never called)
    const model = new Construct(this, 'Networks');
    const n2 = new Network(model, 'N2', { name: 'n2', plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }), subnets: ['10.2.0.0/24'], gateways: ['10.2.0.1'], ipam: IpamMode.STATIC });
    const n3 = new Network(model, 'N3', { name: 'n3', plugin: NetworkPlugin.macvlan({ uplink: 'eth2', mode: MacvlanMode.BRIDGE }), subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'], ipam: IpamMode.STATIC });
    const n4 = new Network(model, 'N4', { name: 'n4', plugin: NetworkPlugin.bridge({ bridge: 'br-n4' }), subnets: ['10.4.0.0/24'], ipam: IpamMode.STATIC });
    const n6 = new Network(model, 'N6', { name: 'n6', plugin: NetworkPlugin.macvlan({ uplink: 'eth3', mode: MacvlanMode.BRIDGE }), subnets: ['10.6.0.0/24'], gateways: ['10.6.0.1'], ipam: IpamMode.STATIC });
    const users: [Network, string[]][] = [[n2, [CONTROL_PLANE, RAN]], [n3, [USER_PLANE, RAN]], [n4, [CONTROL_PLANE, USER_PLANE]], [n6, [USER_PLANE]]];
    const physnets = { eth1: 'physnet-n2', eth2: 'physnet-n3', eth3: 'physnet-n6' };
    for (const [n, namespaces] of users) {
      const o = clusterUdnFor({ name: n.name, subnets: n.subnets.map(String), plugin: n.plugin, ipamMode: n.ipamMode }, { namespaces, physicalNetworkNames: physnets });
      new ApiObject(this, `Udn-${n.name}`, o as any);
    }
    // the NADs OVN-Kubernetes renders, as the functions see them
    const nad = (n: Network, ns: string) => new ExternalNetwork(this, `Nad-${n.name}-${ns}`, { name: n.name, namespace: ns });

    const amf = new NetworkFunction(this, 'Amf', { name: 'amf', namespace: CONTROL_PLANE, containers: [{ name: 'amf', image: 'docker.io/openverso/open5gs:2.7.2', command: ['open5gs-amfd'] }] });
    amf.attach(nad(n2, CONTROL_PLANE), { interface: 'n2', ips: ['10.2.0.10/24'] });
    const smf = new NetworkFunction(this, 'Smf', { name: 'smf', namespace: CONTROL_PLANE, containers: [{ name: 'smf', image: 'docker.io/openverso/open5gs:2.7.2', command: ['open5gs-smfd'] }] });
    smf.attach(nad(n4, CONTROL_PLANE), { interface: 'n4', ips: ['10.4.0.10/24'] });
    const upf = new NetworkFunction(this, 'Upf', {
      name: 'upf', namespace: USER_PLANE, replicas: 2, replicaAddressing: ReplicaAddressing.PER_REPLICA,
      containers: [{ name: 'upf', image: 'docker.io/openverso/open5gs:2.7.2', command: ['open5gs-upfd'], capabilities: [kplus.Capability.NET_ADMIN] }],
    });
    upf.attach(nad(n3, USER_PLANE), { interface: 'n3', ipsPerReplica: UPF_ADDRESSES.map((a) => [a.n3]) });
    upf.attach(nad(n4, USER_PLANE), { interface: 'n4', ipsPerReplica: UPF_ADDRESSES.map((a) => [a.n4]) });
    upf.attach(nad(n6, USER_PLANE), { interface: 'n6', ipsPerReplica: UPF_ADDRESSES.map((a) => [a.n6]), defaultRoute: ['10.6.0.1'] });
    const gnb = new NetworkFunction(this, 'Gnb', { name: 'gnb-sim', namespace: RAN, containers: [{ name: 'gnb', image: 'docker.io/openverso/ueransim:3.2.6', command: ['nr-gnb'], capabilities: [kplus.Capability.NET_ADMIN] }] });
    gnb.attach(nad(n2, RAN), { interface: 'n2', ips: ['10.2.0.50/24'] });
    gnb.attach(nad(n3, RAN), { interface: 'n3', ips: ['10.3.0.50/24'] });
  }
}
