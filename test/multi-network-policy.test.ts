import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  BridgePlugin, CniConfig, HostLocalIpam, MacvlanPlugin, NetworkAttachmentDefinition,
  IMultiNetworkPolicyTarget, MultiNetworkPolicy, MultiNetworkPolicyIsolation, MultiNetworkPolicyPeer,
  MultiNetworkPolicyPort, MultiNetworkPolicyProtocol, NAMESPACE_NAME_LABEL, Network, NetworkFunction, NetworkPlugin,
  PluginsProfile, PolicyLabelExpression, PolicyLabelSelector, PreinstalledCniPlugins,
} from '../lib';
import { expectValidObjects } from './util/schema';

const POLICY_FOR = 'k8s.v1.cni.cncf.io/policy-for';

function macvlanNad(scope: Construct, id: string, name: string, subnet: string, namespace?: string): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(scope, id, {
    metadata: { name, namespace },
    config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet(subnet) })]),
  });
}

/** An App whose nodes are declared to have the upstream CNI plugins (the NADs' plugins check). */
function testApp(): App {
  const app = Testing.app();
  PreinstalledCniPlugins.fromProfile(new Chart(app, 'node-plugins'), 'NodePlugins', PluginsProfile.UPSTREAM);
  return app;
}

/** Like Testing.chart(), in an App with declared node plugins. */
function testChart(): Chart {
  return new Chart(testApp(), 'test');
}

function coreChart(app: App = testApp()): Chart {
  return new Chart(app, 'core', { namespace: 'core' });
}

function policies(chart: Chart): any[] {
  return Testing.synth(chart).filter((o) => o.kind === 'MultiNetworkPolicy');
}

/** A stand-in for a network function: anything with pod labels (and optionally a namespace). */
function fn(name: string, namespace?: string): IMultiNetworkPolicyTarget {
  return { podSelectorLabels: { 'nfv.cdk8s.io/function': name }, namespace };
}

