import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import * as kplus from 'cdk8s-plus-33';
import { FiveGDraChart, FiveGRendering } from '../../examples/five-g-dra/chart';
import { AttachmentRendering } from '../../lib/attachment-rendering';
import { DraLint } from '../../lib/cli/dra-lint';
import { driverDeviceClass } from '../../lib/dra/render';
import { CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER } from '../../lib/dra/cni-dra-driver';
import { DraDeviceClass, DraNetworkClaims } from '../../lib/dra/network-claims';
import { SRIOV_DRA_DEVICE_CLASS, SRIOV_DRA_DRIVER } from '../../lib/dra/sriov-dra-driver';
import { PluginsProfile } from '../../lib/cni/profile';
import { PreinstalledCniPlugins } from '../../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { applyManifests } from '../../lib/toolchain/apply-manifests';
import { ControlPlane } from '../../lib/toolchain/control-plane';
import { KubeObject } from '../../lib/toolchain/kube-client';
import { formatDifferences, meaningful } from '../../lib/toolchain/subset';
import { BUILD_TIMEOUT_MS, describeWithToolchain, startTestControlPlane } from '../util/toolchain';

/**
 * The renderings against a real kube-apiserver 1.34: the 5G example in each rendering (NADs and
 * annotations, cni-dra-driver claims, SR-IOV DRA claims with their NADs) and a DRANET claim
 * applied server-side, read back and compared by meaning; and the shape lint flags (Multus's
 * how-to: deviceClassName directly on a v1 request) refused by the server itself.
 *
 * The fourth rendering, OVN-Kubernetes ClusterUserDefinedNetworks (examples/five-g-dra/udn-chart.ts),
 * is NOT applied here: the server needs the k8s.ovn.org/v1 CRDs, and they cannot be had on this
 * machine. They are generated from the OVN-Kubernetes Go types (go-controller/pkg/crd/userdefinednetwork)
 * with controller-gen, and the Go module proxy answers 403 Forbidden for
 * github.com/ovn-org/ovn-kubernetes/go-controller and
 * github.com/ovn-kubernetes/ovn-kubernetes/go-controller at every version, including the real
 * pseudo-version v0.0.0-20241220232705-6c366bb49d6f (tried again 2026-12-05); copying the CRD
 * YAML from upstream is not done (the project never copies upstream code). What stands instead:
 * the UDN objects are checked by the CEL rules we model (lib/ovnk, test/ovnk) and by lint
 * (test/ovnk/five-g-udn.test.ts runs the command on the synthesized chart).
 */

const CRD = path.resolve(__dirname, '..', '..', 'crds', 'network-attachment-definition.yaml');
const parse = (text: string): KubeObject[] => YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o) as KubeObject[];

