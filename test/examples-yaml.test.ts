import * as fs from 'fs';
import * as path from 'path';
import { exampleManifests, kustomizeManifests } from '../scripts/examples-yaml';

// Every example folder commits its synthesized YAML (examples/<folder>/dist/<chart>.k8s.yaml),
// so reviewers can read the output; it must be exactly what the example synthesizes today.
const manifests = exampleManifests();

test('every example chart has its synthesized YAML committed in its folder', () => {
  const folders = new Set([...manifests.keys()].map((f) => path.basename(path.dirname(path.dirname(f)))));
  expect([...folders].sort()).toEqual(['cluster', 'five-g', 'fog05', 'free5gc-helm', 'quickstart', 'sriov-vfirewall', 'talk']);
  expect(manifests.size).toBe(16);
});

test.each([...manifests.keys()].map((f) => [path.relative(path.join(__dirname, '..'), f)]))('%s is up to date (npm run examples-yaml)', (rel) => {
  const file = path.join(__dirname, '..', rel);
  expect(fs.existsSync(file)).toBe(true);
  expect(fs.readFileSync(file, 'utf8')).toBe(manifests.get(file));
});

// examples/kustomize is an App of its own (namespace-relative references); npm run examples-yaml
// writes its dist/ too.
const kustomize = kustomizeManifests();

test('the kustomize example\'s App has one chart, committed in examples/kustomize/dist', () => {
  expect([...kustomize.keys()].map((f) => path.relative(path.join(__dirname, '..'), f))).toEqual(['examples/kustomize/dist/kustomize.k8s.yaml']);
});

test.each([...kustomize.keys()].map((f) => [path.relative(path.join(__dirname, '..'), f)]))('%s is up to date (npm run examples-yaml)', (rel) => {
  const file = path.join(__dirname, '..', rel);
  expect(fs.readFileSync(file, 'utf8')).toBe(kustomize.get(file));
});

test('the two example folders with a main.ts of their own synthesize what the examples App writes', () => {
  for (const folder of ['free5gc-helm', 'sriov-vfirewall']) {
    const own: Map<string, string> = require(`../examples/${folder}/main`).synthesized();
    expect([...own.keys()]).toEqual([path.join(__dirname, '..', 'examples', folder, 'dist', `${folder}.k8s.yaml`)]);
    for (const [file, text] of own) expect(manifests.get(file)).toBe(text);
  }
});
