import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Calico } from '../../lib/installers/calico';
import { assignCluster } from '../../lib/installers/cluster-network';

/**
 * Calico v3.32.1 in manifest mode with the defaults of `calico.yaml` (BGP with BIRD, IP-in-IP
 * Always, MTU auto-detected). An alternative primary network, so the chart is its own cluster for
 * the co-existence checks.
 */
export class CalicoChart extends Chart {
  public readonly calico: Calico;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'calico');
    this.calico = new Calico(this, 'Calico');
  }
}
