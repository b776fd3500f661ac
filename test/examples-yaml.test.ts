import * as fs from 'fs';
import * as path from 'path';
import { exampleManifests } from '../scripts/examples-yaml';

// Every example folder commits its synthesized YAML (examples/<folder>/dist/<chart>.k8s.yaml),
// so reviewers can read the output; it must be exactly what the example synthesizes today.
const manifests = exampleManifests();

test('every example chart has its synthesized YAML committed in its folder', () => {
  const folders = new Set([...manifests.keys()].map((f) => path.basename(path.dirname(path.dirname(f)))));
  expect([...folders].sort()).toEqual(['cluster', 'five-g', 'fog05', 'quickstart', 'talk']);
  expect(manifests.size).toBe(14);
});

test.each([...manifests.keys()].map((f) => [path.relative(path.join(__dirname, '..'), f)]))('%s is up to date (npm run examples-yaml)', (rel) => {
  const file = path.join(__dirname, '..', rel);
  expect(fs.existsSync(file)).toBe(true);
  expect(fs.readFileSync(file, 'utf8')).toBe(manifests.get(file));
});
