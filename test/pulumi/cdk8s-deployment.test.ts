import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, HostLocalIpam, MacvlanPlugin, NetworkAttachmentDefinition, PluginsProfile } from '../../lib';
import { PreinstalledCniPlugins } from '../../lib/installers';
import { Recorder, Registration, installRecordingMocks, urnsOf } from '../util/pulumi-mocks';

// The module under test is loaded only after the mocks are installed (see beforeAll).
type PulumiModule = typeof import('../../lib/pulumi');
type K8sModule = typeof import('@pulumi/kubernetes');
let nfv: PulumiModule;
let k8s: K8sModule;
let rec: Recorder;

beforeAll(async () => {
  rec = await installRecordingMocks();
  nfv = await import('../../lib/pulumi');
  k8s = await import('@pulumi/kubernetes');
});

const NS = 'nfv';

/** A chart with a Namespace, the NAD CRD, two NADs, a ConfigMap, a Deployment and a DaemonSet. */
function buildChart(app: App = Testing.app(), id = 'net'): Chart {
  const chart = new Chart(app, id);
  // The nodes have the upstream plugins (macvlan, host-local): a declaration, no object.
  PreinstalledCniPlugins.fromProfile(chart, 'Preinstalled', PluginsProfile.UPSTREAM);
  new kplus.Namespace(chart, 'Ns', { metadata: { name: NS } });
  new Include(chart, 'NadCrd', { url: path.join(__dirname, '..', '..', 'crds', 'network-attachment-definition.yaml') });
  new NetworkAttachmentDefinition(chart, 'DataNet', {
    metadata: { name: 'data-net', namespace: NS },
    config: CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam: HostLocalIpam.subnet('10.1.0.0/24') })]),
  });
  new NetworkAttachmentDefinition(chart, 'CtrlNet', {
    metadata: { name: 'ctrl-net', namespace: NS },
    config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.2.0.0/24') })]),
  });
  const cm = new kplus.ConfigMap(chart, 'Settings', { metadata: { name: 'upf-settings', namespace: NS }, data: { mode: 'n3' } });
  const upf = new kplus.Deployment(chart, 'Upf', { metadata: { name: 'upf', namespace: NS }, replicas: 1 });
  upf.addContainer({ image: 'registry.example/upf:1.0', securityContext: { ensureNonRoot: false } });
  upf.addVolume(kplus.Volume.fromConfigMap(chart, 'SettingsVolume', cm));
  upf.podMetadata.addAnnotation('k8s.v1.cni.cncf.io/networks', JSON.stringify([{ name: 'data-net', namespace: NS, interface: 'n3' }]));
  const agent = new kplus.DaemonSet(chart, 'Agent', { metadata: { name: 'agent', namespace: NS } });
  agent.addContainer({ image: 'registry.example/agent:1.0', securityContext: { ensureNonRoot: false } });
  agent.podMetadata.addAnnotation('k8s.v1.cni.cncf.io/networks', `${NS}/ctrl-net@ctrl0`);
  return chart;
}

/** The token of an object's resource: typed classes use `core/v1` for the core group. */
function tokenOf(obj: { apiVersion: string; kind: string }): string {
  return `kubernetes:${obj.apiVersion.includes('/') ? obj.apiVersion : `core/${obj.apiVersion}`}:${obj.kind}`;
}

/**
 * Creates a component and waits until it, its children and its outputs are registered. `children`
 * lists the child registrations in the component's plan order (the order it created them; the
 * engine may receive independent ones in another order).
 */
async function deploy(name: string, args: import('../../lib/pulumi').Cdk8sDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
  const component = new nfv.Cdk8sDeployment(name, args, opts);
  const [urn, ...childUrns] = await urnsOf([component, ...component.plan.map((p) => component.resources[p.key])]);
  await rec.outputsRegistered(urn);
  const children = childUrns.map((u) => rec.byUrn(u));
  expect(rec.registrations.filter((r) => r.parent === urn)).toHaveLength(children.length);
  return { component, urn, self: rec.byUrn(urn), children };
}

