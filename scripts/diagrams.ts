/**
 * Draws one picture per example into docs/diagrams/ (`npm run diagrams`): each example chart in an
 * App of its own, drawn with writeTopologyDiagram, the same picture `cdk8s-nfv diagram` draws
 * from the chart's synthesized YAML.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FiveGChart } from '../examples/five-g/chart';
import { Fog05Chart } from '../examples/fog05/chart';
import { QuickstartChart } from '../examples/quickstart/chart';
import { TalkChart } from '../examples/talk/chart';
import { DiagramFormat, writeTopologyDiagram } from '../lib';

const EXAMPLES: [string, new (scope: Construct, id: string) => Chart][] = [
  ['talk', TalkChart],
  ['five-g', FiveGChart],
  ['quickstart', QuickstartChart],
  ['fog05', Fog05Chart],
];

async function main(): Promise<void> {
  const outdir = path.join(__dirname, '..', 'docs', 'diagrams');
  for (const [id, ChartClass] of EXAMPLES) {
    const app = new App({ outdir });
    new ChartClass(app, id);
    const file = await writeTopologyDiagram(app, { format: DiagramFormat.SVG, file: path.join(outdir, `${id}.svg`) });
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
});