describe('defaults', () => {
  test('denyAllIngress: qualified policy-for, all pods, Ingress only, no rules', () => {
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const p = MultiNetworkPolicy.denyAllIngress(chart, 'DenyN6', { networks: [n6] });
    const [obj] = policies(chart);
    expect(obj.apiVersion).toBe('k8s.cni.cncf.io/v1beta1');
    expect(obj.metadata.namespace).toBe('core');
    expect(obj.metadata.annotations).toEqual({ [POLICY_FOR]: 'core/n6' });
    expect(obj.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(p.policyFor).toBe('core/n6');
    expect(p.name).toBe(obj.metadata.name);
    expect(obj).toMatchSnapshot();
  });

  test('a port defaults to TCP and the protocol is always written', () => {
    expect(MultiNetworkPolicyPort.of({ port: 80 }).protocol).toBe(MultiNetworkPolicyProtocol.TCP);
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const p = new MultiNetworkPolicy(chart, 'P', { networks: [n6] });
    p.addIngressRule(MultiNetworkPolicyPeer.any(), [MultiNetworkPolicyPort.of({ port: 80 }), MultiNetworkPolicyPort.allUdp()]);
    const [obj] = policies(chart);
    expect(obj.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP' }] }]);
  });

  test('a NAD without namespace in a policy without namespace is written bare (the policy\'s namespace)', () => {
    const chart = testChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    MultiNetworkPolicy.denyAll(chart, 'P', { networks: [n6] });
    const [obj] = policies(chart);
    expect(obj.metadata.annotations[POLICY_FOR]).toBe('n6');
    expect(obj.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });
});

describe('custom', () => {
  function customChart(): Chart {
    const chart = coreChart();
    const n2 = macvlanNad(chart, 'N2', 'n2', '10.2.0.0/24');
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24', 'dn');
    const p = new MultiNetworkPolicy(chart, 'Upf', {
      metadata: { name: 'upf-policy', labels: { team: 'core' }, annotations: { owner: 'ops' } },
      networks: [n2, n6, { name: 'oam', namespace: 'infra' }],
      target: fn('upf'),
      isolate: MultiNetworkPolicyIsolation.EGRESS,
      ingress: [{ peer: MultiNetworkPolicyPeer.pods(fn('smf')), ports: [MultiNetworkPolicyPort.udp(8805)] }],
    });
    p.addIngressRule(MultiNetworkPolicyPeer.ipBlock('10.6.0.0/24', ['10.6.0.128/25']), [MultiNetworkPolicyPort.udpRange(2152, 2154)]);
    p.addIngressRule(MultiNetworkPolicyPeer.namespaceNamed('ran'), [MultiNetworkPolicyPort.sctp(38412)]);
    p.addEgressRule(MultiNetworkPolicyPeer.podsInNamespaces(
      PolicyLabelSelector.of({ labels: { app: 'dn' }, expressions: [PolicyLabelExpression.notIn('tier', ['test'])] }),
      PolicyLabelSelector.labels({ zone: 'edge' }),
    ));
    return chart;
  }

  test('annotation, labels and every rule', () => {
    const [obj] = policies(customChart());
    expect(obj.metadata).toEqual({
      name: 'upf-policy', namespace: 'core', labels: { team: 'core' },
      annotations: { owner: 'ops', [POLICY_FOR]: 'core/n2,dn/n6,infra/oam' },
    });
    expect(obj.spec.podSelector).toEqual({ matchLabels: { 'nfv.cdk8s.io/function': 'upf' } });
    // ingress rules make Ingress; isolate EGRESS adds Egress
    expect(obj.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(obj.spec.ingress).toEqual([
      {
        ports: [{ protocol: 'UDP', port: 8805 }],
        from: [{ podSelector: { matchLabels: { 'nfv.cdk8s.io/function': 'smf' } }, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'core' } } }],
      },
      {
        // v1beta1 has no endPort: a range is one entry per port
        ports: [2152, 2153, 2154].map((port) => ({ protocol: 'UDP', port })),
        from: [{ ipBlock: { cidr: '10.6.0.0/24', except: ['10.6.0.128/25'] } }],
      },
      { ports: [{ protocol: 'SCTP', port: 38412 }], from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'ran' } } }] },
    ]);
    expect(obj.spec.egress).toEqual([{
      to: [{
        podSelector: { matchLabels: { app: 'dn' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['test'] }] },
        namespaceSelector: { matchLabels: { zone: 'edge' } },
      }],
    }]);
    expect(JSON.stringify(obj)).not.toContain('endPort');
  });

  test('the custom policy snapshot', () => {
    expect(policies(customChart())).toMatchSnapshot();
  });

  test('synthesis is byte-identical run to run', () => {
    expect(JSON.stringify(Testing.synth(customChart()))).toBe(JSON.stringify(Testing.synth(customChart())));
  });

  test('policy types follow the rules and the isolation', () => {
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const egressOnly = new MultiNetworkPolicy(chart, 'E', { networks: [n6] });
    egressOnly.addEgressRule(MultiNetworkPolicyPeer.anyIpv4());
    expect(egressOnly.policyTypes).toEqual(['Egress']);
    const ingressOnly = new MultiNetworkPolicy(chart, 'I', { networks: [n6], ingress: [{ peer: MultiNetworkPolicyPeer.anyIpv6() }] });
    expect(ingressOnly.policyTypes).toEqual(['Ingress']);
    expect(MultiNetworkPolicy.denyAllEgress(chart, 'DE', { networks: [n6] }).policyTypes).toEqual(['Egress']);
    expect(MultiNetworkPolicy.denyAll(chart, 'DA', { networks: [n6] }).policyTypes).toEqual(['Ingress', 'Egress']);
    const byName = Object.fromEntries(policies(chart).map((o) => [o.metadata.name.split('-')[1], o.spec]));
    expect(byName.e).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    expect(byName.i.ingress).toEqual([{ from: [{ ipBlock: { cidr: '::/0' } }] }]);
    expect(byName.de).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });

  test('a cdk8s-plus workload as target and as peer', () => {
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const upf = new kplus.Deployment(chart, 'Upf', { containers: [{ image: 'registry.example/upf:1.0' }] });
    const dn = new kplus.Deployment(chart, 'Dn', { containers: [{ image: 'registry.example/dn:1.0' }] });
    MultiNetworkPolicy.allowIngressOnlyFrom(chart, 'P', { networks: [n6], target: dn, from: [MultiNetworkPolicyPeer.pods(upf)] });
    const [obj] = policies(chart);
    // cdk8s-plus selects a workload's pods by its address label (public: Pod.ADDRESS_LABEL)
    const upfLabels = { [kplus.Pod.ADDRESS_LABEL]: upf.podMetadata.getLabel(kplus.Pod.ADDRESS_LABEL)! };
    expect(obj.spec.podSelector).toEqual({ matchLabels: { [kplus.Pod.ADDRESS_LABEL]: dn.podMetadata.getLabel(kplus.Pod.ADDRESS_LABEL) } });
    expect(obj.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: upfLabels }, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'core' } } }] }]);
    // the selector matches the workload's pod template
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment' && o.metadata.name.includes('upf'));
    expect(deployment.spec.template.metadata.labels).toMatchObject(upfLabels);
  });

  test('a pod peer in another namespace, and without any known namespace', () => {
    const chart = testChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const p = new MultiNetworkPolicy(chart, 'P', { networks: [n6] });
    p.addIngressRule(MultiNetworkPolicyPeer.pods(fn('amf', 'cp')));
    p.addIngressRule(MultiNetworkPolicyPeer.pods(fn('smf'), { namespace: 'cp2' }));
    p.addIngressRule(MultiNetworkPolicyPeer.pods(fn('gnb')));
    const [obj] = policies(chart);
    expect(obj.spec.ingress.map((r: any) => r.from[0].namespaceSelector)).toEqual([
      { matchLabels: { [NAMESPACE_NAME_LABEL]: 'cp' } },
      { matchLabels: { [NAMESPACE_NAME_LABEL]: 'cp2' } },
      undefined,
    ]);
  });

  test('several namespaces by name become an In expression', () => {
    const chart = coreChart();
    const p = new MultiNetworkPolicy(chart, 'P', { networks: [macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24')] });
    p.addEgressRule(MultiNetworkPolicyPeer.namespaceNamed('a', 'b'));
    expect(policies(chart)[0].spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: ['a', 'b'] }] },
    });
  });

  test('a logical network resolves to its NAD in the policy\'s namespace', () => {
    const chart = coreChart();
    const derived: string[] = [];
    const network = new (class extends Construct {
      public nadFor(namespace: string): NetworkAttachmentDefinition {
        derived.push(namespace);
        return macvlanNad(this, namespace, 'n3', '10.3.0.0/24', namespace);
      }
    })(chart, 'N3');
    const p = MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [network] });
    expect(derived).toEqual(['core']);
    expect(p.policyFor).toBe('core/n3');
  });

  test('an ExternalNetwork-like construct is an external NAD', () => {
    const chart = coreChart();
    const ext = new (class extends Construct {
      public readonly name = 'n6';
      public readonly namespace = 'shared';
    })(chart, 'Ext');
    expect(MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [ext] }).policyFor).toBe('shared/n6');
  });

  test('a non-macvlan NAD is accepted when the daemon enforces its type', () => {
    const chart = coreChart();
    const br = new NetworkAttachmentDefinition(chart, 'Br', { metadata: { name: 'br' }, config: CniConfig.list([new BridgePlugin({ bridge: 'br0' })]) });
    const p = MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [br], enforcedPluginTypes: ['macvlan', 'bridge'] });
    expect(p.policyFor).toBe('core/br');
  });
});

