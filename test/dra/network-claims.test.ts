import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as kplus27 from 'cdk8s-plus-27';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { DraDeviceClass, DraNetworkClaims } from '../../lib/dra/network-claims';
import { networkClaimProblems } from '../../lib/dra/network-claim-checks';
import { podClaimProblems } from '../../lib/dra/resource-claim';
import { PodNetworks } from '../../lib/pod-networks';
import { CniConfig } from '../../lib/cni/config';
import { CniCapability } from '../../lib/cni/common';
import { MacvlanMode, MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';

function setup() {
  const chart = Testing.chart();
  const n3 = new Network(chart, 'N3', { name: 'n3', plugin: NetworkPlugin.macvlan({ uplink: 'eth2', mode: MacvlanMode.BRIDGE }), subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'], ipam: IpamMode.STATIC });
  const n4 = new Network(chart, 'N4', { name: 'n4', plugin: NetworkPlugin.bridge({ bridge: 'br-n4' }), subnets: ['10.4.0.0/24'], ipam: IpamMode.HOST_LOCAL });
  const upf = new kplus.Deployment(chart, 'Upf', { metadata: { name: 'upf', namespace: 'fivegc-up' }, replicas: 1, containers: [{ image: 'docker.io/openverso/open5gs:2.7.2' }] });
  return { chart, n3, n4, upf };
}

const byKind = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

/** The NAD configs the annotation rendering writes for the same attachments of the UPF (a separate App). */
function annotationNadConfigs(attachments: [string, any][]): Map<string, unknown> {
  const s = setup();
  const nets = PodNetworks.of(s.upf);
  for (const [n, o] of attachments) nets.attach((s as any)[n], o);
  return new Map(byKind(Testing.synth(s.chart), 'NetworkAttachmentDefinition').map((n) => [n.metadata.name, JSON.parse(n.spec.config)]));
}

describe('DraNetworkClaims: attachments of a workload as cni-dra-driver claims', () => {
  test('each attachment is a ResourceClaimTemplate carrying the NAD\'s spec.config with the per-pod values, and a pod resourceClaims entry', () => {
    const { chart, n3, n4, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'UpfClaims', { workload: upf });
    claims.attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    claims.attach(n4, { interface: 'n4' });
    const objs = Testing.synth(chart);

    const deployment = byKind(objs, 'Deployment')[0];
    expect(deployment.spec.template.spec.resourceClaims).toEqual([
      { name: 'n3', resourceClaimTemplateName: 'upf-n3' },
      { name: 'n4', resourceClaimTemplateName: 'upf-n4' },
    ]);
    expect(deployment.spec.template.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].resources.claims).toBeUndefined();

    const templates = byKind(objs, 'ResourceClaimTemplate');
    expect(templates.map((t) => [t.metadata.name, t.metadata.namespace])).toEqual([['upf-n3', 'fivegc-up'], ['upf-n4', 'fivegc-up']]);
    // rendered from the model: no NAD is derived for the logical networks
    expect(byKind(objs, 'NetworkAttachmentDefinition')).toEqual([]);
    const annotated = annotationNadConfigs([['n3', { interface: 'n3', ips: ['10.3.0.20/24'] }], ['n4', { interface: 'n4' }]]);
    for (const [i, name] of ['n3', 'n4'].entries()) {
      const params = templates[i].spec.spec.devices.config[0].opaque.parameters;
      // the claim's config is the NAD's the annotation rendering writes, plus what Multus would inject for the pod
      const withoutRuntime = { ...params.config, plugins: params.config.plugins.map(({ runtimeConfig, ...p }: any) => p) };
      expect(withoutRuntime).toEqual(annotated.get(name));
      expect(params.ifName).toBe(name);
    }
    expect(templates[0].spec.spec.devices.config[0].opaque.parameters.config.plugins[0].runtimeConfig).toEqual({ ips: ['10.3.0.20/24'] });
    expect(templates[1].spec.spec.devices.config[0].opaque.parameters.config.plugins[0].runtimeConfig).toBeUndefined();
    for (const t of templates) expect(networkClaimProblems(t.spec.spec)).toEqual([]);
    expect(podClaimProblems(deployment.spec.template.spec, { templates: new Set(templates.map((t) => t.metadata.name)) })).toEqual([]);
  });

  test('synth is byte-identical across two builds', () => {
    const build = () => {
      const { chart, n3, upf } = setup();
      new DraNetworkClaims(chart, 'C', { workload: upf }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(build()).toBe(build());
  });

  test('an owned device class is written out and named by the requests', () => {
    const { chart, n4, upf } = setup();
    new DraNetworkClaims(chart, 'C', { workload: upf, deviceClass: DraDeviceClass.owned('nfv-cni') }).attach(n4, { interface: 'n4' });
    const objs = Testing.synth(chart);
    expect(byKind(objs, 'DeviceClass')).toEqual([{ apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'nfv-cni' },
      spec: { selectors: [{ cel: { expression: 'device.driver == "cni.dra.networking.x-k8s.io"' } }] } }]);
    expect(byKind(objs, 'ResourceClaimTemplate')[0].spec.spec.devices.requests[0].exactly.deviceClassName).toBe('nfv-cni');
  });

  test('a bare Pod gets spec.resourceClaims; an ApiObject of another kind is refused in the house style', () => {
    const { chart, n4 } = setup();
    const pod = new kplus.Pod(chart, 'P', { metadata: { name: 'p' }, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'C', { workload: pod }).attach(n4, { interface: 'n4' });
    expect(byKind(Testing.synth(chart), 'Pod')[0].spec.resourceClaims).toEqual([{ name: 'n4', resourceClaimTemplateName: 'p-n4' }]);
    const cm = new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    expect(() => new DraNetworkClaims(chart, 'D', { workload: cm })).toThrow(
      "DraNetworkClaims test/D: 'workload' has no pod template: got \"ConfigMap\"; pass a cdk8s-plus workload or an ApiObject of kind Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob");
  });

  test('a cdk8s-plus-27 workload, whose 1.27 types drop the 1.31+ pod claim fields, is refused at synth', () => {
    const { chart, n4 } = setup();
    const old = new kplus27.Deployment(chart, 'Old', { metadata: { name: 'old' }, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'C', { workload: old }).attach(n4, { interface: 'n4' });
    expect(() => Testing.synth(chart)).toThrow("[test/C] 'workload' drops spec.resourceClaims[].resourceClaimTemplateName when it renders (its Kubernetes types predate 1.31): got [{\"name\":\"n4\"}]; use a cdk8s-plus-33 workload, or an ApiObject (Include, hand-made) whose pod spec is written as is");
  });

  test('a hand-made ApiObject Deployment keeps the claims as written', () => {
    const { chart, n4 } = setup();
    const d = new ApiObject(chart, 'D', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } } });
    new DraNetworkClaims(chart, 'C', { workload: d }).attach(n4, { interface: 'n4' });
    const objs = Testing.synth(chart);
    expect(byKind(objs, 'Deployment').find((o) => o.metadata.name === 'd').spec.template.spec.resourceClaims).toEqual([{ name: 'n4', resourceClaimTemplateName: 'd-n4' }]);
    expect(byKind(objs, 'ResourceClaimTemplate')[0].metadata).toEqual({ name: 'd-n4', namespace: 'x' });
  });

  test('options only Multus can carry are refused; a value no plugin reads is refused; interfaces are unique', () => {
    const { chart, n3, n4, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'C', { workload: upf });
    expect(() => claims.attach(n3, { interface: 'n3', defaultRoute: true })).toThrow(
      "DraNetworkClaims test/C attachment 0 (n3): 'defaultRoute' cannot be rendered for cni-dra-driver (the default-route rewrite is done by Multus): got true; render this attachment as a NAD and annotation, or add the default route to the network's IPAM routes");
    expect(() => claims.attach(n4, { interface: 'n4', portMappings: [{ hostPort: 80, containerPort: 80 }] })).toThrow(/'portMappings' cannot be honoured: no plugin of the chain \(bridge\) reads 'portMappings'/);
    claims.attach(n4, { interface: 'n4' });
    expect(() => claims.attach(n3, { interface: 'n4' })).toThrow(/'interface' is already used by another attachment of the workload: got "n4"/);
  });

  test('a capability the chain can read is declared on it, as the annotation rendering does (host-local reads ips)', () => {
    const { chart, n4, upf } = setup();
    new DraNetworkClaims(chart, 'C', { workload: upf }).attach(n4, { interface: 'n4', ips: ['10.4.0.20/24'] });
    const objs = Testing.synth(chart);
    expect(annotationNadConfigs([['n4', { interface: 'n4', ips: ['10.4.0.20/24'] }]]).get('n4')).toMatchObject({ plugins: [{ capabilities: { ips: true } }] });
    expect(byKind(objs, 'ResourceClaimTemplate')[0].spec.spec.devices.config[0].opaque.parameters.config.plugins[0]).toMatchObject({ capabilities: { ips: true }, runtimeConfig: { ips: ['10.4.0.20/24'] } });
  });
});

describe('DraNetworkClaims in the App\'s whole-topology check (whatever the rendering)', () => {
  test('two workloads given one address on one network through claims', () => {
    const { chart, n3, upf } = setup();
    const other = new kplus.Deployment(chart, 'Gnb', { metadata: { name: 'gnb', namespace: 'fivegc-up' }, replicas: 1, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'A', { workload: upf }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    new DraNetworkClaims(chart, 'B', { workload: other }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    expect(() => Testing.synth(chart)).toThrow("[test/Gnb] 'attachments[0].ips[0]' is already used on n3 by test/Upf (n3): got \"10.3.0.20/24\"; give every attachment of a network its own address");
  });

  test('the same address through a claim and through the annotation rendering (PodNetworks) is caught across renderings', () => {
    const { chart, n3, upf } = setup();
    const other = new kplus.Deployment(chart, 'Gnb', { metadata: { name: 'gnb', namespace: 'fivegc-up' }, replicas: 1, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'A', { workload: upf }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    PodNetworks.of(other).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    expect(() => Testing.synth(chart)).toThrow(/'attachments\[0\]\.ips\[0\]' is already used on n3 by test\/(Upf|Gnb) \(n3\): got "10\.3\.0\.20\/24"/);
  });

  test('the same address through a claim in one namespace (no NAD there) and the annotation in another is caught: one network, one address space', () => {
    const { chart, n3, upf } = setup();
    const ran = new kplus.Deployment(chart, 'Gnb', { metadata: { name: 'gnb', namespace: 'ran' }, replicas: 1, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'A', { workload: upf }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    PodNetworks.of(ran).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'attachments\[0\]\.ips\[0\]' is already used on n3 by test\/(Upf|Gnb) \(n3\): got "10\.3\.0\.20\/24"; give every attachment of a network its own address/);
    // only the annotated pods' namespace has a NAD: the claim resolved to the network itself
    expect(n3.attachments.map((n) => n.namespace)).toEqual(['ran']);
  });

  test('a claim to an address outside the network\'s subnet is refused by the whole-topology check, without a NAD', () => {
    const { chart, n3, upf } = setup();
    new DraNetworkClaims(chart, 'A', { workload: upf }).attach(n3, { interface: 'n3', ips: ['10.9.0.20/24'] });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/Upf\] 'attachments\[0\]\.ips\[0\]'.*10\.9\.0\.20\/24/);
  });

  test('a static address on a Deployment of cdk8s-plus\'s default two replicas is refused (both pods would claim it)', () => {
    const { chart, n3 } = setup();
    const two = new kplus.Deployment(chart, 'Two', { metadata: { name: 'two', namespace: 'fivegc-up' }, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'A', { workload: two }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/Two\] 'attachments\[0\]\.ips' is a static address on .*: got \["10\.3\.0\.20\/24"\]/);
  });

  test('distinct addresses pass', () => {
    const { chart, n3, upf } = setup();
    const other = new kplus.Deployment(chart, 'Gnb', { metadata: { name: 'gnb', namespace: 'fivegc-up' }, replicas: 1, containers: [{ image: 'x:1' }] });
    new DraNetworkClaims(chart, 'A', { workload: upf }).attach(n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    new DraNetworkClaims(chart, 'B', { workload: other }).attach(n3, { interface: 'n3', ips: ['10.3.0.21/24'] });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a NAD of the App as target keeps working: the claim carries its config, the NAD stays, a duplicate address across renderings is refused', () => {
    const { chart, upf } = setup();
    const config = CniConfig.list([new MacvlanPlugin({ master: 'eth5', mode: MacvlanMode.BRIDGE, ipam: new StaticIpam({}), capabilities: [CniCapability.IPS] })]);
    const nad = new NetworkAttachmentDefinition(chart, 'Nad', { metadata: { name: 'n5', namespace: 'fivegc-up' }, config });
    new DraNetworkClaims(chart, 'C', { workload: upf }).attach(nad, { interface: 'n5', ips: ['10.5.0.20/24'] });
    const objs = Testing.synth(chart);
    const nads = byKind(objs, 'NetworkAttachmentDefinition');
    expect(nads.map((n) => `${n.metadata.namespace}/${n.metadata.name}`)).toEqual(['fivegc-up/n5']);
    const params = byKind(objs, 'ResourceClaimTemplate')[0].spec.spec.devices.config[0].opaque.parameters;
    const { runtimeConfig, ...plugin } = params.config.plugins[0];
    expect([{ ...params.config, plugins: [plugin] }, runtimeConfig]).toEqual([JSON.parse(nads[0].spec.config), { ips: ['10.5.0.20/24'] }]);
    // a second pod given the same address through the annotation: refused across renderings
    const other = new kplus.Deployment(chart, 'Gnb', { metadata: { name: 'gnb', namespace: 'fivegc-up' }, replicas: 1, containers: [{ image: 'x:1' }] });
    PodNetworks.of(other).attach(nad, { interface: 'n5', ips: ['10.5.0.20/24'] });
    expect(() => Testing.synth(chart)).toThrow(/'attachments\[0\]\.ips\[0\]' is already used on n5 by test\/(Upf|Gnb) \(n5\): got "10\.5\.0\.20\/24"/);
  });
});
