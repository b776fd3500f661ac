import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { buildKustomizeExample, CLUSTER_DEFAULT_NETWORK, KustomizeChart } from '../examples/kustomize/chart';
import { lintManifests, LintFinding } from '../lib/cli/lint';
import { ExitCode } from '../lib/cli/main';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION, POLICY_FOR_ANNOTATION } from '../lib/multus/selection-element';
import { runCli } from './util/cli';

/**
 * examples/kustomize: the synthesized user plane placed by `kubectl kustomize` in another
 * namespace with a name prefix, then linted. Every reference (networks annotations, policy-for,
 * default network, pod peers' namespaces) must resolve after kustomize moved and renamed things;
 * the forms that break must be caught by lint.
 */

const EXAMPLE = path.join(__dirname, '..', 'examples', 'kustomize');
const DIST = path.join(EXAMPLE, 'dist', 'kustomize.k8s.yaml');
const EXTERNAL = `${CLUSTER_DEFAULT_NETWORK.namespace}/${CLUSTER_DEFAULT_NETWORK.name}`;

/** How to run kustomize: `kubectl kustomize` (kubectl bundles it), else a standalone `kustomize build`; required when CI=true. */
function findKustomize(): string[] | undefined {
  if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) return ['kubectl', 'kustomize'];
  if (spawnSync('kustomize', ['version'], { encoding: 'utf8' }).status === 0) return ['kustomize', 'build'];
  return undefined;
}
const KUSTOMIZE = findKustomize();
const REQUIRED = process.env.CI === 'true';
const describeWithKubectl = KUSTOMIZE ? describe : describe.skip;
if (!KUSTOMIZE) console.log(`test/examples-kustomize.test.ts: skipped: neither kubectl nor kustomize is installed (${REQUIRED ? 'required when CI=true' : 'install kubectl 1.32 to run them'})`);

test('kustomize (kubectl kustomize, or kustomize build) is present when CI=true', () => {
  if (REQUIRED) expect(KUSTOMIZE).toBeDefined();
  else expect(REQUIRED).toBe(false);
});

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-kustomize-'));
  made.push(dir);
  return dir;
}

/** `kubectl kustomize dir`, written to a file of its own; returns the file and the objects. */
function kustomize(dir: string): { file: string; objects: any[] } {
  const [command, ...args] = KUSTOMIZE!;
  const text = execFileSync(command, [...args, dir], { encoding: 'utf8' });
  const file = path.join(tempDir(), 'kustomized.yaml');
  fs.writeFileSync(file, text);
  return { file, objects: YAML.parseAllDocuments(text).map((d) => d.toJS()) };
}

/** A kustomization in a temp dir over `manifest` (a copy of it: kustomize loads files under its root only). */
function overlay(manifest: string, kustomization: Record<string, unknown>, files: Record<string, unknown> = {}): string {
  const dir = tempDir();
  fs.copyFileSync(manifest, path.join(dir, 'base.yaml'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), YAML.stringify(content));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), YAML.stringify({ resources: ['base.yaml'], ...kustomization }));
  return dir;
}

/** The example synthesized into a temp dir (namespace-relative unless `relative` is false). */
function synth(relative: boolean = true): string {
  const app = new App({ outdir: tempDir() });
  if (relative) buildKustomizeExample(app);
  else new KustomizeChart(app, 'kustomize');
  app.synth();
  return path.join(app.outdir, 'kustomize.k8s.yaml');
}

function podTemplate(o: any): any {
  return o.kind === 'Pod' ? o : o.spec.template;
}

/** Every reference of the objects, resolved by hand as Multus and the policy daemon do: `kind namespace/name -> target` with whether it exists. */
function references(objects: any[]): { from: string; to: string; exists: boolean }[] {
  const nads = new Set(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  nads.add(EXTERNAL);
  const out: { from: string; to: string; exists: boolean }[] = [];
  const ref = (from: string, to: string) => out.push({ from, to, exists: nads.has(to) });
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
    if (o.kind === 'MultiNetworkPolicy') {
      for (const e of String(o.metadata.annotations[POLICY_FOR_ANNOTATION]).split(',')) ref(id, e.includes('/') ? e : `${o.metadata.namespace}/${e}`);
      continue;
    }
    const annotations = podTemplate(o)?.metadata?.annotations ?? {};
    for (const e of JSON.parse(annotations[NETWORKS_ANNOTATION] ?? '[]')) ref(id, `${e.namespace ?? o.metadata.namespace}/${e.name}`);
    // Multus looks a default network without namespace up in its own namespace
    for (const e of JSON.parse(annotations[DEFAULT_NETWORK_ANNOTATION] ?? '[]')) ref(id, `${e.namespace ?? 'kube-system'}/${e.name}`);
  }
  return out;
}

