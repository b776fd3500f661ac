import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { Flannel } from '../../lib/installers/flannel';

/**
 * Flannel with its upstream defaults (vxlan, 10.244.0.0/16), as `kube-flannel.yml` v0.28.9
 * installs it. Each cluster-network example is an alternative primary network, so the chart is
 * its own cluster for the co-existence checks.
 */
export class FlannelChart extends Chart {
  public readonly flannel: Flannel;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'flannel');
    this.flannel = new Flannel(this, 'Flannel');
  }
}
