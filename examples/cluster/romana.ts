import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { Romana } from '../../lib/installers/romana';

/**
 * Romana v2.0.2 (legacy, unmaintained since 2018) with the kubeadm defaults of
 * `romana-kubeadm.yml`, rendered with APIs Kubernetes 1.27 serves (apps/v1, rbac v1). An
 * alternative primary network, so the chart is its own cluster for the co-existence checks.
 */
export class RomanaChart extends Chart {
  public readonly romana: Romana;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'romana');
    this.romana = new Romana(this, 'Romana');
  }
}
