import * as fs from 'fs';
import * as path from 'path';
import { lintManifests } from '../../lib/cli/lint';
import * as free5gc from '../../examples/free5gc-helm/main';
import * as vfirewall from '../../examples/sriov-vfirewall/main';
import { expectValidObjects } from '../util/schema';
import { compareMeaning, readSynth, readUpstream } from './compare';

/**
 * Two corpus deployments are examples of the library (examples/free5gc-helm,
 * examples/sriov-vfirewall): their committed output is what they synthesize, it is valid, lint
 * finds nothing in it, and it means what upstream means except where the corpus program corrects
 * upstream (the same differences, for the same reasons).
 */

const EXAMPLES: Array<[string, () => Map<string, string>, string]> = [
  ['free5gc-helm', free5gc.synthesized, 'free5gc-helm'],
  ['sriov-vfirewall', vfirewall.synthesized, 'onap-starlingx-vfw-sriov'],
];

describe.each(EXAMPLES)('examples/%s', (folder, synthesized, corpus) => {
  const files = synthesized();

  test('the committed dist/ is what the example synthesizes (npm run examples-yaml)', () => {
    const dist = path.join(__dirname, '..', '..', 'examples', folder, 'dist');
    expect(fs.readdirSync(dist).sort()).toEqual([...files.keys()].map((f) => path.basename(f)).sort());
    for (const [file, text] of files) expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  test('every object is valid against the Kubernetes schemas', () => {
    expectValidObjects([...files.values()].flatMap((text) => readSynth(text)));
  });

  test('lint finds nothing in the output', () => {
    const r = lintManifests([...files.keys()]);
    expect(r.readProblems).toEqual([]);
    expect(r.findings.map((f) => `${f.severity} ${f.object} ${f.field}: ${f.message}`)).toEqual([]);
  });

  test(`it means what upstream (test/corpus/${corpus}) means, except the corpus program's corrections`, () => {
    const program = require(path.join(__dirname, corpus, 'program')) as { DIFFERENCES: Record<string, string> };
    const result = compareMeaning(readUpstream(path.join(__dirname, corpus)), [...files.values()].flatMap((text) => readSynth(text)));
    expect(result.workloads).toBeGreaterThan(0);
    expect([...result.differences].sort()).toEqual(Object.keys(program.DIFFERENCES).sort());
  });
});
