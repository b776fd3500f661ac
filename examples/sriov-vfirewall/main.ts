import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { SriovVfirewallChart } from './chart';

/** The example's App (one chart, `sriov-vfirewall`). */
export function buildApp(app: App = new App()): App {
  new SriovVfirewallChart(app, 'sriov-vfirewall');
  return app;
}

/**
 * The chart's YAML, as `cdk8s synth` writes it to dist/<chart id>.k8s.yaml. `npm run examples-yaml`
 * (scripts/examples-yaml.ts, the examples App of examples/main.ts) writes the committed copy.
 */
export function synthesized(): Map<string, string> {
  const app = buildApp(new App({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'nfv-sriov-vfirewall-')) }));
  return new Map(app.charts.map((c) => [path.join(__dirname, 'dist', `${c.node.id}.k8s.yaml`), Yaml.stringify(...c.toJson())]));
}
