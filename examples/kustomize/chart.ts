import * as path from 'path';
import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CniConfig,
  ExternalNetwork,
  HostLocalIpam,
  MacvlanMode,
  MacvlanPlugin,
  MultiNetworkPolicy,
  MultiNetworkPolicyPeer,
  MultiNetworkPolicyPort,
  NetworkAttachmentDefinition,
  NetworkFunction,
  NetworkReferences,
  PluginsProfile,
  PreinstalledCniPlugins,
} from '../../lib';

/** The namespace the chart is written for; kustomize places it elsewhere (kustomization.yaml). */
export const BASE_NAMESPACE = 'nfv';
/** The cluster's pod network, a NAD the cluster administrator keeps in kube-system (not in this output). */
export const CLUSTER_DEFAULT_NETWORK = { name: 'cluster-pods', namespace: 'kube-system' };

/**
 * A small user plane written for placement by kustomize: a gNB simulator and a UPF on N3 (GTP-U)
 * and N6 (data network), two MultiNetworkPolicies, and the UPF's default network from the cluster.
 * The App's references are namespace-relative (`NetworkReferences.namespaceRelative(app)`): the
 * networks annotations and policy-for name the NADs of the pods' own namespace without it, so
 * they follow the objects wherever kustomize's `namespace:` puts them.
 */
export class KustomizeChart extends Chart {
  public readonly n3: NetworkAttachmentDefinition;
  public readonly n6: NetworkAttachmentDefinition;
  public readonly gnb: NetworkFunction;
  public readonly upf: NetworkFunction;
  public readonly gtpuPolicy: MultiNetworkPolicy;
  public readonly egressPolicy: MultiNetworkPolicy;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: BASE_NAMESPACE, ...props });
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);

    this.n3 = new NetworkAttachmentDefinition(this, 'N3', {
      metadata: { name: 'n3' },
      config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', mode: MacvlanMode.BRIDGE, ipam: HostLocalIpam.subnet('10.3.0.0/24') })]),
    });
    this.n6 = new NetworkAttachmentDefinition(this, 'N6', {
      metadata: { name: 'n6' },
      config: CniConfig.list([new MacvlanPlugin({ master: 'eth2', mode: MacvlanMode.BRIDGE, ipam: HostLocalIpam.subnet('10.6.0.0/24') })]),
    });
    const clusterPods = new ExternalNetwork(this, 'ClusterPods', CLUSTER_DEFAULT_NETWORK);

    this.gnb = new NetworkFunction(this, 'Gnb', {
      name: 'gnb',
      containers: [{ name: 'gnb', image: 'registry.example.com/gnb-sim:1.0.0' }],
      attachments: [{ network: this.n3, interface: 'n3' }],
    });
    this.upf = new NetworkFunction(this, 'Upf', {
      name: 'upf',
      containers: [{ name: 'upf', image: 'registry.example.com/upf:1.0.0' }],
      defaultNetwork: clusterPods,
      attachments: [
        { network: this.n3, interface: 'n3' },
        { network: this.n6, interface: 'n6' },
      ],
    });

    // GTP-U reaches the UPF on N3 from the gNB only
    this.gtpuPolicy = MultiNetworkPolicy.allowIngressOnlyFrom(this, 'UpfGtpu', {
      metadata: { name: 'upf-n3-gtpu-from-gnb' },
      networks: [this.n3],
      target: this.upf,
      from: [MultiNetworkPolicyPeer.pods(this.gnb)],
      ports: [MultiNetworkPolicyPort.udp(2152)],
    });
    // the UPF sends only to the gNB (N3) and the data network (N6): one policy for both networks
    this.egressPolicy = new MultiNetworkPolicy(this, 'UpfEgress', {
      metadata: { name: 'upf-egress' },
      networks: [this.n3, this.n6],
      target: this.upf,
      egress: [
        { peer: MultiNetworkPolicyPeer.pods(this.gnb), ports: [MultiNetworkPolicyPort.udp(2152)] },
        { peer: MultiNetworkPolicyPeer.ipBlock('10.6.0.0/24') },
      ],
    });
  }
}

/** The example's App: namespace-relative references, one chart. */
export function buildKustomizeExample(app: App): KustomizeChart {
  NetworkReferences.namespaceRelative(app);
  return new KustomizeChart(app, 'kustomize');
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'dist') });
  buildKustomizeExample(app);
  app.synth();
}
