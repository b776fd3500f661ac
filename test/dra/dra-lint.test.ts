import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { FiveGDraChart } from '../../examples/five-g-dra/chart';
import { formatProblem, Severity } from '../../lib/cni/problem';
import { DraLint, DraLintFinding } from '../../lib/cli/dra-lint';
import { runCli } from '../util/cli';

function lint(yaml: string | object[]): DraLintFinding[] {
  const objects = typeof yaml === 'string' ? YAML.parseAllDocuments(yaml).map((d) => d.toJSON()) : yaml;
  const l = new DraLint();
  objects.forEach((object, index) => l.add({ file: 'in.yaml', index, object }));
  return l.findings();
}
const line = (f: DraLintFinding) => `${f.object}: ${f.severity}: ${formatProblem({ ...f })}`;

/** Multus's how-to (docs/how-to-use.md, multus-cni@95a0932): a v1 template with the v1beta1 request shape. */
const MULTUS_HOWTO = `
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {namespace: default, name: sriov-template}
spec:
  spec:
    devices:
      requests:
      - name: vf
        deviceClassName: sriovnetwork.k8snetworkplumbingwg.io
---
apiVersion: v1
kind: Pod
metadata:
  namespace: default
  name: sriov-pod
  annotations: {k8s.v1.cni.cncf.io/networks: sriov-net}
spec:
  containers:
  - name: with-resource
    image: docker.io/library/ubuntu:22.04
    resources: {claims: [{name: sriov}]}
  resourceClaims:
  - {name: sriov, resourceClaimTemplateName: sriov-template}
`;

/** The SR-IOV DRA driver's single-VF demo (dra-driver-sriov@cd9404f demo/single-vf-claim), the v1 shape. */
const SRIOV_DEMO = `
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {namespace: vf-test1, name: single-vf}
spec:
  spec:
    devices:
      requests:
      - name: vf
        exactly: {deviceClassName: sriovnetwork.k8snetworkplumbingwg.io}
      config:
      - requests: ["vf"]
        opaque:
          driver: sriovnetwork.k8snetworkplumbingwg.io
          parameters: {apiVersion: sriovnetwork.k8snetworkplumbingwg.io/v1alpha1, kind: VfConfig, ifName: net1, netAttachDefName: vf-test1}
---
apiVersion: v1
kind: Pod
metadata: {namespace: vf-test1, name: pod0}
spec:
  containers:
  - name: ctr0
    image: quay.io/schseba/toolbox:latest
    resources: {claims: [{name: vf}]}
  resourceClaims:
  - {name: vf, resourceClaimTemplateName: single-vf}
`;

