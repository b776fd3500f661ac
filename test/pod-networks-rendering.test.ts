import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { AttachmentRendering } from '../lib/attachment-rendering';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { ATTACHMENT_RENDERING_CONTEXT, AttachmentRenderings } from '../lib/attachment-renderings';
import { NetworkFunction } from '../lib/network-function';
import { PodNetworks } from '../lib/pod-networks';
import { TopologyValidation } from '../lib/topology-validation';

const IMAGE = 'registry.example.com/upf:1.0.0';

interface Built {
  readonly app: App;
  readonly chart: Chart;
  readonly workload: ApiObject;
  readonly nets: PodNetworks;
  readonly n3: Network;
}

/** One UPF Deployment (a hand-made manifest) attached to N3 with a static address, in one rendering. */
function build(rendering: AttachmentRendering | undefined, replicas: number = 1): Built {
  const app = Testing.app();
  PreinstalledCniPlugins.fromProfile(new Chart(app, 'nodes'), 'NodePlugins', PluginsProfile.UPSTREAM);
  const chart = new Chart(app, 'core', { namespace: 'core' });
  const n3 = new Network(chart, 'N3', { plugin: NetworkPlugin.bridge({ bridge: 'br-n3' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.STATIC });
  const workload = new ApiObject(chart, 'Upf', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'upf' },
    spec: { replicas, selector: { matchLabels: { app: 'upf' } }, template: { metadata: { labels: { app: 'upf' } }, spec: { containers: [{ name: 'upf', image: IMAGE }] } } },
  });
  const nets = PodNetworks.of(workload, rendering === undefined ? undefined : { rendering });
  nets.attach(n3, { interface: 'n3', ips: ['10.3.0.5/24'], mac: '02:00:00:00:03:05' });
  return { app, chart, workload, nets, n3 };
}

