import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { assignCluster } from '../../lib/installers/cluster-network';
import { SriovCni, SriovNetworkDevicePlugin } from '../../lib/installers/sriov';

/**
 * The SR-IOV network device plugin v3.11.0 with the upstream sample resource list, and the
 * sriov-cni v2.10.0 installer that puts the `sriov` binary on the nodes.
 */
export class SriovDevicePluginChart extends Chart {
  public readonly devicePlugin: SriovNetworkDevicePlugin;
  public readonly sriovCni: SriovCni;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    assignCluster(this, 'sriov-device-plugin');
    this.devicePlugin = new SriovNetworkDevicePlugin(this, 'DevicePlugin');
    this.sriovCni = new SriovCni(this, 'SriovCni');
  }
}
