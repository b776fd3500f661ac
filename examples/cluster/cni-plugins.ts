import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CniPlugins } from '../../lib/installers/cni-plugins';
import { assignCluster } from '../../lib/installers/cluster-network';

/**
 * The reference CNI plugins (containernetworking/plugins v1.9.1, amd64) copied to every node. The
 * dhcp daemon is added only when a NAD of the cluster uses dhcp IPAM; this chart has none.
 */
export class CniPluginsChart extends Chart {
  public readonly plugins: CniPlugins;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'cni-plugins');
    this.plugins = new CniPlugins(this, 'CniPlugins');
  }
}
