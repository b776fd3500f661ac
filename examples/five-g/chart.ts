import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  IpamMode,
  MacvlanMode,
  MultiNetworkPolicy,
  MultiNetworkPolicyPeer,
  MultiNetworkPolicyPort,
  Network,
  NetworkFunction,
  NetworkPlugin,
  PluginsProfile,
  ReachabilityExpectation,
  ReplicaAddressing,
} from '../../lib';
import { PreinstalledCniPlugins } from '../../lib/installers';

/** Namespaces of the example: control plane, user plane, radio access network. */
export const CONTROL_PLANE = 'fivegc-cp';
export const USER_PLANE = 'fivegc-up';
export const RAN = 'ran';

/**
 * A 5G core with control and user plane split: the AMF on N2, the SMF on N4, two UPF replicas on
 * N3, N4 and N6 (each with its own addresses), and a gNB simulator on N2 and N3. Every network is
 * a logical network from which one NAD per namespace is derived; every address is checked against
 * its subnet and for uniqueness at synth.
 */
export class FiveGChart extends Chart {
  public readonly n2: Network;
  public readonly n3: Network;
  public readonly n4: Network;
  public readonly n6: Network;
  public readonly amf: NetworkFunction;
  public readonly smf: NetworkFunction;
  public readonly upf: NetworkFunction;
  public readonly gnb: NetworkFunction;
  public readonly n6Policy: MultiNetworkPolicy;
  public readonly n4Policy: MultiNetworkPolicy;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // the nodes run Debian's containernetworking-plugins 1.1.1 (no installer DaemonSet in this chart)
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);

    for (const ns of [CONTROL_PLANE, USER_PLANE, RAN]) {
      new kplus.Namespace(this, `Namespace-${ns}`, { metadata: { name: ns } });
    }

    // N2: NGAP between gNB and AMF, on the node's eth1
    this.n2 = new Network(this, 'N2', {
      name: 'n2',
      plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }),
      subnets: ['10.2.0.0/24'],
      gateways: ['10.2.0.1'],
      ipam: IpamMode.STATIC,
    });
    // N3: GTP-U user plane between gNB and UPF, on eth2
    this.n3 = new Network(this, 'N3', {
      name: 'n3',
      plugin: NetworkPlugin.macvlan({ uplink: 'eth2', mode: MacvlanMode.BRIDGE }),
      subnets: ['10.3.0.0/24'],
      gateways: ['10.3.0.1'],
      ipam: IpamMode.STATIC,
    });
    // N4: PFCP between SMF and UPF, a node-local bridge
    this.n4 = new Network(this, 'N4', {
      name: 'n4',
      plugin: NetworkPlugin.bridge({ bridge: 'br-n4' }),
      subnets: ['10.4.0.0/24'],
      ipam: IpamMode.STATIC,
    });
    // N6: towards the data network, on eth3; the UPF's default route
    this.n6 = new Network(this, 'N6', {
      name: 'n6',
      plugin: NetworkPlugin.macvlan({ uplink: 'eth3', mode: MacvlanMode.BRIDGE }),
      subnets: ['10.6.0.0/24'],
      gateways: ['10.6.0.1'],
      ipam: IpamMode.STATIC,
    });

    this.amf = new NetworkFunction(this, 'Amf', {
      name: 'amf',
      namespace: CONTROL_PLANE,
      containers: [{ name: 'amf', image: 'docker.io/openverso/open5gs:2.7.2', command: ['open5gs-amfd'] }],
    });
    this.amf.attach(this.n2, { interface: 'n2', ips: ['10.2.0.10/24'] });

    this.smf = new NetworkFunction(this, 'Smf', {
      name: 'smf',
      namespace: CONTROL_PLANE,
      containers: [{ name: 'smf', image: 'docker.io/openverso/open5gs:2.7.2', command: ['open5gs-smfd'] }],
    });
    this.smf.attach(this.n4, { interface: 'n4', ips: ['10.4.0.10/24'] });

    this.upf = new NetworkFunction(this, 'Upf', {
      name: 'upf',
      namespace: USER_PLANE,
      replicas: 2,
      replicaAddressing: ReplicaAddressing.PER_REPLICA,
      containers: [{
        name: 'upf',
        image: 'docker.io/openverso/open5gs:2.7.2',
        command: ['open5gs-upfd'],
        capabilities: [kplus.Capability.NET_ADMIN],
      }],
    });
    this.upf.attach(this.n3, { interface: 'n3', ipsPerReplica: [['10.3.0.20/24'], ['10.3.0.21/24']] });
    this.upf.attach(this.n4, { interface: 'n4', ipsPerReplica: [['10.4.0.20/24'], ['10.4.0.21/24']] });
    this.upf.attach(this.n6, { interface: 'n6', ipsPerReplica: [['10.6.0.20/24'], ['10.6.0.21/24']], defaultRoute: true });

    this.gnb = new NetworkFunction(this, 'Gnb', {
      name: 'gnb-sim',
      namespace: RAN,
      containers: [{ name: 'gnb', image: 'docker.io/openverso/ueransim:3.2.6', command: ['nr-gnb'], capabilities: [kplus.Capability.NET_ADMIN] }],
    });
    this.gnb.attach(this.n2, { interface: 'n2', ips: ['10.2.0.50/24'] });
    this.gnb.attach(this.n3, { interface: 'n3', ips: ['10.3.0.50/24'] });

    // what `cdk8s-nfv verify` must see: the interfaces each reference point needs, and the
    // control plane (AMF) kept off the user plane
    ReachabilityExpectation.mustReach(this.gnb, this.amf, this.n2);
    ReachabilityExpectation.mustReach(this.gnb, this.upf, this.n3);
    ReachabilityExpectation.mustReach(this.smf, this.upf, this.n4);
    ReachabilityExpectation.mustNotReach(this.amf, this.upf);

    // N6 faces the data network: the UPF accepts traffic there only from the data network's
    // prefix, never from the core's control-plane subnets (N2, N4), so N6 stays away from the
    // control plane even if a route leaks
    this.n6Policy = MultiNetworkPolicy.allowIngressOnlyFrom(this, 'N6FromDataNetworkOnly', {
      metadata: { name: 'upf-n6-from-data-network-only', namespace: USER_PLANE },
      networks: [this.n6],
      target: this.upf,
      from: [MultiNetworkPolicyPeer.ipBlock('0.0.0.0/0', ['10.2.0.0/24', '10.4.0.0/24'])],
    });
    // N4 carries PFCP: only the SMF may talk to the UPF there (UDP 8805); N4 is a bridge network,
    // so the policy daemon must enforce bridge NADs too
    this.n4Policy = MultiNetworkPolicy.allowIngressOnlyFrom(this, 'N4PfcpFromSmfOnly', {
      metadata: { name: 'upf-n4-pfcp-from-smf-only', namespace: USER_PLANE },
      networks: [this.n4],
      target: this.upf,
      from: [MultiNetworkPolicyPeer.pods(this.smf)],
      ports: [MultiNetworkPolicyPort.udp(8805)],
      enforcedPluginTypes: ['macvlan', 'bridge'],
    });
  }
}