describe('validation', () => {
  test('fails on an empty networks list', () => {
    const chart = coreChart();
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [] }))
      .toThrow(/'networks' must name at least one NetworkAttachmentDefinition: a policy without policy-for networks is ignored: got \[\]; list the NAD constructs/);
  });

  test('fails on a NAD of another App', () => {
    const other = coreChart();
    const n6 = macvlanNad(other, 'N6', 'n6', '10.6.0.0/24');
    expect(() => MultiNetworkPolicy.denyAllIngress(coreChart(), 'P', { networks: [n6] }))
      .toThrow(/'networks\[0\]' is a NetworkAttachmentDefinition of another App: got "core\/N6"; create the NAD in this App, or declare it external as \{ name: "n6"/);
  });

  test('fails on a NAD without namespace when the policy has one', () => {
    const app = testApp();
    const n6 = macvlanNad(new Chart(app, 'nets'), 'N6', 'n6', '10.6.0.0/24');
    expect(() => MultiNetworkPolicy.denyAllIngress(coreChart(app), 'P', { networks: [n6] }))
      .toThrow(/'networks\[0\]' has no namespace, so policy-for cannot say where it lives \(the policy is in "core"\): got "n6"; set the NAD's metadata.namespace/);
  });

  test('fails on an external NAD without a namespace or with a bad name', () => {
    const chart = coreChart();
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [{ name: 'n6' } as any] }))
      .toThrow(/'networks\[0\].namespace' is not a namespace name \(a DNS-1123 label\); an external NAD needs its namespace: got nothing; give the namespace/);
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'Q', { networks: [{ name: 'N_6', namespace: 'core' }] }))
      .toThrow(/'networks\[0\].name' is not a NAD name \(a DNS-1123 label\): got "N_6";/);
  });

  test('fails on a network listed twice', () => {
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [n6, { name: 'n6', namespace: 'core' }] }))
      .toThrow(/'networks\[1\]' repeats networks\[0\]: got "core\/n6"; list each network once/);
  });

  test('fails on a NAD whose plugin type the daemon does not enforce', () => {
    const chart = coreChart();
    const br = new NetworkAttachmentDefinition(chart, 'Br', { metadata: { name: 'br' }, config: CniConfig.list([new BridgePlugin({ bridge: 'br0' })]) });
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [br] }))
      .toThrow(/'networks\[0\]' is a "bridge" network, which the multi-networkpolicy daemon does not enforce \(--network-plugins macvlan\), so the policy would be ignored: got "br"; add "bridge" to the daemon's --network-plugins/);
  });

  test('fails on a target in another namespace than the policy', () => {
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [n6], target: fn('upf', 'user-plane') }))
      .toThrow(/'target' is in namespace "user-plane", but a MultiNetworkPolicy applies only to pods of its own namespace \("core"\): got "user-plane"; set the policy's metadata.namespace to "user-plane"/);
  });

  test('fails on a target spanning namespaces by label', () => {
    const chart = coreChart();
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const pods = kplus.Pods.select(chart, 'Sel', { labels: { app: 'x' }, namespaces: kplus.Namespaces.select(chart, 'Ns', { labels: { zone: 'a' } }) });
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [n6], target: pods }))
      .toThrow(/'target' selects pods by namespace labels, but a MultiNetworkPolicy applies only to pods of its own namespace/);
  });

  test('fails at synth on a policy with no rules and no isolation', () => {
    const chart = coreChart();
    new MultiNetworkPolicy(chart, 'P', { networks: [macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24')] });
    expect(() => Testing.synth(chart)).toThrow(/'policyTypes' is empty: the policy has no rules and isolates nothing \(the daemon would then isolate both directions\): got \[\]; add rules/);
  });

  test('fails on allowIngressOnlyFrom without peers', () => {
    const chart = coreChart();
    expect(() => MultiNetworkPolicy.allowIngressOnlyFrom(chart, 'P', { networks: [macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24')], from: [] }))
      .toThrow(/'from' must name at least one peer: got \[\]; list the allowed peers, or use MultiNetworkPolicy.denyAllIngress\(\)/);
  });

  test('fails on a logical network when the policy has no namespace', () => {
    const chart = testChart();
    const network = { nadFor: () => { throw new Error('not reached'); } };
    expect(() => MultiNetworkPolicy.denyAllIngress(chart, 'P', { networks: [network] }))
      .toThrow(/'networks\[0\]' is a logical network, whose NAD depends on the namespace, but the policy has no namespace/);
  });

});

describe('schema', () => {
  test('every policy shape is valid against the CRD, with the NADs and workloads of the App', () => {
    const chart = coreChart();
    const n2 = macvlanNad(chart, 'N2', 'n2', '10.2.0.0/24');
    const n6 = macvlanNad(chart, 'N6', 'n6', '10.6.0.0/24');
    const upf = new kplus.Deployment(chart, 'Upf', { containers: [{ image: 'registry.example/upf:1.0' }] });
    MultiNetworkPolicy.denyAll(chart, 'DenyAll', { networks: [n2], target: fn('dn') });
    const p = MultiNetworkPolicy.allowIngressOnlyFrom(chart, 'FromUpf', {
      networks: [n6, { name: 'oam', namespace: 'infra' }], target: fn('dn'),
      from: [MultiNetworkPolicyPeer.pods(upf), MultiNetworkPolicyPeer.ipBlock('2001:db8::/64', ['2001:db8::/80'])],
      ports: [MultiNetworkPolicyPort.udpRange(2152, 2153), MultiNetworkPolicyPort.allSctp()],
    });
    p.addEgressRule(MultiNetworkPolicyPeer.podsInNamespaces(
      PolicyLabelSelector.of({ expressions: [PolicyLabelExpression.exists('app'), PolicyLabelExpression.doesNotExist('canary')] }),
      PolicyLabelSelector.all(),
    ), [MultiNetworkPolicyPort.tcp(443)]);
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'MultiNetworkPolicy')).toHaveLength(2);
    expectValidObjects(objects);
  });

  test('the CRD rejects what v1beta1 does not have', () => {
    const { schemaErrors } = require('./util/schema');
    const base = { apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', metadata: { name: 'x' } };
    expect(schemaErrors({ ...base, spec: { podSelector: {} } })).toEqual([]);
    expect(schemaErrors({ ...base, spec: {} })).toHaveLength(1);
    expect(schemaErrors({ ...base, spec: { podSelector: {}, policyTypes: ['ingress'] } })).toHaveLength(1);
    expect(schemaErrors({ ...base, spec: { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] } })).toHaveLength(1);
  });
});

describe('segregation of the control plane (n2) and the data plane (n6)', () => {
  function scenario() {
    const chart = coreChart();
    const n2 = new NetworkAttachmentDefinition(chart, 'N2', {
      metadata: { name: 'n2' },
      config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.2.0.0/24') })]),
    });
    const n6 = new NetworkAttachmentDefinition(chart, 'N6', {
      metadata: { name: 'n6' },
      config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.6.0.0/24') })]),
    });
    const upf = fn('upf');
    const dn = fn('dn');
    const policy = MultiNetworkPolicy.allowIngressOnlyFrom(chart, 'N6FromUpfOnly', {
      metadata: { name: 'n6-from-upf-only' },
      networks: [n6],
      target: dn,
      from: [MultiNetworkPolicyPeer.pods(upf)],
    });
    return { chart, n2, n6, policy };
  }

  test('ingress on n6 is allowed only from the UPF pods', () => {
    const { chart } = scenario();
    const objects = Testing.synth(chart);
    const [obj] = objects.filter((o) => o.kind === 'MultiNetworkPolicy');
    // bound to n6 only: the control plane network is untouched
    expect(obj.metadata.annotations[POLICY_FOR]).toBe('core/n6');
    expect(obj.metadata.annotations[POLICY_FOR]).not.toContain('n2');
    // the policy-for entry names a NAD present in the output
    const nads = objects.filter((o) => o.kind === 'NetworkAttachmentDefinition').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(nads).toContain(obj.metadata.annotations[POLICY_FOR]);
    expect(obj.spec).toEqual({
      podSelector: { matchLabels: { 'nfv.cdk8s.io/function': 'dn' } },
      // Ingress isolated: anything not matched by the one rule is dropped
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          podSelector: { matchLabels: { 'nfv.cdk8s.io/function': 'upf' } },
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'core' } },
        }],
      }],
    });
    expectValidObjects(objects);
  });

  test('the control plane can be sealed off n6 with a second policy', () => {
    const { chart, n6 } = scenario();
    MultiNetworkPolicy.denyAll(chart, 'AmfOffN6', { networks: [n6], target: fn('amf') });
    const specs = policies(chart).map((o) => [o.metadata.annotations[POLICY_FOR], o.spec.podSelector.matchLabels['nfv.cdk8s.io/function'], o.spec.policyTypes]);
    expect(specs).toEqual(expect.arrayContaining([
      ['core/n6', 'dn', ['Ingress']],
      ['core/n6', 'amf', ['Ingress', 'Egress']],
    ]));
  });
});

