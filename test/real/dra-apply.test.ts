import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { FiveGDraChart } from '../../examples/five-g-dra/chart';
import { DraLint } from '../../lib/cli/dra-lint';
import { driverDeviceClass } from '../../lib/dra/render';
import { CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER } from '../../lib/dra/cni-dra-driver';
import { applyManifests } from '../../lib/toolchain/apply-manifests';
import { ControlPlane } from '../../lib/toolchain/control-plane';
import { KubeObject } from '../../lib/toolchain/kube-client';
import { formatDifferences, meaningful } from '../../lib/toolchain/subset';
import { BUILD_TIMEOUT_MS, describeWithToolchain, startTestControlPlane } from '../util/toolchain';

/**
 * The DRA rendering against a real kube-apiserver 1.34: the 5G example's claims, templates and
 * workloads applied server-side, read back and compared by meaning; and the shape lint flags
 * (Multus's how-to: deviceClassName directly on a v1 request) refused by the server itself.
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
