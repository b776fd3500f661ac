import { App } from 'cdk8s';
import { CalicoChart } from './calico';
import { CiliumChart } from './cilium';
import { CniPluginsChart } from './cni-plugins';
import { FlannelChart } from './flannel';
import { KubeRouterChart } from './kube-router';
import { MultusChart } from './multus';
import { RomanaChart } from './romana';
import { SriovDevicePluginChart } from './sriov-device-plugin';
import { WeaveNetChart } from './weave-net';
import { WhereaboutsChart } from './whereabouts';

/**
 * One chart per provider, each with its defaults; the chart id is the file name that
 * `npx cdk8s synth` writes: dist/<id>.k8s.yaml. The six cluster networks each mark themselves
 * as a cluster of their own, so their co-existence guards do not fire against each other.
 */
export function buildClusterExamples(app: App): void {
  new MultusChart(app, 'multus');
  new FlannelChart(app, 'flannel');
  new CalicoChart(app, 'calico');
  new WeaveNetChart(app, 'weave-net');
  new RomanaChart(app, 'romana');
  new CiliumChart(app, 'cilium');
  new KubeRouterChart(app, 'kube-router');
  new WhereaboutsChart(app, 'whereabouts');
  new SriovDevicePluginChart(app, 'sriov-device-plugin');
  new CniPluginsChart(app, 'cni-plugins');
}
