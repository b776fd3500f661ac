import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { CniConfig, lintCniConfig } from '../../lib';
import { ExternalNad, lintManifests } from '../../lib/cli/lint';
import { compareMeaning, readSynth, readUpstream } from './compare';

/**
 * Every corpus deployment that has a `program.ts` (issue 14, "Done when"): the program, written
 * with the typed API as a user would, synthesizes what upstream deploys, by meaning (see
 * compare.ts). Where the output differs, the program lists the difference and why
 * (`DIFFERENCES`): a correction of an upstream bug, or a shape the library cannot write yet.
 */

interface Program {
  /** The deployment; with `asUpstream`, upstream's form where it is broken (when REFUSED is set). */
  build(opts?: { asUpstream?: boolean }): App;
  readonly DIFFERENCES: Readonly<Record<string, string>>;
  /** What the library says about upstream's broken form (part of the error thrown at synth). */
  readonly REFUSED?: string;
}

const CORPUS = __dirname;
const PROGRAMS = fs.readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(CORPUS, d.name, 'program.ts')))
  .map((d) => d.name)
  .sort();

const load = (folder: string): Program => require(path.join(CORPUS, folder, 'program')) as Program;

/** The upstream NAD config of a folder, as text. */
function upstreamConfig(folder: string, nad: string): string {
  const o = readUpstream(path.join(CORPUS, folder)).find((x) => x.kind === 'NetworkAttachmentDefinition' && x.metadata.name === nad);
  if (!o) throw new Error(`no NAD ${nad} in ${folder}`);
  return o.spec.config;
}

/** The external networks SOURCE.md declares (a bare name is in `default`). */
function externalNads(folder: string): ExternalNad[] {
  const line = /^- External networks: (.*)$/m.exec(fs.readFileSync(path.join(CORPUS, folder, 'SOURCE.md'), 'utf8'))?.[1] ?? '';
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]).map((e) => {
    const slash = e.indexOf('/');
    return slash >= 0 ? { namespace: e.slice(0, slash), name: e.slice(slash + 1) } : { namespace: 'default', name: e };
  });
}

test('at least 10 deployments of the corpus are written with the typed API', () => {
  expect(PROGRAMS.length).toBeGreaterThanOrEqual(10);
});

describe.each(PROGRAMS)('%s', (folder) => {
  const program = load(folder);

  test('the NADs and workloads mean what upstream means, except the listed differences', () => {
    const yaml = program.build().synthYaml();
    const result = compareMeaning(readUpstream(path.join(CORPUS, folder)), readSynth(yaml));
    expect(result.nads).toBeGreaterThan(0);
    expect(result.workloads).toBeGreaterThan(0);
    expect([...result.differences].sort()).toEqual(Object.keys(program.DIFFERENCES).sort());
  });

  if (program.REFUSED !== undefined) {
    test('upstream\'s broken form is refused with a clear error', () => {
      expect(() => program.build({ asUpstream: true }).synthYaml()).toThrow(program.REFUSED);
    });
  }

  test('lint finds nothing in the program\'s output (with the external networks of SOURCE.md declared)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-corpus-')), `${folder}.yaml`);
    fs.writeFileSync(file, program.build().synthYaml());
    const r = lintManifests([file], { external: externalNads(folder) });
    expect(r.readProblems).toEqual([]);
    expect(r.findings.map((f) => `${f.severity} ${f.object} ${f.field}: ${f.message}`)).toEqual([]);
  });

  test('every listed difference says why', () => {
    for (const why of Object.values(program.DIFFERENCES)) expect(why).toMatch(/^(corrected|not expressible yet): ./);
  });

  test('synthesis is byte-identical from run to run', () => {
    expect(program.build().synthYaml()).toBe(program.build().synthYaml());
  });

  test('the program uses no unchecked escape hatch and no raw JSON patch', () => {
    const text = fs.readFileSync(path.join(CORPUS, folder, 'program.ts'), 'utf8');
    expect(text).not.toMatch(/UncheckedPlugin|UncheckedIpam|addJsonPatch|JsonPatch|CniConfig\.fromJson|[^a-z]config: '|k8s\.v1\.cni\.cncf\.io\/networks/);
  });
});

describe('upstream bugs: the library refuses the broken form, the program writes the corrected one', () => {
  test('antrea-multus-cookbook: whereabouts `datastore` (etcd backend, removed) is refused', () => {
    expect(() => CniConfig.fromJson(upstreamConfig('antrea-multus-cookbook', 'macvlan-conf'))).toThrow(
      "CNI config: 'ipam.datastore' belongs to the etcd backend, which whereabouts removed in 2022 (it keeps allocations in Kubernetes IPPool resources): got \"kubernetes\"; remove it; whereabouts finds the cluster through kubernetes.kubeconfig or its flat file");
  });

  test.each([
    ['onap-starlingx-vfw-sriov', 'sriov-device-unprotectednet'],
    ['sriov-device-plugin-examples', 'sriov-dpdk-net2000'],
  ])('%s: a config without cniVersion is reported (%s)', (folder, nad) => {
    const { problems } = lintCniConfig(upstreamConfig(folder, nad));
    expect(problems.map((p) => `${p.severity} ${p.field} ${p.message}`)).toContain('warning cniVersion is missing, which the plugins read as 0.1.0');
  });
});

describe('shapes Multus accepts and the library once refused: upstream\'s form is read and written as is', () => {
  test.each([
    // static IPAM without addresses nor the ips capability: Multus passes the pod's ips as CNI_ARGS IP=
    ['ovs-cni-demo', 'ovs-ipam-net'],
    // host-device with no device: Multus writes the device allocated for the NAD's resourceName into the config
    ['nvidia-network-operator-examples', 'example-hostdevice-network'],
  ])('%s: %s', (folder, nad) => {
    const text = upstreamConfig(folder, nad);
    expect(lintCniConfig(text).problems.filter((p) => p.severity === 'error')).toEqual([]);
    // a config without a name of its own takes the NAD's, as Multus does
    expect(CniConfig.fromJson(text).toJson({ name: nad })).toEqual({ name: nad, ...JSON.parse(text) });
  });
});
