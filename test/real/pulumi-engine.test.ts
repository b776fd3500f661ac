import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalWorkspace, PulumiCommand, Stack } from '@pulumi/pulumi/automation';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { crdsChart, deployExamples, readExamplesConfig } from '../../examples/pulumi/program';
import { objectSuffix } from '../../lib/pulumi/deployment-plan';
import { compareStored } from '../../lib/toolchain/apply-manifests';
import { ControlPlane, startControlPlane } from '../../lib/toolchain/control-plane';
import { KubeObject } from '../../lib/toolchain/kube-client';
import { StepRecord, pulumiEnvironment, stepRecorder } from '../../lib/toolchain/pulumi-engine';
import { formatDifferences } from '../../lib/toolchain/subset';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain } from '../util/toolchain';

/**
 * The Pulumi path driven by the real engine: the Pulumi CLI and the Kubernetes provider built from
 * Go modules by the toolchain, against the private control plane (etcd + kube-apiserver, no
 * controllers, no kubelet). The example program (examples/pulumi) runs as an Automation API
 * inline program in this process. The Kubernetes SDK is the one pinned to the provider's version
 * (@pulumi/kubernetes 4.25.0, installed as the alias pulumi-kubernetes-4-25).
 * With CDK8S_NFV_PULUMI_TRANSCRIPT=<file>, the CLI's output of every run is written there.
 */
jest.mock('@pulumi/kubernetes', () => jest.requireActual('pulumi-kubernetes-4-25'));

const PROJECT = 'cdk8s-nfv-examples';
const COMPONENT = 'cdk8s-nfv:index:Cdk8sDeployment';
const STEP_TIMEOUT_MS = 10 * 60 * 1000;
/** What the example deploys here: the 5G core with the CRDs it uses; no kubelet, so no readiness waits. */
const CONFIG = { charts: 'five-g', installCrds: 'true', awaitReadiness: 'false', deletionPropagation: 'background' };