describeWithToolchain('the DRA rendering is accepted and kept by a real kube-apiserver 1.34 (resource.k8s.io/v1)', ['etcd', 'kube-apiserver'], () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  test('the server serves ResourceClaimTemplate and DeviceClass in resource.k8s.io/v1', async () => {
    expect(await cp.client.resourceOf('resource.k8s.io/v1', 'ResourceClaimTemplate')).toEqual({ plural: 'resourceclaimtemplates', namespaced: true });
    expect(await cp.client.resourceOf('resource.k8s.io/v1', 'DeviceClass')).toEqual({ plural: 'deviceclasses', namespaced: false });
  });

  test('every object of the 5G example\'s DRA rendering (plus the driver\'s device class) is applied, read back and equal to what synth wrote', async () => {
    const objects = [
      ...parse(fs.readFileSync(CRD, 'utf8')),
      driverDeviceClass(CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER) as unknown as KubeObject,
      ...(Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra')) as KubeObject[]),
    ];
    const report = await applyManifests(cp.client, objects);
    expect(report.outcomes.length).toBe(objects.length);
    const findings = report.outcomes.flatMap((o) => o.error ? [`${o.object}: rejected: ${o.error}`] : formatDifferences(meaningful(o.differences)).map((d) => `${o.object}: ${d}`));
    expect(findings).toEqual([]);
    const kinds = report.outcomes.filter((o) => o.stored).map((o) => o.object.split(' ')[0]);
    expect(kinds.filter((k) => k === 'ResourceClaimTemplate')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(5);
    // the stored pods' claims are the ones written (1.34's PodResourceClaim fields)
    const upf = report.outcomes.find((o) => o.object === 'Deployment fivegc-up/upf-0')!.stored as any;
    expect(upf.spec.template.spec.resourceClaims).toEqual([
      { name: 'n3', resourceClaimTemplateName: 'upf-0-n3' }, { name: 'n4', resourceClaimTemplateName: 'upf-0-n4' }, { name: 'n6', resourceClaimTemplateName: 'upf-0-n6' },
    ]);
  }, 120_000);

  test('the 5G example in every rendering of one chart (annotation, cni-dra-driver, SR-IOV DRA), each applied and read back equal (a claim template is immutable: re-rendering in place is refused)', async () => {
    const base = [
      ...parse(fs.readFileSync(CRD, 'utf8')),
      driverDeviceClass(CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER) as unknown as KubeObject,
      driverDeviceClass(SRIOV_DRA_DEVICE_CLASS, SRIOV_DRA_DRIVER) as unknown as KubeObject,
    ];
    const counts: Record<string, Record<string, number>> = {};
    const findingsOf = (report: Awaited<ReturnType<typeof applyManifests>>) => report.outcomes.flatMap((o) => o.error
      ? [`${o.object}: rejected: ${o.error.replace(/ResourceClaimTemplate\.resource\.k8s\.io "([^"]+)" is invalid: spec: Invalid value: .*: field is immutable/, 'spec of $1 is immutable')}`]
      : formatDifferences(meaningful(o.differences)).map((d) => `${o.object}: ${d}`));
    const count = (report: Awaited<ReturnType<typeof applyManifests>>) => {
      const c: Record<string, number> = {};
      for (const o of report.outcomes.filter((x) => x.stored)) c[o.object.split(' ')[0]] = (c[o.object.split(' ')[0]] ?? 0) + 1;
      return c;
    };
    const synth = (rendering: FiveGRendering) => [...base, ...(Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra', { rendering })) as KubeObject[])];
    for (const rendering of [AttachmentRendering.NAD_ANNOTATION, AttachmentRendering.DRA_CNI] as FiveGRendering[]) {
      const report = await applyManifests(cp.client, synth(rendering));
      expect([rendering, findingsOf(report)]).toEqual([rendering, []]);
      counts[rendering] = count(report);
    }
    // a ResourceClaimTemplate's spec is immutable: re-rendering N3 from cni-dra-driver to SR-IOV
    // DRA in place is refused for the three N3 templates (delete them first, or rename them)
    const inPlace = await applyManifests(cp.client, synth(AttachmentRendering.DRA_SRIOV));
    expect(findingsOf(inPlace).map((f) => f.replace(/: rejected: apply .*: the API server answered 422 Invalid: /, ': '))).toEqual([
      'ResourceClaimTemplate fivegc-up/upf-0-n3: spec of upf-0-n3 is immutable',
      'ResourceClaimTemplate fivegc-up/upf-1-n3: spec of upf-1-n3 is immutable',
      'ResourceClaimTemplate ran/gnb-sim-n3: spec of gnb-sim-n3 is immutable',
    ]);
    // the SR-IOV DRA rendering on its own (its namespaces renamed, nothing else changed): all applied, read back equal
    const fresh = synth(AttachmentRendering.DRA_SRIOV).map((o) => {
      const m = o.metadata as { name: string; namespace?: string };
      if (o.kind === 'Namespace') return { ...o, metadata: { ...m, name: `${m.name}-sriov` } };
      return m.namespace ? { ...o, metadata: { ...m, namespace: `${m.namespace}-sriov` } } : o;
    });
    const report = await applyManifests(cp.client, fresh);
    expect([AttachmentRendering.DRA_SRIOV, findingsOf(report)]).toEqual([AttachmentRendering.DRA_SRIOV, []]);
    counts[AttachmentRendering.DRA_SRIOV] = count(report);
    expect(counts).toEqual({
      [AttachmentRendering.NAD_ANNOTATION]: { CustomResourceDefinition: 1, DeviceClass: 2, Namespace: 3, NetworkAttachmentDefinition: 7, Deployment: 5 },
      [AttachmentRendering.DRA_CNI]: { CustomResourceDefinition: 1, DeviceClass: 2, Namespace: 3, Deployment: 5, ResourceClaimTemplate: 10 },
      [AttachmentRendering.DRA_SRIOV]: { CustomResourceDefinition: 1, DeviceClass: 2, Namespace: 3, NetworkAttachmentDefinition: 3, Deployment: 5, ResourceClaimTemplate: 10 },
    });
    // the server keeps upf-0's VF claim as written: the VfConfig and the pinned resource
    const stored = await cp.client.get({ apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { namespace: 'fivegc-up-sriov', name: 'upf-0-n3' } }) as any;
    expect(stored.spec.spec.devices.config[0].opaque.parameters).toEqual({ apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', ifName: 'n3', netAttachDefName: 'n3-upf-0' });
    expect(stored.spec.spec.devices.requests[0].exactly.selectors).toEqual([{ cel: { expression: 'device.attributes["k8s.cni.cncf.io"].resourceName == "intel.com/sriov_n3"' } }]);
  }, 180_000);

  test('a DRANET claim (host interface, static address, an owned device class) is applied and read back equal', async () => {
    const chart = Testing.chart();
    new kplus.Namespace(chart, 'Ns', { metadata: { name: 'dranet-demo' } });
    const n7 = new Network(chart, 'N7', { name: 'n7', plugin: NetworkPlugin.hostDevice({ device: 'ens1f0' }), subnets: ['10.7.0.0/24'], gateways: ['10.7.0.1'], ipam: IpamMode.STATIC });
    const d = new kplus.Deployment(chart, 'Probe', { metadata: { name: 'probe', namespace: 'dranet-demo' }, replicas: 1, containers: [{ image: 'registry.example.com/probe:1.0.0' }] });
    new DraNetworkClaims(chart, 'C', { workload: d, rendering: AttachmentRendering.DRA_DRANET, deviceClass: DraDeviceClass.owned('dranet') })
      .attach(n7, { interface: 'n7', ips: ['10.7.0.5/24'], mac: '02:00:00:00:00:07' });
    const objects = Testing.synth(chart) as KubeObject[];
    const report = await applyManifests(cp.client, objects);
    const findings = report.outcomes.flatMap((o) => o.error ? [`${o.object}: rejected: ${o.error}`] : formatDifferences(meaningful(o.differences)).map((x) => `${o.object}: ${x}`));
    expect(findings).toEqual([]);
    expect(report.outcomes.filter((o) => o.stored).map((o) => o.object).sort()).toEqual(['Deployment dranet-demo/probe', 'DeviceClass dranet', 'Namespace dranet-demo', 'ResourceClaimTemplate dranet-demo/probe-n7']);
  }, 60_000);

  test('a container listing its claim (resources.claims, for a driver that injects a device node) is applied and read back equal', async () => {
    const chart = Testing.chart();
    new kplus.Namespace(chart, 'Ns', { metadata: { name: 'dpdk-demo' } });
    PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
    const n3 = new Network(chart, 'N3', { name: 'n3', plugin: NetworkPlugin.sriov({ resourceName: 'intel.com/sriov_vfio' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.STATIC });
    const d = new kplus.Deployment(chart, 'Dpdk', { metadata: { name: 'dpdk', namespace: 'dpdk-demo' }, replicas: 1, containers: [{ name: 'testpmd', image: 'registry.example.com/testpmd:1.0.0' }, { name: 'agent', image: 'registry.example.com/agent:1.0.0' }] });
    new DraNetworkClaims(chart, 'C', { workload: d, rendering: AttachmentRendering.DRA_SRIOV })
      .attach(n3.addNad('Vf', { name: 'n3-dpdk', namespace: 'dpdk-demo', addresses: ['10.3.0.7'] }), { interface: 'dpdk0', container: 'testpmd' });
    const objects = [...parse(fs.readFileSync(CRD, 'utf8')), ...Testing.synth(chart)] as KubeObject[];
    const report = await applyManifests(cp.client, objects);
    const findings = report.outcomes.flatMap((o) => o.error ? [`${o.object}: rejected: ${o.error}`] : formatDifferences(meaningful(o.differences)).map((x) => `${o.object}: ${x}`));
    expect(findings).toEqual([]);
    const stored = report.outcomes.find((o) => o.object === 'Deployment dpdk-demo/dpdk')!.stored as any;
    expect(stored.spec.template.spec.containers.map((c: any) => c.resources?.claims ?? null)).toEqual([[{ name: 'dpdk0' }], null]);
    expect(stored.spec.template.spec.resourceClaims).toEqual([{ name: 'dpdk0', resourceClaimTemplateName: 'dpdk-dpdk0' }]);
  }, 60_000);

  test('Multus\'s how-to shape, flagged by lint, is refused by the server too', async () => {
    const howto: KubeObject = {
      apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { namespace: 'default', name: 'sriov-template' },
      spec: { spec: { devices: { requests: [{ name: 'vf', deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io' }] } } },
    } as unknown as KubeObject;
    const lint = new DraLint();
    lint.add({ file: 'howto.yaml', index: 0, object: howto });
    expect(lint.findings().map((f) => f.field)).toEqual(['spec.spec.devices.requests[0].deviceClassName']);
    const report = await applyManifests(cp.client, [howto]);
    expect(report.outcomes[0].stored).toBeUndefined();
    expect(report.outcomes[0].error).toContain('.spec.spec.devices.requests[0].deviceClassName: field not declared in schema');
    process.stderr.write(`[dra-apply] the server on the how-to shape: ${report.outcomes[0].error}\n`);
  }, 60_000);

  test('a cni-dra-driver request for two devices passes the server and is caught by lint only', async () => {
    const objects = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra-2'));
    const t = JSON.parse(JSON.stringify(objects.find((o) => o.kind === 'ResourceClaimTemplate' && o.metadata.name === 'amf-n2')));
    t.metadata.name = 'amf-n2-twice';
    t.spec.spec.devices.requests[0].exactly.count = 2;
    const lint = new DraLint();
    lint.add({ file: 'x.yaml', index: 0, object: t });
    expect(lint.findings().map((f) => f.field)).toEqual(['spec.spec.devices.requests[0].exactly']);
    const report = await applyManifests(cp.client, [t]);
    expect(report.outcomes[0].error).toBeUndefined();
  }, 60_000);
});