const find = (objects: any[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

function synthErrors(app: App): string[] {
  try {
    app.synthYaml();
    return [];
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((l) => l.trim());
  }
}

describe('PodNetworks renderings: one logical attachment, NAD + annotation or DRA claim', () => {
  test('the default is the NAD and annotation rendering', () => {
    const b = build(undefined);
    expect(b.nets.rendering).toBe(AttachmentRendering.NAD_ANNOTATION);
    const objects = Testing.synth(b.chart);
    expect(JSON.parse(find(objects, 'Deployment')[0].spec.template.metadata.annotations[NETWORKS_ANNOTATION])).toEqual([
      { name: 'n3', namespace: 'core', interface: 'n3', ips: ['10.3.0.5/24'], mac: '02:00:00:00:03:05' },
    ]);
    expect(find(objects, 'ResourceClaimTemplate')).toEqual([]);
  });

  test('DRA_CNI writes a claim and the pod claim entry, no annotation; the attachment is the same', () => {
    const b = build(AttachmentRendering.DRA_CNI);
    expect(b.nets.rendering).toBe(AttachmentRendering.DRA_CNI);
    expect(b.nets.attachments.map((a) => [a.nadName, a.nadNamespace, a.interface])).toEqual([['n3', 'core', 'n3']]);
    const objects = Testing.synth(b.chart);
    const deployment = find(objects, 'Deployment')[0];
    expect(deployment.spec.template.metadata.annotations?.[NETWORKS_ANNOTATION]).toBeUndefined();
    expect(deployment.spec.template.spec.resourceClaims).toEqual([{ name: 'n3', resourceClaimTemplateName: 'upf-n3' }]);
    expect(find(objects, 'ResourceClaimTemplate').map((o) => o.metadata)).toEqual([{ name: 'upf-n3', namespace: 'core' }]);
  });

  test('both renderings give the same topology: the check runs on the model whatever the rendering', () => {
    const brief = (app: App) => TopologyValidation.of(app).topology().pods.map((p) => ({ name: p.name, namespace: p.namespace, path: p.path, replicas: p.replicas, attachments: p.attachments }));
    const annotated = brief(build(AttachmentRendering.NAD_ANNOTATION).app);
    expect(annotated).toEqual([{ name: 'upf', namespace: 'core', path: 'core/Upf', replicas: 1,
      attachments: [{ name: 'n3', namespace: 'core', interface: 'n3', ips: ['10.3.0.5/24'], mac: '02:00:00:00:03:05' }] }]);
    expect(brief(build(AttachmentRendering.DRA_CNI).app)).toEqual(annotated);
  });

  test('the claim carries the config the NAD rendering writes (the per-pod values as runtimeConfig); no NAD is derived for the logical network', () => {
    const annotated = Testing.synth(build(AttachmentRendering.NAD_ANNOTATION).chart);
    const dra = Testing.synth(build(AttachmentRendering.DRA_CNI).chart);
    const nadConfig = JSON.parse(find(annotated, 'NetworkAttachmentDefinition', 'n3')[0].spec.config);
    expect(find(dra, 'NetworkAttachmentDefinition')).toEqual([]);
    const params = find(dra, 'ResourceClaimTemplate')[0].spec.spec.devices.config[0].opaque.parameters;
    expect(params.ifName).toBe('n3');
    const runtime = params.config.plugins.map((p: any) => p.runtimeConfig);
    const stripped = { ...params.config, plugins: params.config.plugins.map(({ runtimeConfig: _rc, ...p }: any) => p) };
    expect(stripped).toEqual(nadConfig);
    expect(runtime[0]).toEqual({ ips: ['10.3.0.5/24'], mac: '02:00:00:00:03:05' });
  });

  test('a whole-topology error is the same in both renderings (a static address on 2 replicas)', () => {
    const expected = "[NfvTopologyValidation] [core/Upf] 'attachments[0].ips' is a static address on 2 replicas, which would all claim it: got [\"10.3.0.5/24\"]; use per-replica addressing (one address per replica), or a pool IPAM (host-local, whereabouts) without static ips";
    expect(synthErrors(build(AttachmentRendering.NAD_ANNOTATION, 2).app)).toContain(expected);
    expect(synthErrors(build(AttachmentRendering.DRA_CNI, 2).app)).toContain(expected);
  });

  test('refusals in the house style: another rendering for the same workload, a bad value, Multus-only options, the default network', () => {
    const b = build(AttachmentRendering.DRA_CNI);
    expect(PodNetworks.of(b.workload)).toBe(b.nets);
    expect(PodNetworks.of(b.workload, { rendering: AttachmentRendering.DRA_CNI })).toBe(b.nets);
    expect(() => PodNetworks.of(b.workload, { rendering: AttachmentRendering.NAD_ANNOTATION })).toThrow(
      "PodNetworks.of: 'rendering' differs from the rendering of the workload's networks: got \"nad-annotation\"; the networks of core/Upf are rendered as \"dra-cni\": choose the rendering at the first PodNetworks.of");
    expect(() => PodNetworks.of(b.workload, { rendering: 'dra' as any })).toThrow(
      "PodNetworks.of: 'rendering' must be an AttachmentRendering: got \"dra\"; use one of AttachmentRendering.NAD_ANNOTATION, AttachmentRendering.DRA_CNI, AttachmentRendering.DRA_SRIOV, AttachmentRendering.DRA_DRANET");
    expect(() => b.nets.attach(b.n3, { interface: 'n3b', devices: 2 })).toThrow(
      "PodNetworks core/Upf attachment 1: 'devices' cannot be rendered as a DRA claim: got 2; a claim allocates the devices of its request: leave devices out, or use AttachmentRendering.NAD_ANNOTATION for this workload");
    expect(() => b.nets.attach(b.n3, { interface: 'n3b', cniArgs: { x: '1' } })).toThrow(/'cniArgs' cannot be rendered for cni-dra-driver/);
    expect(() => b.nets.setDefaultNetwork(b.n3.nadFor('core'))).toThrow(
      "PodNetworks core/Upf: 'defaultNetwork' cannot be rendered as a DRA claim: got core/N3/core; the default-network override is done by Multus: use AttachmentRendering.NAD_ANNOTATION for this workload");
    expect(b.nets.attachments).toHaveLength(1);
  });
});

describe('the App picks the default rendering (issue 17 item 1); a workload or function may give its own', () => {
  /** An App with the default set by `set`, a chart with N3 and a hand-made Deployment named `name`. */
  function app(set?: (a: App) => void, context?: Record<string, unknown>) {
    const a = Testing.app();
    for (const [k, v] of Object.entries(context ?? {})) a.node.setContext(k, v);
    set?.(a);
    const chart = new Chart(a, 'core', { namespace: 'core' });
    PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
    const n3 = new Network(chart, 'N3', { plugin: NetworkPlugin.bridge({ bridge: 'br-n3' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.STATIC });
    const deployment = (name: string) => new ApiObject(chart, name, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: name.toLowerCase() },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: IMAGE }] } } },
    });
    return { app: a, chart, n3, deployment };
  }
  const hasClaims = (w: ApiObject) => w.node.tryFindChild('NfvDraClaims') !== undefined;

  test('AttachmentRenderings.setDefault: workloads without a rendering of their own get it; PodNetworks.of and NetworkFunction may choose another', () => {
    const b = app((a) => AttachmentRenderings.setDefault(a, AttachmentRendering.DRA_CNI));
    const byDefault = b.deployment('Upf');
    const own = b.deployment('Smf');
    expect(PodNetworks.of(byDefault).rendering).toBe(AttachmentRendering.DRA_CNI);
    expect(hasClaims(byDefault)).toBe(true);
    expect(PodNetworks.of(own, { rendering: AttachmentRendering.NAD_ANNOTATION }).rendering).toBe(AttachmentRendering.NAD_ANNOTATION);
    expect(hasClaims(own)).toBe(false);
    const fnDefault = new NetworkFunction(b.chart, 'Amf', { containers: [{ name: 'amf', image: IMAGE }] });
    const fnOwn = new NetworkFunction(b.chart, 'Nrf', { containers: [{ name: 'nrf', image: IMAGE }], rendering: AttachmentRendering.NAD_ANNOTATION });
    expect([fnDefault.rendering, fnOwn.rendering]).toEqual([AttachmentRendering.DRA_CNI, AttachmentRendering.NAD_ANNOTATION]);
    expect(AttachmentRenderings.defaultOf(b.chart)).toBe(AttachmentRendering.DRA_CNI);
    // another App keeps the library's default
    expect(AttachmentRenderings.defaultOf(Testing.app())).toBe(AttachmentRendering.NAD_ANNOTATION);
  });

  test('the context key cdk8s-nfv:attachmentRendering sets it too (app.node.setContext before the first child), read once and checked', () => {
    expect(ATTACHMENT_RENDERING_CONTEXT).toBe('cdk8s-nfv:attachmentRendering');
    const b = app(undefined, { [ATTACHMENT_RENDERING_CONTEXT]: 'dra-cni' });
    expect(PodNetworks.of(b.deployment('Upf')).rendering).toBe(AttachmentRendering.DRA_CNI);
    const bad = app(undefined, { [ATTACHMENT_RENDERING_CONTEXT]: 'dra' });
    expect(() => PodNetworks.of(bad.deployment('Upf'))).toThrow(
      "App context: 'cdk8s-nfv:attachmentRendering' is not an AttachmentRendering: got \"dra\"; use one of \"nad-annotation\", \"dra-cni\", \"dra-sriov\", \"dra-dranet\"");
    // a workload that names its rendering does not read the App's default
    expect(PodNetworks.of(bad.deployment('Smf'), { rendering: AttachmentRendering.NAD_ANNOTATION }).rendering).toBe(AttachmentRendering.NAD_ANNOTATION);
  });

  test('without a default: NAD_ANNOTATION; setting another default after it was read is refused, the same one again is fine', () => {
    const b = app();
    const nets = PodNetworks.of(b.deployment('Upf'));
    expect(nets.rendering).toBe(AttachmentRendering.NAD_ANNOTATION);
    AttachmentRenderings.setDefault(b.app, AttachmentRendering.NAD_ANNOTATION);
    expect(() => AttachmentRenderings.setDefault(b.chart, AttachmentRendering.DRA_CNI)).toThrow(
      "AttachmentRenderings.setDefault: 'rendering' differs from the default the App's workloads were already rendered with (\"nad-annotation\"): got \"dra-cni\"; "
      + 'set the default before the first PodNetworks.of or NetworkFunction, or give the rendering per workload');
    expect(() => AttachmentRenderings.setDefault(Testing.app(), 'dra' as any)).toThrow(
      "AttachmentRenderings.setDefault: 'rendering' is not an AttachmentRendering: got \"dra\"; use one of \"nad-annotation\", \"dra-cni\", \"dra-sriov\", \"dra-dranet\"");
  });

  test('NetworkFunction rendering is checked with its props', () => {
    const b = app();
    expect(() => new NetworkFunction(b.chart, 'Amf', { containers: [{ name: 'amf', image: IMAGE }], rendering: 'dra' as any })).toThrow(
      "NetworkFunction core/Amf: 'rendering' must be one of \"nad-annotation\", \"dra-cni\", \"dra-sriov\", \"dra-dranet\": got \"dra\"; use a value of AttachmentRendering: one of \"nad-annotation\", \"dra-cni\", \"dra-sriov\", \"dra-dranet\"");
    // a wrapped workload whose networks exist already keeps their rendering: another is refused
    const w = b.deployment('Upf');
    PodNetworks.of(w, { rendering: AttachmentRendering.DRA_CNI });
    expect(() => new NetworkFunction(b.chart, 'Wrapped', { workload: w, rendering: AttachmentRendering.NAD_ANNOTATION })).toThrow(
      /^PodNetworks.of: 'rendering' differs from the rendering of the workload's networks: got "nad-annotation"; /);
    expect(new NetworkFunction(b.chart, 'Same', { workload: w }).rendering).toBe(AttachmentRendering.DRA_CNI);
  });
});
