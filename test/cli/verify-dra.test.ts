import { Testing } from 'cdk8s';
import { FiveGDraChart } from '../../examples/five-g-dra/chart';
import { CNI_DRA_DRIVER } from '../../lib/dra/cni-dra-driver';
import { ManifestObject } from '../../lib/cli/manifests';
import { CheckResult, planRun } from '../../lib/cli/verify';

/**
 * verify's plan of the DRA rendering: cni-dra-driver claims (ResourceClaimTemplate /
 * ResourceClaim with the driver's opaque CNI parameters) referenced by a pod's
 * `spec.resourceClaims` are attachments like annotated ones; bad claims fail their own
 * attachments with exact messages, naming the object and field. No process runs here (the runs
 * with the real plugins: test/real/verify-dra.test.ts).
 */

const DRIVER_CLASS = 'cni.networking.x-k8s.io';
const req = (name: string, exactly: object = { deviceClassName: DRIVER_CLASS, allocationMode: 'ExactCount', count: 1 }) => ({ name, exactly });
const params = (ifName: unknown, config: unknown) => ({ apiVersion: 'cni.networking.x-k8s.io/v1alpha1', kind: 'CNI', ifName, config });
const cni = (parameters: unknown, requests?: unknown) => ({ ...(requests !== undefined ? { requests } : {}), opaque: { driver: CNI_DRA_DRIVER, parameters } });
const bridge = (name: string, ips: string[], extra: object = {}) => ({
  cniVersion: '1.0.0', name, plugins: [{ type: 'bridge', bridge: `br-${name}`, ipam: { type: 'static' }, capabilities: { ips: true }, runtimeConfig: { ips }, ...extra }],
});
const template = (name: string, requests: object[], config: object[], ns = 'lab') => ({
  apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name, namespace: ns }, spec: { spec: { devices: { requests, config } } },
});
const claim = (name: string, requests: object[], config: object[], ns = 'lab') => ({
  apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name, namespace: ns }, spec: { devices: { requests, config } },
});
const deployment = (name: string, resourceClaims: unknown, annotations?: object, ns = 'lab') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
  spec: { replicas: 1, template: { metadata: annotations ? { annotations } : {}, spec: { containers: [{ name: 'c', image: 'x' }], resourceClaims } } },
});
const objects = (...docs: object[]): ManifestObject[] => docs.map((object, index) => ({ file: 'claims.yaml', index, object }));

/** Every attachment of a plan: [pod:ifname, network, result, reason]. */
function rows(docs: object[]) {
  const plan = planRun(objects(...docs));
  return plan.attachments.map((a) => [`${a.pod.display}:${a.ifname}`, a.networkName, a.problem?.result ?? 'runs', a.problem?.reason ?? JSON.stringify(a.list!.plugins.map((p) => p.runtimeConfig ?? null))]);
}