/** The objects synth writes for the same charts the program deploys (after `change`). */
function synthesized(change: (app: App) => void = () => undefined): KubeObject[] {
  const app = new App();
  buildExamples(app);
  change(app);
  const fiveG = app.charts.find((c) => c.node.id === 'five-g')!;
  return [crdsChart(), fiveG].flatMap((c) => c.toJson() as KubeObject[]);
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.apiVersion}/${o.kind}/${o.metadata.namespace}/${o.metadata.name}` : `${o.apiVersion}/${o.kind}/${o.metadata.name}`;
}

/** `<kind>/<name>` of a child's URN (`...Cdk8sDeployment$kubernetes:<group/version>:<Kind>::<name>`). */
function childOf(urn: string): { type: string; name: string } | undefined {
  const m = /\$(kubernetes:[^:]+:[A-Za-z]+)::(.+)$/.exec(urn);
  return m && urn.includes(`${COMPONENT}$`) ? { type: m[1], name: m[2] } : undefined;
}

/** The changed steps (not "same") among the component's children. */
function changes(steps: readonly StepRecord[]): Array<[string, string]> {
  return steps.filter((s) => s.op !== 'same' && childOf(s.urn)).map((s) => [s.op, childOf(s.urn)!.name] as [string, string]).sort();
}

/** A NAD of the five-g chart, by namespace and name. */
function nadOf(app: App, namespace: string, name: string): ApiObject {
  const chart = app.charts.find((c) => c.node.id === 'five-g') as Chart;
  const found = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject
    && c.kind === 'NetworkAttachmentDefinition' && c.name === name && c.metadata.namespace === namespace);
  if (found.length !== 1) throw new Error(`expected one NAD ${namespace}/${name}, found ${found.length}`);
  return found[0];
}

/** The N4 NAD of the control plane namespace with MTU 1400 in its CNI config. */
function changeN4Mtu(app: App): void {
  const nad = nadOf(app, 'fivegc-cp', 'n4');
  const config = JSON.parse((nad.toJson() as any).spec.config);
  config.plugins[0].mtu = 1400;
  nad.addJsonPatch(JsonPatch.replace('/spec/config', JSON.stringify(config)));
}

/** The 5G example without its gNB simulator. */
function withoutGnb(app: App): void {
  const chart = app.charts.find((c) => c.node.id === 'five-g')!;
  if (!chart.node.tryRemoveChild('Gnb')) throw new Error('five-g has no Gnb');
}

describeWithToolchain('pulumi up/preview/destroy of examples/pulumi with the real engine and Kubernetes provider', ['etcd', 'kube-apiserver', 'pulumi', 'pulumi-resource-kubernetes'], () => {
  let cp: ControlPlane;
  let dir: string;
  let stack: Stack;
  let change: (app: App) => void = () => undefined;
  const transcript: string[] = [];

  const program = async (): Promise<Record<string, unknown>> => {
    const app = new App();
    buildExamples(app);
    change(app);
    const examples = deployExamples(app, readExamplesConfig());
    return { objects: Object.keys(examples.resources) };
  };

  async function openStack(name: string, config: Record<string, string>): Promise<Stack> {
    const bins = await ensureToolchain(['pulumi', 'pulumi-resource-kubernetes']);
    const envVars = pulumiEnvironment({
      pluginDirs: [bins['pulumi-resource-kubernetes:binDir']],
      dir,
      kubeconfig: cp.kubeconfig,
      path: process.env.PATH ?? '/usr/bin:/bin',
    });
    const workDir = path.join(dir, 'workspace');
    fs.mkdirSync(workDir, { recursive: true });
    const s = await LocalWorkspace.createOrSelectStack({ projectName: PROJECT, stackName: name, program }, {
      workDir,
      pulumiHome: envVars.PULUMI_HOME,
      envVars,
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(bins['pulumi:binDir']) }),
      projectSettings: { name: PROJECT, runtime: 'nodejs', backend: { url: envVars.PULUMI_BACKEND_URL } },
    });
    for (const [k, v] of Object.entries(config)) await s.setConfig(k, { value: v });
    return s;
  }

  const onOutput = (o: string): void => {
    transcript.push(o);
  };

  async function stored(objects: readonly KubeObject[]): Promise<Map<string, KubeObject | undefined>> {
    const out = new Map<string, KubeObject | undefined>();
    for (const o of objects) out.set(keyOf(o), await cp.client.get(o));
    return out;
  }

  beforeAll(async () => {
    const bins = await ensureToolchain(['etcd', 'kube-apiserver', 'pulumi', 'pulumi-resource-kubernetes']);
    cp = await startControlPlane({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-pulumi-'));
    stack = await openStack('real', CONFIG);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (process.env.CDK8S_NFV_PULUMI_TRANSCRIPT) fs.writeFileSync(process.env.CDK8S_NFV_PULUMI_TRANSCRIPT, transcript.join(''));
  });

  test('the toolchain\'s pulumi reports the version the npm SDK is, and the provider sits beside the schema the module holds', async () => {
    const bins = await ensureToolchain(['pulumi', 'pulumi-resource-kubernetes']);
    const r = spawnSync(bins.pulumi, ['version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', PULUMI_SKIP_UPDATE_CHECK: 'true', PULUMI_HOME: path.join(dir, 'home') }, timeout: 60_000 });
    expect([r.status, r.stdout.trim()]).toEqual([0, `v${require('@pulumi/pulumi/package.json').version}`]);
    const schema = JSON.parse(fs.readFileSync(path.join(bins['pulumi-resource-kubernetes:binDir'], 'schema.json'), 'utf8'));
    expect(schema.name).toBe('kubernetes');
    expect(require('pulumi-kubernetes-4-25/package.json').version).toBe('4.25.0');
  }, STEP_TIMEOUT_MS);

  test('a cluster without the NAD CRD: pulumi up fails on the NADs, naming the missing kind, and creates nothing that needs them', async () => {
    const noCrds = await openStack('no-crds', { charts: 'quickstart', installCrds: 'false', awaitReadiness: 'false', deletionPropagation: 'background' });
    const rec = stepRecorder();
    transcript.push('$ pulumi up   # quickstart, on a cluster without the NAD CRD\n');
    const error = await noCrds.up({ onEvent: rec.onEvent, onOutput, color: 'never' }).then(() => undefined, (e: Error) => e);
    expect(error).toBeDefined();
    // the provider names the kind and the missing CRD, for each NAD
    const noMatch = 'with kind k8s.cni.cncf.io/v1/NetworkAttachmentDefinition failed because the Kubernetes API server reported that the apiVersion for this resource does not exist. '
      + 'Verify that any required CRDs have been created: no matches for kind "NetworkAttachmentDefinition" in version "k8s.cni.cncf.io/v1"';
    for (const nad of ['demo/data', 'demo/mgmt']) {
      expect([nad, rec.errors.some((e) => e.includes(`NetworkAttachmentDefinition::nfv-examples-networkattachmentdefinition.k8s.cni.cncf.io-${nad}"`) && e.includes(noMatch))]).toEqual([nad, true]);
    }
    // and the component said so at preview, before the engine reached the cluster
    expect(rec.warnings.join('\n')).toContain('\'charts\' use kinds whose CustomResourceDefinitions this deployment does not create: got ["k8s.cni.cncf.io/v1 NetworkAttachmentDefinition (2 objects)"]');
    expect(rec.errors.join('\n')).toContain('NetworkAttachmentDefinition');
    const app = new App();
    buildExamples(app);
    for (const o of app.charts.find((c) => c.node.id === 'quickstart')!.toJson() as KubeObject[]) {
      expect([keyOf(o), await cp.client.get(o).catch(() => undefined)]).toEqual([keyOf(o), undefined]);
    }
    const d = await noCrds.destroy({ onOutput, color: 'never' });
    expect(d.summary.result).toBe('succeeded');
  }, STEP_TIMEOUT_MS);

  test('pulumi preview lists one resource per object under the component, named after the object', async () => {
    const objects = synthesized();
    const rec = stepRecorder();
    transcript.push('$ pulumi preview\n');
    const r = await stack.preview({ onEvent: rec.onEvent, onOutput, color: 'never' });
    const children = rec.steps.filter((s) => childOf(s.urn));
    expect(children.map((s) => s.op)).toEqual(objects.map(() => 'create'));
    expect(children.map((s) => childOf(s.urn)!.name).sort()).toEqual(objects.map((o) => `nfv-examples-${objectSuffix(o)}`).sort());
    expect(r.changeSummary).toEqual({ create: objects.length + 3 }); // and the stack, the component and the provider
  }, STEP_TIMEOUT_MS);

  test('pulumi up on an empty cluster creates every object; the API server holds what synth writes, under the same names, applied server-side', async () => {
    const objects = synthesized();
    const rec = stepRecorder();
    transcript.push('$ pulumi up\n');
    const r = await stack.up({ onEvent: rec.onEvent, onOutput, color: 'never' });
    expect(r.summary.result).toBe('succeeded');
    expect(r.summary.resourceChanges).toEqual({ create: objects.length + 3 }); // + stack, component, provider
    expect([...(r.outputs.objects.value as string[])].sort()).toEqual(objects.map(keyOf).sort());
    // ordering: each CRD was created before any object of its kind, each Namespace before the objects in it
    const createdAt = new Map(rec.steps.map((s, i) => [childOf(s.urn)?.name, i]));
    const at = (o: KubeObject): number => createdAt.get(`nfv-examples-${objectSuffix(o)}`)!;
    for (const o of objects) {
      const crd = objects.find((c) => c.kind === 'CustomResourceDefinition' && (c as any).spec.names.kind === o.kind);
      if (crd) expect([keyOf(o), at(crd) < at(o)]).toEqual([keyOf(o), true]);
      const ns = objects.find((n) => n.kind === 'Namespace' && n.metadata.name === o.metadata.namespace);
      if (ns) expect([keyOf(o), at(ns) < at(o)]).toEqual([keyOf(o), true]);
    }
    const held = await stored(objects);
    const findings: string[] = [];
    for (const o of objects) {
      const s = held.get(keyOf(o));
      if (!s) {
        findings.push(`${keyOf(o)}: not stored`);
        continue;
      }
      findings.push(...formatDifferences(compareStored(o, s).filter((d) => d.kind !== 'normalized')).map((d) => `${keyOf(o)}: ${d}`));
      if (s.metadata.name !== o.metadata.name) findings.push(`${keyOf(o)}: stored as ${s.metadata.name}`);
      if ((s.metadata.annotations as any)?.['pulumi.com/autonamed']) findings.push(`${keyOf(o)}: auto-named`);
      const managers = ((s.metadata.managedFields as any[]) ?? []).map((m) => `${m.manager}:${m.operation}`);
      if (!managers.some((m) => /^pulumi-kubernetes.*:Apply$/.test(m))) findings.push(`${keyOf(o)}: not server-side applied by the provider (${managers.join(', ')})`);
    }
    expect(findings).toEqual([]);
  }, STEP_TIMEOUT_MS);

  test('a second pulumi up changes nothing, and preview says so', async () => {
    const objects = synthesized();
    const before = await stored(objects);
    const rec = stepRecorder();
    const p = await stack.preview({ onEvent: rec.onEvent });
    expect(p.changeSummary).toEqual({ same: objects.length + 3 });
    expect(changes(rec.steps)).toEqual([]);
    transcript.push('$ pulumi up   # again\n');
    const r = await stack.up({ expectNoChanges: true, onOutput, color: 'never' });
    expect(r.summary.resourceChanges).toEqual({ same: objects.length + 3 });
    const after = await stored(objects);
    for (const o of objects) expect([keyOf(o), after.get(keyOf(o))?.metadata.resourceVersion]).toEqual([keyOf(o), before.get(keyOf(o))?.metadata.resourceVersion]);
  }, STEP_TIMEOUT_MS);

  test('changing one NAD\'s config updates exactly that NAD, in place', async () => {
    const objects = synthesized(changeN4Mtu);
    const nadKey = 'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/fivegc-cp/n4';
    const before = await stored(objects);
    change = changeN4Mtu;
    const preview = stepRecorder();
    await stack.preview({ onEvent: preview.onEvent });
    expect(changes(preview.steps)).toEqual([['update', 'nfv-examples-networkattachmentdefinition.k8s.cni.cncf.io-fivegc-cp/n4']]);
    const rec = stepRecorder();
    transcript.push('$ pulumi up   # the N4 NAD of fivegc-cp with MTU 1400\n');
    const r = await stack.up({ onEvent: rec.onEvent, onOutput, color: 'never' });
    expect(r.summary.resourceChanges).toEqual({ update: 1, same: objects.length + 2 });
    expect(changes(rec.steps)).toEqual([['update', 'nfv-examples-networkattachmentdefinition.k8s.cni.cncf.io-fivegc-cp/n4']]);
    const after = await stored(objects);
    expect(JSON.parse((after.get(nadKey) as any).spec.config).plugins[0].mtu).toBe(1400);
    expect(after.get(nadKey)!.metadata.uid).toBe(before.get(nadKey)!.metadata.uid); // updated, not replaced
    const touched = objects.map(keyOf).filter((k) => after.get(k)?.metadata.resourceVersion !== before.get(k)?.metadata.resourceVersion);
    expect(touched).toEqual([nadKey]);
  }, STEP_TIMEOUT_MS);

  test('removing a function from the program deletes exactly its objects', async () => {
    const all = synthesized(changeN4Mtu);
    const kept = synthesized((app) => {
      changeN4Mtu(app);
      withoutGnb(app);
    });
    const removed = all.filter((o) => !kept.some((k) => keyOf(k) === keyOf(o)));
    expect(removed.map(keyOf).sort()).toEqual([
      // the N2 and N3 NADs of its namespace stay: the networks made them when the chart was built
      'apps/v1/Deployment/ran/gnb-sim',
    ]);
    const before = await stored(all);
    change = (app) => {
      changeN4Mtu(app);
      withoutGnb(app);
    };
    const rec = stepRecorder();
    transcript.push('$ pulumi up   # without the gNB simulator\n');
    const r = await stack.up({ onEvent: rec.onEvent, onOutput, color: 'never' });
    expect(r.summary.resourceChanges).toEqual({ delete: removed.length, same: kept.length + 3 });
    expect(changes(rec.steps)).toEqual(removed.map((o) => ['delete', `nfv-examples-${objectSuffix(o)}`]).sort());
    const after = await stored(all);
    for (const o of removed) expect([keyOf(o), after.get(keyOf(o))]).toEqual([keyOf(o), undefined]);
    for (const o of kept) expect([keyOf(o), after.get(keyOf(o))?.metadata.resourceVersion]).toEqual([keyOf(o), before.get(keyOf(o))?.metadata.resourceVersion]);
  }, STEP_TIMEOUT_MS);

  test('pulumi destroy deletes every object but the retained CRDs (Namespaces stay Terminating: no namespace controller here)', async () => {
    const objects = synthesized((app) => {
      changeN4Mtu(app);
      withoutGnb(app);
    });
    const rec = stepRecorder();
    transcript.push('$ pulumi destroy\n');
    const r = await stack.destroy({ onEvent: rec.onEvent, onOutput, color: 'never' });
    expect(r.summary.result).toBe('succeeded');
    expect(r.summary.resourceChanges).toEqual({ delete: objects.length + 3 }); // and the component, the provider and the stack
    const after = await stored(objects);
    const left = objects.flatMap((o) => {
      const s = after.get(keyOf(o));
      if (!s) return [];
      return [`${o.kind}/${o.metadata.name}: ${s.metadata.deletionTimestamp ? 'terminating' : 'present'}`];
    });
    expect(left.sort()).toEqual([
      'CustomResourceDefinition/multi-networkpolicies.k8s.cni.cncf.io: present',
      'CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io: present',
      'Namespace/fivegc-cp: terminating',
      'Namespace/fivegc-up: terminating',
      'Namespace/ran: terminating',
    ]);
  }, STEP_TIMEOUT_MS);
});