describe('lint of DRA objects (lib/cli/dra-lint.ts)', () => {
  test('Multus\'s how-to shape is flagged in the house style, with the fix', () => {
    expect(lint(MULTUS_HOWTO).map(line)).toEqual([
      "ResourceClaimTemplate default/sriov-template: error: 'spec.spec.devices.requests[0].deviceClassName' is set directly on the request (the resource.k8s.io/v1beta1 shape; v1 refuses it): got \"sriovnetwork.k8snetworkplumbingwg.io\"; move it under 'exactly': { name: \"vf\", exactly: { deviceClassName: \"sriovnetwork.k8snetworkplumbingwg.io\" } }",
    ]);
  });

  test('the SR-IOV driver\'s v1 demo has no finding', () => {
    expect(lint(SRIOV_DEMO)).toEqual([]);
  });

  test('the 5G example rendered as DRA claims has no finding', () => {
    const objects = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra'));
    expect(lint(objects)).toEqual([]);
  });

  test('a container naming an undeclared claim, a template of another namespace', () => {
    const y = SRIOV_DEMO.replace('namespace: vf-test1, name: single-vf', 'namespace: other, name: single-vf').replace('claims: [{name: vf}]', 'claims: [{name: vf}, {name: gpu}]');
    expect(lint(y).map(line)).toEqual([
      "Pod vf-test1/pod0: error: 'spec.resourceClaims[0].resourceClaimTemplateName' names no ResourceClaimTemplate of the pod's namespace: got \"single-vf\"; create the template in the namespace, or fix the name",
      "Pod vf-test1/pod0: error: 'spec.containers[0].resources.claims[1].name' names no claim of the pod's spec.resourceClaims: got \"gpu\"; use one of \"vf\"",
    ]);
  });

  test('the NAD resourceName against the attribute the claim selects, and the device count', () => {
    const y = `
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: sriov-net, namespace: default, annotations: {k8s.v1.cni.cncf.io/resourceName: intel.com/sriov_vf}}
spec: {config: '{"cniVersion":"1.0.0","name":"sriov-net","type":"sriov"}'}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {namespace: default, name: vfs}
spec:
  spec:
    devices:
      requests:
      - name: vf
        exactly:
          deviceClassName: sriovnetwork.k8snetworkplumbingwg.io
          count: 2
          selectors: [{cel: {expression: 'device.attributes["k8s.cni.cncf.io"].resourceName == "sriov_vf"'}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {namespace: default, name: dpdk}
spec:
  replicas: 2
  template:
    metadata: {annotations: {k8s.v1.cni.cncf.io/networks: 'sriov-net'}}
    spec:
      containers: [{name: c, image: x:1, resources: {claims: [{name: vfs}]}}]
      resourceClaims: [{name: vfs, resourceClaimTemplateName: vfs}]
`;
    expect(lint(y).map(line)).toEqual([
      "Deployment default/dpdk: error: 'spec.template.metadata.annotations[\"k8s.v1.cni.cncf.io/networks\"][0].resourceName' matches no device the pod's claims select by k8s.cni.cncf.io/resourceName: got \"intel.com/sriov_vf\"; make the NAD's resourceName \"sriov_vf\" (the attribute the claims select), or select \"intel.com/sriov_vf\" in the claim",
      "Deployment default/dpdk: warning: 'spec.template.spec.resourceClaims' take 2 device(s) with k8s.cni.cncf.io/resourceName \"sriov_vf\" that no attachment uses: got \"sriov_vf\"; attach a NAD whose resourceName is this value, or drop the request",
    ]);
    const fixed = y.replace('intel.com/sriov_vf', 'sriov_vf');
    expect(lint(fixed).map(line)).toEqual([
      "Deployment default/dpdk: error: 'spec.template.spec.resourceClaims' take 2 device(s) with k8s.cni.cncf.io/resourceName \"sriov_vf\" for 1 attachment(s): got 2; request exactly 1 (allocationMode ExactCount, count 1)",
    ]);
    expect(lint(fixed.replace("networks: 'sriov-net'", "networks: 'sriov-net,sriov-net'"))).toEqual([]);
  });

  test('one cni-dra-driver ResourceClaim shared by the pods of a Deployment', () => {
    const objects = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra'));
    const t = objects.find((o) => o.kind === 'ResourceClaimTemplate' && o.metadata.name === 'amf-n2');
    const claim = { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: t.metadata, spec: t.spec.spec };
    const amf = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'amf');
    amf.spec.replicas = 2;
    amf.spec.template.spec.resourceClaims = [{ name: 'n2', resourceClaimName: 'amf-n2' }];
    expect(lint([claim, amf]).map(line)).toEqual([
      "Deployment fivegc-cp/amf: error: 'spec.template.spec.resourceClaims[0].resourceClaimName' names one ResourceClaim for every pod of the Deployment, but a cni.dra.networking.x-k8s.io claim configures one pod: got \"amf-n2\"; use resourceClaimTemplateName: each pod gets its own claim from the template",
    ]);
  });

  test('driver parameters in a claim and in a DeviceClass; an older apiVersion is a warning', () => {
    const findings = lint([
      { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'multinic' },
        spec: { selectors: [{ cel: { expression: 'device.driver == "dra.net"' } }], config: [{ opaque: { driver: 'dra.net', parameters: { apiVersion: 'x', interface: {} } } }] } },
      { apiVersion: 'resource.k8s.io/v1beta1', kind: 'ResourceClaim', metadata: { name: 'old', namespace: 'default' }, spec: { devices: { requests: [{ name: 'a', deviceClassName: 'c' }] } } },
    ]);
    expect(findings.map((f) => [f.object, f.field, f.severity])).toEqual([
      ['DeviceClass multinic', 'spec.config[0].opaque.parameters.apiVersion', Severity.ERROR],
      ['ResourceClaim default/old', 'apiVersion', Severity.WARNING],
    ]);
  });
});

