import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { Multus } from '../../lib/installers/multus';

/**
 * Multus v4.3.0, thick plugin, with the upstream defaults (`multus-daemonset-thick.yml`). The
 * chart is its own cluster for the co-existence checks, so no primary network is assumed and no
 * readiness indicator file is set.
 */
export class MultusChart extends Chart {
  public readonly multus: Multus;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'multus');
    this.multus = new Multus(this, 'Multus');
  }
}