describe('the 5G example in its DRA rendering', () => {
  const synth = () => objects(...Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra')));

  test('every claim of every workload is an attachment with its interface, config name and the pod\'s addresses as runtimeConfig; its NADs are not probed', () => {
    const plan = planRun(synth());
    expect(plan.inputRows).toEqual([]);
    expect(plan.attachments.map((a) => [a.pod.display, a.ifname, a.networkName, a.claim, a.list!.plugins[0].type, (a.list!.plugins[0].runtimeConfig as any).ips, a.problem])).toEqual([
      ['fivegc-cp/amf', 'n2', 'n2', { object: 'ResourceClaimTemplate fivegc-cp/amf-n2', request: 'n2' }, 'macvlan', ['10.2.0.10/24'], undefined],
      ['fivegc-cp/smf', 'n4', 'n4', { object: 'ResourceClaimTemplate fivegc-cp/smf-n4', request: 'n4' }, 'bridge', ['10.4.0.10/24'], undefined],
      ['fivegc-up/upf-0', 'n3', 'n3', { object: 'ResourceClaimTemplate fivegc-up/upf-0-n3', request: 'n3' }, 'macvlan', ['10.3.0.20/24'], undefined],
      ['fivegc-up/upf-0', 'n4', 'n4', { object: 'ResourceClaimTemplate fivegc-up/upf-0-n4', request: 'n4' }, 'bridge', ['10.4.0.20/24'], undefined],
      ['fivegc-up/upf-0', 'n6', 'n6', { object: 'ResourceClaimTemplate fivegc-up/upf-0-n6', request: 'n6' }, 'macvlan', ['10.6.0.20/24'], undefined],
      ['fivegc-up/upf-1', 'n3', 'n3', { object: 'ResourceClaimTemplate fivegc-up/upf-1-n3', request: 'n3' }, 'macvlan', ['10.3.0.21/24'], undefined],
      ['fivegc-up/upf-1', 'n4', 'n4', { object: 'ResourceClaimTemplate fivegc-up/upf-1-n4', request: 'n4' }, 'bridge', ['10.4.0.21/24'], undefined],
      ['fivegc-up/upf-1', 'n6', 'n6', { object: 'ResourceClaimTemplate fivegc-up/upf-1-n6', request: 'n6' }, 'macvlan', ['10.6.0.21/24'], undefined],
      ['ran/gnb-sim', 'n2', 'n2', { object: 'ResourceClaimTemplate ran/gnb-sim-n2', request: 'n2' }, 'macvlan', ['10.2.0.50/24'], undefined],
      ['ran/gnb-sim', 'n3', 'n3', { object: 'ResourceClaimTemplate ran/gnb-sim-n3', request: 'n3' }, 'macvlan', ['10.3.0.50/24'], undefined],
    ]);
    // the uplinks the macvlan configs name are emulated like a NAD's, named after the claim's field
    expect(plan.attachments[0].network!.uplinks).toEqual([{ name: 'eth1', field: 'spec.spec.devices.config[0].opaque.parameters.config.plugins[0].master' }]);
    // cni-dra-driver passes no capability arguments: the per-pod values stay inside the config
    expect(plan.attachments.every((a) => Object.keys(a.runtime).length === 0 && a.element === undefined)).toBe(true);
  });
});

describe('claims as attachments', () => {
  test('a ResourceClaim (resourceClaimName) and a template with two requests, one config each; an annotation beside them; a claim without the driver is no network', () => {
    const gpu = { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name: 'gpu', namespace: 'lab' }, spec: { spec: { devices: { requests: [req('gpu')] } } } };
    expect(rows([
      template('two', [req('a'), req('b')], [cni(params('net-a', bridge('na', ['10.1.0.1/24'])), ['a']), cni(params('net-b', bridge('nb', ['10.2.0.1/24'])), ['b'])]),
      claim('shared', [req('s')], [cni(params('net-s', bridge('ns', ['10.3.0.1/24'])))]),
      gpu,
      { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'plain', namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'plain', type: 'bridge', bridge: 'br-plain' }) } },
      deployment('w', [{ name: 'two', resourceClaimTemplateName: 'two' }, { name: 's', resourceClaimName: 'shared' }, { name: 'g', resourceClaimTemplateName: 'gpu' }, { name: 'x', resourceClaimTemplateName: 'not-in-inputs' }],
        { 'k8s.v1.cni.cncf.io/networks': 'plain' }),
    ])).toEqual([
      ['lab/w:net1', 'plain', 'runs', '[null]'],
      ['lab/w:net-a', 'na', 'runs', '[{"ips":["10.1.0.1/24"]}]'],
      ['lab/w:net-b', 'nb', 'runs', '[{"ips":["10.2.0.1/24"]}]'],
      ['lab/w:net-s', 'ns', 'runs', '[{"ips":["10.3.0.1/24"]}]'],
    ]);
  });
});