/** The SR-IOV DRA driver's Multus integration (dra-driver-sriov@cd9404f demo/multus-integration-multiple-vf): devices by claim, not by device plugin. */
const SRIOV_MULTUS = `
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: vf-test1, namespace: vf-test8, annotations: {k8s.v1.cni.cncf.io/resourceName: sriov_nic_1}}
spec: {config: '{"cniVersion":"1.0.0","name":"vf-test1","type":"sriov","ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.2.0/24"}]]}}'}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {namespace: vf-test8, name: vf-test8}
spec:
  spec:
    devices:
      requests:
      - name: vf
        exactly:
          deviceClassName: sriovnetwork.k8snetworkplumbingwg.io
          count: 2
          selectors: [{cel: {expression: 'device.attributes["k8s.cni.cncf.io"].resourceName == "sriov_nic_1"'}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {namespace: vf-test8, name: pod0}
spec:
  replicas: 1
  template:
    metadata: {annotations: {k8s.v1.cni.cncf.io/networks: 'vf-test1,vf-test1'}}
    spec:
      containers: [{name: ctr0, image: 'quay.io/schseba/toolbox:1.0', resources: {claims: [{name: sriov}]}}]
      resourceClaims: [{name: sriov, resourceClaimTemplateName: vf-test8}]
`;

describe('`cdk8s-nfv lint` on DRA objects (the call in lib/cli/lint.ts)', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-dra-lint-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('Multus\'s how-to shape: one error line in the house style and exit code 1', async () => {
    const file = path.join(dir, 'howto.yaml');
    fs.writeFileSync(file, MULTUS_HOWTO);
    const r = await runCli(['lint', file]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toContain(`${file}: ResourceClaimTemplate default/sriov-template: error: 'spec.spec.devices.requests[0].deviceClassName' is set directly on the request (the resource.k8s.io/v1beta1 shape; v1 refuses it): got "sriovnetwork.k8snetworkplumbingwg.io"; move it under 'exactly': { name: "vf", exactly: { deviceClassName: "sriovnetwork.k8snetworkplumbingwg.io" } }`);
  });

  test('the DRA checks find the Multus-integration demo coherent (two attachments, two devices pinned to the NAD\'s resourceName)', () => {
    expect(lint(SRIOV_MULTUS)).toEqual([]);
  });

  // the topology reader counts the devices a pod's claims pin to a resource name as requests of
  // that resource, so the device-plugin check does not say "requested 0 time(s)"
  test('the Multus-integration demo lints with exit code 0 (the device-plugin check counts DRA devices)', async () => {
    const file = path.join(dir, 'sriov-multus.yaml');
    fs.writeFileSync(file, SRIOV_MULTUS);
    const r = await runCli(['lint', file]);
    expect([r.code, r.out.split('\n').filter((l) => l.includes('error:'))]).toEqual([0, []]);
  });

  test('the SR-IOV driver\'s demo: exit code 0', async () => {
    const file = path.join(dir, 'sriov.yaml');
    fs.writeFileSync(file, SRIOV_DEMO);
    const r = await runCli(['lint', file]);
    expect([r.code, r.err]).toEqual([0, '']);
  });
});