function byKind(children: Registration[], kind: string, name: string): Registration {
  const r = children.find((c) => c.inputs.kind === kind && c.inputs.metadata.name === name);
  if (!r) throw new Error(`no ${kind} ${name}`);
  return r;
}

describe('Cdk8sDeployment', () => {
  test('registers one resource per synthesized object, identical to chart.toJson(), in chart order', async () => {
    const chart = buildChart();
    const expected = Testing.synth(chart);
    const { component, self, children } = await deploy('same', { charts: [chart] });

    expect(self.type).toBe('cdk8s-nfv:index:Cdk8sDeployment');
    expect(self.custom).toBe(false);
    expect(self.inputs).toEqual({});
    expect(expected.map((o) => o.kind)).toEqual(
      ['Namespace', 'CustomResourceDefinition', 'NetworkAttachmentDefinition', 'NetworkAttachmentDefinition', 'ConfigMap', 'Deployment', 'DaemonSet']);
    expect(children).toHaveLength(expected.length);
    // The Namespace and the CRD come first; without other constraints, the chart's order holds.
    expect(children.map((c) => c.inputs)).toStrictEqual(expected);
    for (const [i, obj] of expected.entries()) {
      expect(children[i].type).toBe(tokenOf(obj));
      expect(children[i].custom).toBe(true);
    }
    expect(children.map((c) => c.type)).toEqual([
      'kubernetes:core/v1:Namespace',
      'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition',
      'kubernetes:k8s.cni.cncf.io/v1:NetworkAttachmentDefinition',
      'kubernetes:k8s.cni.cncf.io/v1:NetworkAttachmentDefinition',
      'kubernetes:core/v1:ConfigMap',
      'kubernetes:apps/v1:Deployment',
      'kubernetes:apps/v1:DaemonSet',
    ]);
    // The NAD config is the CNI JSON the model wrote, unchanged.
    expect(JSON.parse(byKind(children, 'NetworkAttachmentDefinition', 'data-net').inputs.spec.config)).toEqual({
      cniVersion: '1.0.0', name: 'data-net',
      plugins: [{ type: 'macvlan', master: 'eth0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }],
    });
    expect(Object.keys(component.resources)).toEqual([
      'v1/Namespace/nfv',
      'apiextensions.k8s.io/v1/CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io',
      'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/nfv/data-net',
      'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/nfv/ctrl-net',
      'v1/ConfigMap/nfv/upf-settings',
      'apps/v1/Deployment/nfv/upf',
      'apps/v1/DaemonSet/nfv/agent',
    ]);
  });

  test('names resources <name>-<kind>[.<group>]-[<namespace>/]<name>, independent of the other objects', async () => {
    const { children } = await deploy('names', { charts: [buildChart()] });
    expect(children.map((c) => c.name)).toEqual([
      'names-namespace-nfv',
      'names-customresourcedefinition.apiextensions.k8s.io-network-attachment-definitions.k8s.cni.cncf.io',
      'names-networkattachmentdefinition.k8s.cni.cncf.io-nfv/data-net',
      'names-networkattachmentdefinition.k8s.cni.cncf.io-nfv/ctrl-net',
      'names-configmap-nfv/upf-settings',
      'names-deployment.apps-nfv/upf',
      'names-daemonset.apps-nfv/agent',
    ]);

    // One more object, declared first: every existing resource keeps its name.
    const app = Testing.app();
    const extra = new Chart(app, 'first');
    new kplus.ConfigMap(extra, 'Extra', { metadata: { name: 'extra', namespace: NS } });
    const more = await deploy('names2', { app: (buildChart(app), app) });
    const renamed = (n: string) => n.replace(/^names2-/, 'names-');
    expect(more.children.map((c) => renamed(c.name))).toEqual(expect.arrayContaining(children.map((c) => c.name)));
    expect(more.children).toHaveLength(children.length + 1);
  });

  test('orders through dependsOn: namespace -> objects, CRD -> NADs, NAD and ConfigMap -> workloads', async () => {
    const { children } = await deploy('order', { charts: [buildChart()] });
    const urnOf = (kind: string, name: string) => byKind(children, kind, name).urn!;
    const ns = urnOf('Namespace', NS);
    const crd = urnOf('CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io');
    const dataNet = urnOf('NetworkAttachmentDefinition', 'data-net');
    const ctrlNet = urnOf('NetworkAttachmentDefinition', 'ctrl-net');
    const cm = urnOf('ConfigMap', 'upf-settings');
    const deps = (kind: string, name: string) => [...byKind(children, kind, name).dependencies].sort();

    expect(deps('Namespace', NS)).toEqual([]);
    expect(deps('CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io')).toEqual([]);
    expect(deps('NetworkAttachmentDefinition', 'data-net')).toEqual([ns, crd].sort());
    expect(deps('NetworkAttachmentDefinition', 'ctrl-net')).toEqual([ns, crd].sort());
    expect(deps('ConfigMap', 'upf-settings')).toEqual([ns]);
    // JSON form of the networks annotation, and the ConfigMap volume.
    expect(deps('Deployment', 'upf')).toEqual([ns, dataNet, cm].sort());
    // Short form `nfv/ctrl-net@ctrl0`.
    expect(deps('DaemonSet', 'agent')).toEqual([ns, ctrlNet].sort());

    // Every dependency reached the engine before its dependent.
    for (const c of children) {
      for (const d of c.dependencies) expect(rec.byUrn(d).order).toBeLessThan(c.order);
    }
  });

  test('follows the dependencies the constructs declare (addDependency), across charts', async () => {
    const app = Testing.app();
    const late = new Chart(app, 'late');
    const early = new Chart(app, 'early');
    const a = new kplus.ConfigMap(late, 'A', { metadata: { name: 'a' } });
    const b = new kplus.ConfigMap(early, 'B', { metadata: { name: 'b' } });
    const c = new kplus.ConfigMap(early, 'C', { metadata: { name: 'c' } });
    b.node.addDependency(c);
    late.addDependency(early);
    const { children } = await deploy('constructs', { charts: [late, early] });
    const urn = (name: string) => byKind(children, 'ConfigMap', name).urn!;
    expect(children.map((x) => x.inputs.metadata.name)).toEqual(['c', 'b', 'a']);
    expect([...byKind(children, 'ConfigMap', 'a').dependencies].sort()).toEqual([urn('b'), urn('c')].sort());
    expect(byKind(children, 'ConfigMap', 'b').dependencies).toEqual([urn('c')]);
    expect(a.name).toBe('a');
  });

  test('parents every child to the component', async () => {
    const { urn, self, children } = await deploy('parents', { charts: [buildChart()] });
    expect(children).toHaveLength(7);
    expect(self.parent).toBe('');
    for (const c of children) expect(c.parent).toBe(urn);
    expect(urn).toMatch(/::cdk8s-nfv:index:Cdk8sDeployment::parents$/);
  });

  test('retains CRDs on delete by default, and not with the opt-out', async () => {
    const kept = await deploy('kept', { charts: [buildChart()] });
    expect(kept.component.retainCustomResourceDefinitions).toBe(true);
    expect(byKind(kept.children, 'CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io').retainOnDelete).toBe(true);
    expect(kept.children.filter((c) => c.retainOnDelete === true).map((c) => c.inputs.kind)).toEqual(['CustomResourceDefinition']);

    const dropped = await deploy('dropped', { charts: [buildChart()], retainCustomResourceDefinitions: false });
    expect(dropped.component.retainCustomResourceDefinitions).toBe(false);
    expect(byKind(dropped.children, 'CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io').retainOnDelete).toBe(false);
  });

  test('passes provider, protect, ignoreChanges, retainOnDelete and transformations through to every child', async () => {
    const provider = new k8s.Provider('lab-cluster', { context: 'kind-lab' });
    const [providerUrn] = await urnsOf([provider]);
    const labelAll: pulumi.ResourceTransformation = (t) => (t.props.metadata
      ? { props: { ...t.props, metadata: { ...t.props.metadata, labels: { ...t.props.metadata.labels, team: 'ran' } } }, opts: t.opts }
      : undefined);
    const { children } = await deploy('opts', { charts: [buildChart()] }, {
      provider, protect: true, ignoreChanges: ['metadata.annotations'], retainOnDelete: true, transformations: [labelAll],
    });
    expect(children).toHaveLength(7);
    for (const c of children) {
      expect(c.provider.startsWith(`${providerUrn}::`)).toBe(true);
      expect(c.protect).toBe(true);
      expect(c.ignoreChanges).toEqual(['metadata.annotations']);
      expect(c.retainOnDelete).toBe(true);
      expect(c.inputs.metadata.labels).toEqual(expect.objectContaining({ team: 'ran' }));
    }
  });

  test('lets a user resource beside the component wait for all of it', async () => {
    const { component, children } = await deploy('base', { charts: [buildChart()] });
    const after = new k8s.core.v1.ConfigMap('after-nfv', { metadata: { name: 'after', namespace: NS }, data: { ready: 'yes' } }, { dependsOn: [component] });
    const [afterUrn] = await urnsOf([after]);
    expect([...rec.byUrn(afterUrn).dependencies].sort()).toEqual(children.map((c) => c.urn).sort());
  });

  test('children also wait for what the component waits for', async () => {
    const first = new k8s.core.v1.Namespace('pre-ns', { metadata: { name: 'pre' } });
    const [firstUrn] = await urnsOf([first]);
    const { children } = await deploy('waits', { charts: [buildChart()] }, { dependsOn: [first] });
    for (const c of children) expect(c.dependencies).toContain(firstUrn);
  });

  test('exposes resources by key and by kind and name, and registers them as outputs', async () => {
    const { component, urn, children } = await deploy('outputs', { charts: [buildChart()] });
    const upf = component.getResource('Deployment', 'upf', NS);
    expect(upf).toBe(component.resources['apps/v1/Deployment/nfv/upf']);
    expect(upf).toBeInstanceOf(k8s.apps.v1.Deployment);
    expect(component.getResource('apiextensions.k8s.io/v1/CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io'))
      .toBeInstanceOf(k8s.apiextensions.v1.CustomResourceDefinition);
    expect(component.getResource('NetworkAttachmentDefinition', 'data-net', NS)).toBeInstanceOf(k8s.apiextensions.CustomResource);
    const [upfUrn] = await urnsOf([upf]);
    expect(upfUrn).toBe(byKind(children, 'Deployment', 'upf').urn);

    const outputs = rec.outputs.get(urn) as { resources: Record<string, unknown> };
    expect(Object.keys(outputs.resources).sort()).toEqual(Object.keys(component.resources).sort());
    expect(Object.keys(outputs.resources)).toHaveLength(7);
  });

  test('fails on an unknown or ambiguous lookup, naming what exists', async () => {
    const app = Testing.app();
    const chart = new Chart(app, 'policies');
    new ApiObject(chart, 'K8s', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: NS }, spec: { podSelector: {} } });
    new ApiObject(chart, 'Calico', { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: NS }, spec: {} });
    const { component, children } = await deploy('lookup', { charts: [chart] });
    expect(children.map((c) => c.type)).toEqual(['kubernetes:networking.k8s.io/v1:NetworkPolicy', 'kubernetes:crd.projectcalico.org/v1:NetworkPolicy']);
    expect(children.map((c) => c.name)).toEqual(['lookup-networkpolicy.networking.k8s.io-nfv/deny', 'lookup-networkpolicy.crd.projectcalico.org-nfv/deny']);
    expect(() => component.getResource('NetworkPolicy', 'deny', NS))
      .toThrow(/^'kind' matches objects of more than one API group: got "NetworkPolicy"; write <apiVersion>\/<kind>, one of networking\.k8s\.io\/v1\/NetworkPolicy, crd\.projectcalico\.org\/v1\/NetworkPolicy$/);
    expect(component.getResource('crd.projectcalico.org/v1/NetworkPolicy', 'deny', NS)).toBeInstanceOf(k8s.apiextensions.CustomResource);
    expect(() => component.getResource('NetworkPolicy', 'allow', NS))
      .toThrow(/^'kind\/namespace\/name' matches no object of this deployment: got "NetworkPolicy\/nfv\/allow"; objects of that kind: /);
    expect(() => component.getResource('NetworkPolicy', 'deny'))
      .toThrow(/matches no object of this deployment: got "NetworkPolicy\/deny"/);
  });

  test('fails without charts', () => {
    expect(() => new nfv.Cdk8sDeployment('none', {}))
      .toThrow(/^'charts' and 'app' hold no chart: got \{"charts":0\}; pass the charts to deploy or the App that holds them$/);
    expect(() => new nfv.Cdk8sDeployment('empty-app', { app: Testing.app() }))
      .toThrow(/^'charts' and 'app' hold no chart: got \{"charts":0,"app":"an app without charts"\}/);
  });

  test.each([
    ['args not an object', 'nope', /'props' must be an object of Cdk8sDeployment/],
    ['an unknown arg', { app: undefined, charts: [], chart: 1 }, /'chart' is not a prop of Cdk8sDeployment: got 1; remove it; the props of Cdk8sDeployment are 'charts', 'app', 'retainCustomResourceDefinitions', 'awaitReadiness', 'skipAwait', 'deletionPropagation'/],
    ['charts as a string', { charts: 'five-g' }, /'charts' must be a list, each item a cdk8s Chart: got "five-g"/],
    ['a chart that is not a Chart', { charts: [{ id: 'x' }] }, /'charts\[0\]' must be a cdk8s Chart: got \{"id":"x"\}; pass Chart instances, or the App as 'app'/],
    ['app that is not an App', { app: 'app' }, /'app' must be a cdk8s App: got "app"; pass the App whose charts to deploy/],
    ['retainCustomResourceDefinitions as a string', { app: undefined, retainCustomResourceDefinitions: 'yes' }, /'retainCustomResourceDefinitions' must be true or false: got "yes"/],
    ['deletionPropagation unknown', { deletionPropagation: 'later' }, /'deletionPropagation' must be one of "foreground", "background", "orphan": got "later"/],
  ])('refuses %s at runtime, in the house style', (_what, args, message) => {
    expect(() => new nfv.Cdk8sDeployment('bad', args as any)).toThrow(message);
  });

  test('fails on the same object in two charts', () => {
    const app = Testing.app();
    for (const id of ['one', 'two']) new kplus.ConfigMap(new Chart(app, id), 'Cm', { metadata: { name: 'same', namespace: NS } });
    expect(() => new nfv.Cdk8sDeployment('dup', { app }))
      .toThrow(/^'charts\[two\]\[0\]' appears twice in the deployment: got "v1\/ConfigMap\/nfv\/same"; /);
  });

  test('fails on a top-level field the typed class would drop, instead of deploying something else', () => {
    const chart = new Chart(Testing.app(), 'bad');
    new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' }, status: { phase: 'x' } } as any);
    expect(() => new nfv.Cdk8sDeployment('bad', { charts: [chart] }))
      .toThrow(/^'charts\[bad\]\[0\]\.status' is not a field of v1 ConfigMap that Pulumi sends: got \{"phase":"x"\}; remove it from the object \(write only binaryData, data, immutable, metadata\)$/);
  });

  test('fails when cdk8s validation fails, like cdk8s synth', () => {
    const chart = new Chart(Testing.app(), 'invalid');
    chart.node.addValidation({ validate: () => ['the chart is broken'] });
    expect(() => new nfv.Cdk8sDeployment('invalid', { charts: [chart] })).toThrow(/Validation failed with the following errors:\n {2}\[invalid\] the chart is broken/);
  });
});

test('Pulumi stays optional: nothing outside lib/pulumi imports Pulumi or lib/pulumi', () => {
  const fs = require('fs') as typeof import('fs');
  const libDir = path.join(__dirname, '..', '..', 'lib');
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== path.join(libDir, 'pulumi')) walk(p);
      } else if (p.endsWith('.ts')) {
        const imports = [...fs.readFileSync(p, 'utf8').matchAll(/(?:from\s+|require\()\s*'([^']+)'/g)].map((m) => m[1]);
        if (imports.some((i) => i.startsWith('@pulumi/') || /(^|\/)pulumi(\/|$)/.test(i))) offenders.push(path.relative(libDir, p));
      }
    }
  };
  walk(libDir);
  expect(fs.existsSync(path.join(libDir, 'index.ts'))).toBe(true);
  expect(offenders).toEqual([]);
});
