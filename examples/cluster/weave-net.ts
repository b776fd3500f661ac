import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { WeaveNet } from '../../lib/installers/weave-net';

/**
 * Weave Net v2.8.1 (archived) with its defaults, as the release asset `weave-daemonset-k8s.yaml`
 * installs it (encryption off, as upstream; pass `password` to turn it on). An alternative
 * primary network, so the chart is its own cluster for the co-existence checks.
 */
export class WeaveNetChart extends Chart {
  public readonly weave: WeaveNet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'weave-net');
    this.weave = new WeaveNet(this, 'WeaveNet');
  }
}
