import { App } from 'cdk8s';
import { buildClusterExamples } from './cluster';
import { FiveGChart } from './five-g/chart';
import { Fog05Chart } from './fog05/chart';
import { QuickstartChart } from './quickstart/chart';
import { TalkChart } from './talk/chart';

/**
 * Every example, as charts of one App; `npx cdk8s synth` writes each chart to
 * dist/<chart id>.k8s.yaml.
 */
export function buildExamples(app: App): void {
  new TalkChart(app, 'talk');
  new FiveGChart(app, 'five-g');
  new QuickstartChart(app, 'quickstart');
  new Fog05Chart(app, 'fog05');
  buildClusterExamples(app);
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
