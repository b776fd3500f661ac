import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { buildExamples } from '../examples/main';

/** The example folder each chart id belongs to. */
const FOLDER_OF: Record<string, string> = {
  'talk': 'talk',
  'five-g': 'five-g',
  'quickstart': 'quickstart',
  'fog05': 'fog05',
};

/**
 * The synthesized YAML of every example chart, keyed by the path it is committed at
 * (`examples/<folder>/dist/<chart id>.k8s.yaml`), exactly as `cdk8s synth` writes it.
 */
export function exampleManifests(root: string = path.join(__dirname, '..')): Map<string, string> {
  const app = new App({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'nfv-examples-')) });
  buildExamples(app);
  const out = new Map<string, string>();
  for (const chart of app.charts) {
    const id = chart.node.id;
    const folder = FOLDER_OF[id] ?? 'cluster';
    out.set(path.join(root, 'examples', folder, 'dist', `${id}.k8s.yaml`), Yaml.stringify(...chart.toJson()));
  }
  return out;
}

if (require.main === module) {
  for (const [file, text] of exampleManifests()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