describe('lint of the SR-IOV DRA and DRANET objects', () => {
  /** The SR-IOV DRA rendering of one pod in namespace up: a NAD with a resourceName, a template pinned to it, a Deployment. */
  const sriov = (opts: { nad?: string; resource?: string; claimName?: boolean; replicas?: number } = {}) => [
    { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { namespace: 'up', name: opts.nad ?? 'n3', annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'intel.com/sriov_n3' } },
      spec: { config: '{"cniVersion":"1.0.0","name":"n3","plugins":[{"type":"sriov","ipam":{"type":"host-local","subnet":"10.3.0.0/24"}}]}' } },
    { apiVersion: 'resource.k8s.io/v1', kind: opts.claimName ? 'ResourceClaim' : 'ResourceClaimTemplate', metadata: { namespace: 'up', name: 'upf-n3' },
      spec: (() => {
        const spec = { devices: {
          requests: [{ name: 'n3', exactly: { deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io', selectors: [{ cel: { expression: `device.attributes["k8s.cni.cncf.io"].resourceName == "${opts.resource ?? 'intel.com/sriov_n3'}"` } }], count: 1 } }],
          config: [{ requests: ['n3'], opaque: { driver: 'sriovnetwork.k8snetworkplumbingwg.io', parameters: { apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', ifName: 'n3', netAttachDefName: 'n3' } } }],
        } };
        return opts.claimName ? spec : { spec };
      })() },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'up', name: 'upf' },
      spec: { replicas: opts.replicas ?? 1, template: { spec: { containers: [{ name: 'upf', image: 'x:1' }], resourceClaims: [opts.claimName ? { name: 'n3', resourceClaimName: 'upf-n3' } : { name: 'n3', resourceClaimTemplateName: 'upf-n3' }] } } } },
  ];

  test('the SR-IOV DRA rendering as synthesized: no finding (the VfConfig\'s NAD is the attachment of the VF)', () => {
    expect(lint(sriov())).toEqual([]);
  });

  test('a VfConfig naming a NAD that is not in the claim\'s namespace', () => {
    expect(lint(sriov({ nad: 'n3-other' })).map(line)).toEqual([
      'ResourceClaimTemplate up/upf-n3: error: \'spec.spec.devices.config[].opaque.parameters.netAttachDefName\' names no NetworkAttachmentDefinition of the inputs in namespace up (the SR-IOV DRA driver reads it there): got "n3"; create the NAD n3 in up, or name one that exists there',
      'Deployment up/upf: warning: \'spec.template.spec.resourceClaims\' take 1 device(s) with k8s.cni.cncf.io/resourceName "intel.com/sriov_n3" that no attachment uses: got "intel.com/sriov_n3"; attach a NAD whose resourceName is this value, or drop the request',
    ]);
  });

  test('a VF pinned to another resource than its NAD\'s resourceName (Multus would match no device)', () => {
    expect(lint(sriov({ resource: 'intel.com/sriov_other' })).map(line)).toEqual([
      'Deployment up/upf: error: \'spec.template.spec.resourceClaims\' matches no device the pod\'s claims select by k8s.cni.cncf.io/resourceName: got "intel.com/sriov_n3"; make the NAD\'s resourceName "intel.com/sriov_other" (the attribute the claims select), or select "intel.com/sriov_n3" in the claim',
      'Deployment up/upf: warning: \'spec.template.spec.resourceClaims\' take 1 device(s) with k8s.cni.cncf.io/resourceName "intel.com/sriov_other" that no attachment uses: got "intel.com/sriov_other"; attach a NAD whose resourceName is this value, or drop the request',
    ]);
  });

  test('one SR-IOV ResourceClaim named by every pod of a two-replica Deployment', () => {
    expect(lint(sriov({ claimName: true, replicas: 2 })).map(line)).toContain(
      'Deployment up/upf: error: \'spec.template.spec.resourceClaims[0].resourceClaimName\' names one ResourceClaim for every pod of the Deployment, but a sriovnetwork.k8snetworkplumbingwg.io claim configures one pod: got "upf-n3"; use resourceClaimTemplateName: each pod gets its own claim from the template');
  });

  test('DRANET parameters with an apiVersion and a universe route without gateway (its strict decoder refuses them)', () => {
    const t = { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { namespace: 'up', name: 'upf-n7' }, spec: { spec: { devices: {
      requests: [{ name: 'n7', exactly: { deviceClassName: 'dranet', count: 1 } }],
      config: [{ requests: ['n7'], opaque: { driver: 'dra.net', parameters: { apiVersion: 'dra.net/v1', interface: { name: 'n7', addresses: ['10.7.0.5/24'] }, routes: [{ destination: '0.0.0.0/0' }] } } }],
    } } } };
    expect(lint([t]).map(line)).toEqual([
      'ResourceClaimTemplate up/upf-n7: error: \'spec.spec.devices.config[0].opaque.parameters.apiVersion\' is not a NetworkConfig field (DRANET decodes strictly and refuses the claim): got "dra.net/v1"; remove it: DRANET parameters carry no apiVersion or kind',
      'ResourceClaimTemplate up/upf-n7: error: \'spec.spec.devices.config[0].opaque.parameters.routes[0].gateway\' is required for a universe-scope route: got nothing; give the gateway, or set scope 253 for an on-link route',
    ]);
  });
});
