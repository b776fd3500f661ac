import { App } from 'cdk8s';
import { buildClusterExamples } from './cluster';
import { FiveGChart } from './five-g/chart';
import { Fog05Chart } from './fog05/chart';
import { Free5gcHelmChart } from './free5gc-helm/chart';
import { QuickstartChart } from './quickstart/chart';
import { SriovVfirewallChart } from './sriov-vfirewall/chart';
import { TalkChart } from './talk/chart';

/**
 * Every example, as charts of one App; `npx cdk8s synth` writes each chart to
 * dist/<chart id>.k8s.yaml, and `npm run examples-yaml` to its folder's
 * examples/<folder>/dist/<chart id>.k8s.yaml. examples/kustomize is an App of its own
 * (namespace-relative references), which `npm run examples-yaml` also writes.
 */
export function buildExamples(app: App): void {
  new TalkChart(app, 'talk');
  new FiveGChart(app, 'five-g');
  new QuickstartChart(app, 'quickstart');
  new Fog05Chart(app, 'fog05');
  new Free5gcHelmChart(app, 'free5gc-helm');
  new SriovVfirewallChart(app, 'sriov-vfirewall');
  buildClusterExamples(app);
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
