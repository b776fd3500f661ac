import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Cilium } from '../../lib/installers/cilium';
import { assignCluster } from '../../lib/installers/cluster-network';

/**
 * Cilium 1.19.5 with the Helm chart's default values (vxlan tunnel, cluster-pool IPAM on
 * 10.0.0.0/8, Hubble on), as constructs. Hubble's certificates are left to cert-manager or
 * `cilium certgen` (no generated keys in the manifest). An alternative primary network, so the
 * chart is its own cluster for the co-existence checks.
 */
export class CiliumChart extends Chart {
  public readonly cilium: Cilium;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'cilium');
    this.cilium = new Cilium(this, 'Cilium');
  }
}
