import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { KubeRouter } from '../../lib/installers/kube-router';

/**
 * kube-router with the kubeadm all-features defaults (router, firewall and IPVS service proxy),
 * as `kubeadm-kuberouter-all-features.yaml` v2.11.1 installs it, with the image pinned. An
 * alternative primary network, so the chart is its own cluster for the co-existence checks.
 */
export class KubeRouterChart extends Chart {
  public readonly kubeRouter: KubeRouter;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'kube-router');
    this.kubeRouter = new KubeRouter(this, 'KubeRouter');
  }
}
