import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { Whereabouts } from '../../lib/installers/whereabouts';

/** Whereabouts v0.9.4 with its upstream defaults: CRDs, RBAC, DaemonSet and the reconciler. */
export class WhereaboutsChart extends Chart {
  public readonly whereabouts: Whereabouts;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'whereabouts');
    this.whereabouts = new Whereabouts(this, 'Whereabouts');
  }
}
