import { Testing } from 'cdk8s';
import { buildExamples } from '../examples/main';
import { Recorder, Registration, installRecordingMocks } from './util/pulumi-mocks';

/**
 * Runs the Pulumi example program (examples/pulumi/index.ts) under mocks: it must register one
 * resource per object that `npx cdk8s synth` writes for the example charts, each identical to
 * the synthesized object, parented to the component, with every dependency registered first.
 */
let rec: Recorder;
let component: Registration;
let children: Registration[];
let program: { objects: string[] };

/** What `cdk8s synth` writes for the 5G example (the program's default chart), keyed like the component's resources. */
function synthesized(): Map<string, any> {
  const app = Testing.app();
  buildExamples(app);
  const out = new Map<string, any>();
  for (const chart of app.charts.filter((c) => c.node.id === 'five-g')) {
    for (const o of Testing.synth(chart)) {
      const ns = o.metadata.namespace;
      out.set(ns ? `${o.apiVersion}/${o.kind}/${ns}/${o.metadata.name}` : `${o.apiVersion}/${o.kind}/${o.metadata.name}`, o);
    }
  }
  return out;
}

beforeAll(async () => {
  rec = await installRecordingMocks();
  program = await import('../examples/pulumi/index');
  const expected = synthesized().size;
  // The provider, the component, and one resource per object (a missing one times the hook out).
  await rec.registered(expected + 2);
  component = rec.registrations.find((r) => r.type === 'cdk8s-nfv:index:Cdk8sDeployment')!;
  await rec.outputsRegistered(component.urn!);
  children = rec.registrations.filter((r) => r.parent === component.urn);
});

test('registers the provider, the component and nothing else at the top', () => {
  const top = rec.registrations.filter((r) => r.parent !== component.urn);
  expect(top.map((r) => r.type).sort()).toEqual(['cdk8s-nfv:index:Cdk8sDeployment', 'pulumi:providers:kubernetes']);
  expect(component.name).toBe('nfv-examples');
});

test('registers one resource per synthesized object, identical to it', () => {
  const expected = synthesized();
  expect(expected.size).toBeGreaterThan(0);
  expect(children).toHaveLength(expected.size);
  expect([...program.objects].sort()).toEqual([...expected.keys()].sort());
  const seen = new Set<string>();
  for (const c of children) {
    const o = c.inputs;
    const ns = o.metadata.namespace;
    const key = ns ? `${o.apiVersion}/${o.kind}/${ns}/${o.metadata.name}` : `${o.apiVersion}/${o.kind}/${o.metadata.name}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
    expect(o).toStrictEqual(expected.get(key));
    expect(c.type).toBe(`kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`);
    expect(c.custom).toBe(true);
  }
});

test('every object uses the configured provider', () => {
  const provider = rec.registrations.find((r) => r.type === 'pulumi:providers:kubernetes')!;
  for (const c of children) expect(c.provider.startsWith(`${provider.urn}::`)).toBe(true);
});

test('registers in a valid dependency order, NADs before the workloads that attach to them', () => {
  const order = new Map(rec.registrations.map((r) => [r.urn, r.order]));
  expect(children.some((c) => c.dependencies.length > 0)).toBe(true);
  for (const c of children) {
    for (const d of c.dependencies) {
      expect(order.has(d)).toBe(true);
      expect(order.get(d)!).toBeLessThan(c.order);
    }
  }
  // Every NAD a workload selects (and which the examples define) is among its dependencies.
  const { networkReferences, podTemplateOf } = require('../lib/pulumi/deployment-plan');
  const nads = new Map(children.filter((c) => c.inputs.kind === 'NetworkAttachmentDefinition')
    .map((c) => [`${c.inputs.metadata.namespace ?? ''}/${c.inputs.metadata.name}`, c.urn]));
  let checked = 0;
  for (const c of children) {
    const t = podTemplateOf(c.inputs);
    if (!t) continue;
    for (const ref of networkReferences(t.metadata?.annotations, c.inputs.metadata.namespace)) {
      if (!nads.has(ref)) continue;
      expect(c.dependencies).toContain(nads.get(ref));
      checked++;
    }
  }
  // Charts whose workloads select networks (the talk's ubuntu-host, the 5G functions) must depend on their NADs.
  if (children.some((c) => c.inputs.metadata.annotations?.['k8s.v1.cni.cncf.io/networks'] !== undefined
    || podTemplateOf(c.inputs)?.metadata?.annotations?.['k8s.v1.cni.cncf.io/networks'] !== undefined)) {
    expect(checked).toBeGreaterThan(0);
  }
});