describe('with the library\'s network functions and logical networks', () => {
  test('a NetworkFunction is a target and a peer; a Network resolves to its NAD in the namespace', () => {
    const chart = coreChart();
    const n6 = new Network(chart, 'N6', { name: 'n6', plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.6.0.0/24'] });
    const upf = new NetworkFunction(chart, 'Upf', { containers: [{ name: 'upf', image: 'registry.example/upf:1.0' }], attachments: [{ network: n6 }] });
    const dn = new NetworkFunction(chart, 'Dn', { containers: [{ name: 'dn', image: 'registry.example/dn:1.0' }], attachments: [{ network: n6 }] });
    const target: IMultiNetworkPolicyTarget = dn;
    MultiNetworkPolicy.allowIngressOnlyFrom(chart, 'P', { networks: [n6], target, from: [MultiNetworkPolicyPeer.pods(upf)] });
    const objects = Testing.synth(chart);
    const [obj] = objects.filter((o) => o.kind === 'MultiNetworkPolicy');
    expect(obj.metadata.annotations[POLICY_FOR]).toBe('core/n6');
    expect(obj.spec.podSelector).toEqual({ matchLabels: { ...dn.podSelectorLabels } });
    expect(obj.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { ...upf.podSelectorLabels } });
    // one NAD for n6 in core, shared by the functions and the policy
    const nads = objects.filter((o) => o.kind === 'NetworkAttachmentDefinition').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(nads).toEqual(['core/n6']);
  });
});
