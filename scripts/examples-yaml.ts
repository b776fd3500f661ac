import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { buildKustomizeExample } from '../examples/kustomize/chart';
import { buildExamples } from '../examples/main';

/** The example folder each chart id belongs to (the charts not listed are the cluster's). */
const FOLDER_OF: Record<string, string> = {
  'talk': 'talk',
  'five-g': 'five-g',
  'quickstart': 'quickstart',
  'fog05': 'fog05',
  'free5gc-helm': 'free5gc-helm',
  'sriov-vfirewall': 'sriov-vfirewall',
};

/** Each chart of the App as `cdk8s synth` writes it, keyed by examples/<folder>/dist/<chart id>.k8s.yaml. */
function manifestsOf(app: App, root: string, folderOf: (id: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const chart of app.charts) {
    const id = chart.node.id;
    out.set(path.join(root, 'examples', folderOf(id), 'dist', `${id}.k8s.yaml`), Yaml.stringify(...chart.toJson()));
  }
  return out;
}

function scratchApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-examples-')) });
}

/**
 * The synthesized YAML of every example chart of the examples App (examples/main.ts), keyed by the
 * path it is committed at (`examples/<folder>/dist/<chart id>.k8s.yaml`), exactly as `cdk8s synth`
 * writes it.
 */
export function exampleManifests(root: string = path.join(__dirname, '..')): Map<string, string> {
  const app = scratchApp();
  buildExamples(app);
  return manifestsOf(app, root, (id) => FOLDER_OF[id] ?? 'cluster');
}

/**
 * The synthesized YAML of examples/kustomize, an App of its own (namespace-relative references),
 * keyed by the path it is committed at (`examples/kustomize/dist/kustomize.k8s.yaml`).
 */
export function kustomizeManifests(root: string = path.join(__dirname, '..')): Map<string, string> {
  const app = scratchApp();
  buildKustomizeExample(app);
  return manifestsOf(app, root, () => 'kustomize');
}

if (require.main === module) {
  for (const [file, text] of [...exampleManifests(), ...kustomizeManifests()]) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