function summary(findings: readonly LintFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.object} ${f.field} ${JSON.stringify(f.value)}`);
}

test('dist/ is what the example synthesizes (node --import tsx examples/kustomize/chart.ts)', () => {
  expect(fs.readFileSync(synth(), 'utf8')).toBe(fs.readFileSync(DIST, 'utf8'));
});

test('the synthesized references are namespace-relative where the NAD is in the pod\'s namespace', () => {
  const objects = YAML.parseAllDocuments(fs.readFileSync(DIST, 'utf8')).map((d) => d.toJS());
  const upf = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'upf');
  expect(upf.spec.template.metadata.annotations).toEqual({
    [NETWORKS_ANNOTATION]: '[{"name":"n3","interface":"n3"},{"name":"n6","interface":"n6"}]',
    [DEFAULT_NETWORK_ANNOTATION]: '[{"name":"cluster-pods","namespace":"kube-system"}]',
  });
  expect(objects.filter((o) => o.kind === 'MultiNetworkPolicy').map((o) => o.metadata.annotations[POLICY_FOR_ANNOTATION])).toEqual(['n3', 'n3,n6']);
});

describeWithKubectl('kubectl kustomize examples/kustomize', () => {
  test('moves everything to prod, prefixes every name but the NADs\', and every reference resolves', () => {
    const { objects } = kustomize(EXAMPLE);
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Deployment prod/prod-gnb',
      'Deployment prod/prod-upf',
      'MultiNetworkPolicy prod/prod-upf-egress',
      'MultiNetworkPolicy prod/prod-upf-n3-gtpu-from-gnb',
      'NetworkAttachmentDefinition prod/n3',
      'NetworkAttachmentDefinition prod/n6',
    ]);
    expect(references(objects)).toEqual([
      { from: 'Deployment prod/prod-gnb', to: 'prod/n3', exists: true },
      { from: 'Deployment prod/prod-upf', to: 'prod/n3', exists: true },
      { from: 'Deployment prod/prod-upf', to: 'prod/n6', exists: true },
      { from: 'Deployment prod/prod-upf', to: EXTERNAL, exists: true },
      { from: 'MultiNetworkPolicy prod/prod-upf-egress', to: 'prod/n3', exists: true },
      { from: 'MultiNetworkPolicy prod/prod-upf-egress', to: 'prod/n6', exists: true },
      { from: 'MultiNetworkPolicy prod/prod-upf-n3-gtpu-from-gnb', to: 'prod/n3', exists: true },
    ]);
    // the pod peers name the namespace the pods are now in (the replacements of the kustomization)
    const peers = objects.filter((o) => o.kind === 'MultiNetworkPolicy')
      .flatMap((o) => [...(o.spec.ingress ?? []).flatMap((r: any) => r.from), ...(o.spec.egress ?? []).flatMap((r: any) => r.to)])
      .filter((p) => p.namespaceSelector);
    expect(peers.map((p) => p.namespaceSelector)).toEqual([
      { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } },
      { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } },
    ]);
  });

  test('lint finds nothing in the output, with the cluster\'s default network declared external', async () => {
    const { file } = kustomize(EXAMPLE);
    const report = lintManifests([file], { external: [CLUSTER_DEFAULT_NETWORK] });
    expect(report.readProblems).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.objects).toBe(6);
    expect((await runCli(['lint', file, '--external', EXTERNAL])).code).toBe(ExitCode.OK);
    // without the declaration the default network is reported: it is not in the output
    const bare = await runCli(['lint', file]);
    expect(bare.code).toBe(ExitCode.FAILED);
    expect(bare.out).toContain("Deployment prod/prod-upf: error: 'defaultNetwork.name' does not resolve to a NetworkAttachmentDefinition of the App in namespace kube-system: got \"cluster-pods\"");
  });

  test('without the replacements, the pod peers keep naming the old namespace: lint warns, naming where the pods are', () => {
    const prefix = YAML.parse(fs.readFileSync(path.join(EXAMPLE, 'kustomizeconfig', 'name-prefix.yaml'), 'utf8'));
    const { file } = kustomize(overlay(DIST, { namespace: 'prod', namePrefix: 'prod-', configurations: ['prefix.yaml'] }, { 'prefix.yaml': prefix }));
    const report = lintManifests([file], { external: [CLUSTER_DEFAULT_NETWORK] });
    expect(report.errors).toBe(0);
    expect(report.findings.map((f) => `${f.object}: ${f.field} ${f.message}: got ${JSON.stringify(f.value)}; ${f.fix}`)).toEqual([
      'MultiNetworkPolicy prod/prod-upf-egress: spec.egress[0].to[0].namespaceSelector names namespace nfv, where the inputs have no pod the peer selects; they run in prod: got "nfv"; '
        + 'name the namespace the pods run in (prod); when the manifests were moved (kustomize namespace:, a release namespace), move the peer\'s kubernetes.io/metadata.name too (examples/kustomize: replacements)',
      'MultiNetworkPolicy prod/prod-upf-n3-gtpu-from-gnb: spec.ingress[0].from[0].namespaceSelector names namespace nfv, where the inputs have no pod the peer selects; they run in prod: got "nfv"; '
        + 'name the namespace the pods run in (prod); when the manifests were moved (kustomize namespace:, a release namespace), move the peer\'s kubernetes.io/metadata.name too (examples/kustomize: replacements)',
    ]);
  });

  test('namePrefix without the prefix configuration renames the NADs: lint reports every reference it breaks', () => {
    const { file, objects } = kustomize(overlay(DIST, { namespace: 'prod', namePrefix: 'prod-' }));
    expect(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition').map((o) => o.metadata.name)).toEqual(['prod-n3', 'prod-n6']);
    const report = lintManifests([file], { external: [CLUSTER_DEFAULT_NETWORK] });
    const networks = `spec.template.metadata.annotations["${NETWORKS_ANNOTATION}"]`;
    const policyFor = `metadata.annotations["${POLICY_FOR_ANNOTATION}"]`;
    expect(summary(report.findings)).toEqual([
      `error Deployment prod/prod-gnb ${networks}[0].name "n3"`,
      `error Deployment prod/prod-upf ${networks}[0].name "n3"`,
      `error Deployment prod/prod-upf ${networks}[1].name "n6"`,
      `error MultiNetworkPolicy prod/prod-upf-egress ${policyFor}[0] "n3"`,
      `error MultiNetworkPolicy prod/prod-upf-egress ${policyFor}[1] "n6"`,
      // and without the replacements, the pod peers still name the namespace the pods left
      'warning MultiNetworkPolicy prod/prod-upf-egress spec.egress[0].to[0].namespaceSelector "nfv"',
      `error MultiNetworkPolicy prod/prod-upf-n3-gtpu-from-gnb ${policyFor}[0] "n3"`,
      'warning MultiNetworkPolicy prod/prod-upf-n3-gtpu-from-gnb spec.ingress[0].from[0].namespaceSelector "nfv"',
    ]);
    expect(report.findings[3].message).toBe('does not resolve to a NetworkAttachmentDefinition in namespace prod, so the policy is not enforced on it');
    expect(report.findings[3].fix).toBe("create NAD n3 in namespace prod (a bare name is a NAD of the policy's own namespace), name the NAD's namespace, or declare it as external (lint --external prod/n3)");
    expect(references(objects).filter((r) => !r.exists)).toHaveLength(6);
  });

  test('a nameReference configuration teaches kustomize a policy-for of one name, not a list, and never the JSON networks annotation', () => {
    const nameReference = {
      nameReference: [{
        kind: 'NetworkAttachmentDefinition',
        fieldSpecs: [{ kind: 'MultiNetworkPolicy', path: `metadata/annotations/${POLICY_FOR_ANNOTATION.replace('/', '\\/')}` }],
      }],
    };
    const { file, objects } = kustomize(overlay(DIST, { namespace: 'prod', namePrefix: 'prod-', configurations: ['nameref.yaml'] }, { 'nameref.yaml': nameReference }));
    const policyFor = Object.fromEntries(objects.filter((o) => o.kind === 'MultiNetworkPolicy').map((o) => [o.metadata.name, o.metadata.annotations[POLICY_FOR_ANNOTATION]]));
    expect(policyFor).toEqual({ 'prod-upf-n3-gtpu-from-gnb': 'prod-n3', 'prod-upf-egress': 'n3,n6' });
    const report = lintManifests([file], { external: [CLUSTER_DEFAULT_NETWORK] });
    expect(summary(report.findings).map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
      'error Deployment prod/prod-gnb',
      'error Deployment prod/prod-upf',
      'error Deployment prod/prod-upf',
      'error MultiNetworkPolicy prod/prod-upf-egress',
      'error MultiNetworkPolicy prod/prod-upf-egress',
      'warning MultiNetworkPolicy prod/prod-upf-egress',
      'warning MultiNetworkPolicy prod/prod-upf-n3-gtpu-from-gnb',
    ]);
  });

  test('without namespace-relative references, namespace: leaves every reference pointing at the old namespace: lint reports them', () => {
    const { file, objects } = kustomize(overlay(synth(false), { namespace: 'prod' }));
    expect(references(objects).filter((r) => !r.exists).map((r) => `${r.from} -> ${r.to}`)).toEqual([
      'Deployment prod/gnb -> nfv/n3',
      'Deployment prod/upf -> nfv/n3',
      'Deployment prod/upf -> nfv/n6',
      'MultiNetworkPolicy prod/upf-egress -> nfv/n3',
      'MultiNetworkPolicy prod/upf-egress -> nfv/n6',
      'MultiNetworkPolicy prod/upf-n3-gtpu-from-gnb -> nfv/n3',
    ]);
    const report = lintManifests([file], { external: [CLUSTER_DEFAULT_NETWORK] });
    expect(report.errors).toBe(6);
    expect(summary(report.findings).filter((s) => s.startsWith('error MultiNetworkPolicy'))).toEqual([
      `error MultiNetworkPolicy prod/upf-egress metadata.annotations["${POLICY_FOR_ANNOTATION}"][0] "nfv/n3"`,
      `error MultiNetworkPolicy prod/upf-egress metadata.annotations["${POLICY_FOR_ANNOTATION}"][1] "nfv/n6"`,
      `error MultiNetworkPolicy prod/upf-n3-gtpu-from-gnb metadata.annotations["${POLICY_FOR_ANNOTATION}"][0] "nfv/n3"`,
    ]);
  });
});