describe('claims of network drivers verify does not emulate', () => {
  test('an SR-IOV DRA claim (VfConfig naming a NAD) and a DRANET claim are unsupported here with why; the NAD the SR-IOV claim names is not probed', () => {
    const sriovNad = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'n3-vf', namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'n3-vf', type: 'sriov' }) } };
    const sriov = template('vf', [req('n3', { deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io' })], [{ requests: ['n3'], opaque: { driver: 'sriovnetwork.k8snetworkplumbingwg.io',
      parameters: { apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', ifName: 'n3', netAttachDefName: 'n3-vf' } } }]);
    const dranet = template('host', [req('uplink', { deviceClassName: 'dranet' })], [{ opaque: { driver: 'dra.net', parameters: { interface: { name: 'eth9' } } } }]);
    const plan = planRun(objects(sriovNad, sriov, dranet, deployment('w', [{ name: 'vf', resourceClaimTemplateName: 'vf' }, { name: 'host', resourceClaimTemplateName: 'host' }])));
    expect(plan.attachments.map((a) => [`${a.pod.display}:${a.ifname}`, a.networkName, a.problem?.result, a.problem?.reason])).toEqual([
      ['lab/w:n3', 'n3', CheckResult.UNSUPPORTED, 'ResourceClaimTemplate lab/vf: \'spec.spec.devices.config[0].opaque.driver\' is "sriovnetwork.k8snetworkplumbingwg.io": the SR-IOV DRA driver gives the pod a virtual function of an SR-IOV NIC, which verify does not emulate'],
      ['lab/w:?', 'uplink', CheckResult.UNSUPPORTED, 'ResourceClaimTemplate lab/host: \'spec.spec.devices.config[0].opaque.driver\' is "dra.net": DRANET moves a host interface into the pod, which verify does not emulate'],
    ]);
  });
});

describe('hostile claims: each fails its own attachment with an exact message, the good claim of the same pod still runs', () => {
  const good = template('good', [req('g')], [cni(params('good0', bridge('good', ['10.9.0.1/24'])))]);
  const LINK_FIX = 'use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]';
  const cases: Array<[string, object[], unknown, [string, string, string, string]]> = [
    ['an injected claim name', [], [{ name: 'x; touch /tmp/pwned', resourceClaimTemplateName: 'good' }],
      ['lab/w:?', 'spec.template.spec.resourceClaims[1]', CheckResult.FAILED, 'lab/w: \'spec.template.spec.resourceClaims[1].name\' is not a DNS-1123 label: got "x; touch /tmp/pwned"; use lowercase letters, digits, \'-\' (Kubernetes refuses other names)']],
    ['a template name reaching up', [], [{ name: 'up', resourceClaimTemplateName: '../../etc/passwd' }],
      ['lab/w:?', 'spec.template.spec.resourceClaims[1]', CheckResult.FAILED, 'lab/w: \'spec.template.spec.resourceClaims[1].resourceClaimTemplateName\' is not a DNS-1123 subdomain: got "../../etc/passwd"; use lowercase letters, digits, \'-\' and \'.\' (Kubernetes refuses other names)']],
    ['both a template and a claim', [], [{ name: 'both', resourceClaimTemplateName: 'good', resourceClaimName: 'good' }],
      ['lab/w:?', 'spec.template.spec.resourceClaims[1]', CheckResult.FAILED, 'lab/w: \'spec.template.spec.resourceClaims[1]\' must name exactly one of resourceClaimTemplateName and resourceClaimName: got {"name":"both","resourceClaimTemplateName":"good","resourceClaimName":"good"}; name the template (or the claim)']],
    ['an ifName with a newline and a command', [template('t', [req('r')], [cni(params('eth1\nnetns add x', bridge('t', ['10.8.0.1/24'])))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:?', 'r', CheckResult.FAILED, `ResourceClaimTemplate lab/t: 'spec.spec.devices.config[0].opaque.parameters.ifName' is not a valid link name: got "eth1\\nnetns add x"; ${LINK_FIX}`]],
    ['an ifName that is an iproute2 keyword', [template('t', [req('r')], [cni(params('type', bridge('t', ['10.8.0.1/24'])))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:?', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters.ifName\' is a reserved name: got "type"; use another interface name (\'lo\' and iproute2 keywords such as \'type\' or \'netns\' are refused)']],
    ['the cluster interface as ifName', [template('t', [req('r')], [cni(params('eth0', bridge('t', ['10.8.0.1/24'])))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:?', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters.ifName\' is the pod\'s cluster interface: got "eth0"; pick another name, e.g. "net1"']],
    ['an ifName used by the other claim too', [template('t', [req('r')], [cni(params('good0', bridge('t', ['10.8.0.1/24'])))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:good0', 't', CheckResult.FAILED, 'lab/w: \'spec.template.spec.resourceClaims[1]\' (ResourceClaimTemplate lab/t, \'spec.spec.devices.config[0].opaque.parameters.ifName\') gives an interface name used twice in the pod: got "good0"; give each attachment its own interface name']],
    ['a single config where the driver reads a list', [template('t', [req('r')], [cni(params('n1', { cniVersion: '1.0.0', name: 't', type: 'bridge' }))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:n1', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters.config.plugins\' is required as a configuration list (the driver reads it with libcni ConfListFromBytes): got undefined; write { cniVersion, name, plugins: [{ type: ... }] }']],
    ['a network name that is a path', [template('t', [req('r')], [cni(params('n1', { ...bridge('x', ['10.8.0.1/24']), name: '../../../tmp/evil' }))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:n1', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters.config.name\' is not a network name libcni accepts: got "../../../tmp/evil"; use letters, digits, \'_\', \'.\', \'-\' (libcni refuses the ADD: invalid characters found in network name)']],
    ['a plugin type that is a path', [template('t', [req('r')], [cni(params('n1', { cniVersion: '1.0.0', name: 't', plugins: [{ type: '/bin/sh' }] }))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:n1', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters.config.plugins[0].type\' is not a plugin binary name: got "/bin/sh"; name a binary of the CNI plugin directory (letters, digits, \'_\', \'.\', \'+\', \'-\'; no path)']],
    ['a master that smuggles words', [template('t', [req('r')], [cni(params('n1', { cniVersion: '1.0.0', name: 't', plugins: [{ type: 'macvlan', master: 'eth1 type dummy' }] }))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:n1', 'r', CheckResult.FAILED, `ResourceClaimTemplate lab/t: 'spec.spec.devices.config[0].opaque.parameters.config.plugins[0].master' is not a valid link name: got "eth1 type dummy"; ${LINK_FIX}`]],
    ['a path option on the node', [template('t', [req('r')], [cni(params('n1', bridge('t', ['10.8.0.1/24'], { kubeconfig: '/etc/kubernetes/admin.conf' })))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:n1', 't', CheckResult.UNSUPPORTED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters.config.plugins[0].kubeconfig\' is a path on the node: got "/etc/kubernetes/admin.conf"; verify keeps every file inside its run and does not emulate path options']],
    ['two devices for one interface', [template('t', [req('r', { deviceClassName: DRIVER_CLASS, allocationMode: 'ExactCount', count: 2 })], [cni(params('n1', bridge('t', ['10.8.0.1/24'])))])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:?', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.requests[0].exactly.count\' must be 1 for a cni-dra-driver request (one interface per request): got 2; ask for one device per interface']],
    ['a config for a request the claim does not have', [template('t', [req('r')], [cni(params('n1', bridge('t', ['10.8.0.1/24'])), ['nope'])])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:?', 'nope', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].requests\' names no request of the claim: got "nope"; name a request of \'spec.spec.devices.requests\'']],
    ['parameters that are text', [template('t', [req('r')], [cni('{"ifName":"n1"}')])], [{ name: 't', resourceClaimTemplateName: 't' }],
      ['lab/w:?', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/t: \'spec.spec.devices.config[0].opaque.parameters\' is not an object: got "{\\"ifName\\":\\"n1\\"}"; write { apiVersion, kind: CNI, ifName, config }']],
  ];

  test.each(cases)('%s', (_name, extra, claims, expected) => {
    const docs = [good, ...extra, deployment('w', [{ name: 'good', resourceClaimTemplateName: 'good' }, ...(claims as object[])])];
    expect(rows(docs)).toEqual([['lab/w:good0', 'good', 'runs', '[{"ips":["10.9.0.1/24"]}]'], expected]);
  });

  test('resourceClaims that is no list fails the workload\'s claims only (its annotated attachment still runs)', () => {
    const nad = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'plain', namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'plain', type: 'bridge', bridge: 'br-plain' }) } };
    expect(rows([nad, deployment('w', 'good', { 'k8s.v1.cni.cncf.io/networks': 'plain' })])).toEqual([
      ['lab/w:net1', 'plain', 'runs', '[null]'],
      ['lab/w:?', 'spec.template.spec.resourceClaims', CheckResult.FAILED, 'lab/w: \'spec.template.spec.resourceClaims\' must be a list: got "good"; write [{ name, resourceClaimTemplateName }]'],
    ]);
  });

  test('claims count towards the attachments a pod may have', () => {
    const many = template('many', Array.from({ length: 33 }, (_, i) => req(`r${i}`)), Array.from({ length: 33 }, (_, i) => cni(params(`n${i}`, bridge(`m${i}`, [`10.7.${i}.1/24`])), [`r${i}`])));
    const plan = planRun(objects(many, deployment('w', [{ name: 'many', resourceClaimTemplateName: 'many' }])));
    expect(plan.attachments).toEqual([]);
    expect(plan.inputRows.map((r) => r.reason)).toEqual([
      'Deployment lab/w: \'spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]\' and \'spec.template.spec.resourceClaims\' ask for more networks than verify attaches to one pod: got 33; attach at most 32 networks per pod',
    ]);
  });
});
