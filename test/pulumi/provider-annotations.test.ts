import * as path from 'path';
import { Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { providerAnnotationOptions, withProviderAnnotations } from '../../lib/pulumi/provider-annotations';
import { installRecordingMocks, Recorder, urnsOf } from '../util/pulumi-mocks';

type PulumiModule = typeof import('../../lib/pulumi');
let nfv: PulumiModule;
let rec: Recorder;

beforeAll(async () => {
  rec = await installRecordingMocks();
  nfv = await import('../../lib/pulumi');
});

const KEYS = ['v1/Namespace/core', 'apps/v1/Deployment/core/upf'];
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'upf', namespace: 'core' }, spec: { replicas: 1 } };

describe('providerAnnotationOptions', () => {
  test('defaults: wait for readiness, skip nothing, the provider\'s deletion propagation', () => {
    expect(providerAnnotationOptions({}, KEYS)).toEqual({ awaitReadiness: true, skipAwait: new Set(), deletionPropagation: undefined });
  });

  test.each([
    [{ awaitReadiness: 'no' }, '\'awaitReadiness\' is not a boolean: got "no"; pass true (wait for each object to be ready) or false'],
    [{ skipAwait: 'apps/v1/Deployment/core/upf' }, '\'skipAwait\' is not a list of object keys: got "apps/v1/Deployment/core/upf"; pass keys such as "apps/v1/Deployment/core/upf"'],
    [{ skipAwait: ['apps/v1/Deployment/core/smf'] }, '\'skipAwait\' names no object of this deployment: got "apps/v1/Deployment/core/smf"; use keys of the deployment\'s resources, e.g. "v1/Namespace/core", "apps/v1/Deployment/core/upf"'],
    [{ deletionPropagation: 'Background' }, '\'deletionPropagation\' is not a deletion propagation policy: got "Background"; use one of foreground, background, orphan'],
  ])('refuses %j', (props, message) => {
    expect(() => providerAnnotationOptions(props, KEYS)).toThrow(message);
  });
});

describe('withProviderAnnotations', () => {
  test('returns the synthesized object itself when there is nothing to add', () => {
    const options = providerAnnotationOptions({}, KEYS);
    expect(withProviderAnnotations(DEPLOYMENT, KEYS[1], options)).toBe(DEPLOYMENT);
  });

  test('adds skipAwait to every object when awaitReadiness is false, to listed objects otherwise, and the deletion propagation; never changes the input', () => {
    const all = providerAnnotationOptions({ awaitReadiness: false, deletionPropagation: 'background' }, KEYS);
    expect(withProviderAnnotations(DEPLOYMENT, KEYS[1], all)).toEqual({
      ...DEPLOYMENT,
      metadata: { name: 'upf', namespace: 'core', annotations: { 'pulumi.com/skipAwait': 'true', 'pulumi.com/deletionPropagationPolicy': 'background' } },
    });
    const one = providerAnnotationOptions({ skipAwait: [KEYS[1]] }, KEYS);
    expect(withProviderAnnotations(DEPLOYMENT, KEYS[1], one).metadata?.annotations).toEqual({ 'pulumi.com/skipAwait': 'true' });
    expect(withProviderAnnotations(DEPLOYMENT, 'apps/v1/Deployment/core/other', one)).toBe(DEPLOYMENT);
    expect(DEPLOYMENT.metadata).toEqual({ name: 'upf', namespace: 'core' });
  });

  test('an annotation the object already has wins', () => {
    const obj = { ...DEPLOYMENT, metadata: { ...DEPLOYMENT.metadata, annotations: { 'pulumi.com/skipAwait': 'false', 'team': 'core' } } };
    expect(withProviderAnnotations(obj, KEYS[1], providerAnnotationOptions({ awaitReadiness: false }, KEYS)).metadata?.annotations)
      .toEqual({ 'pulumi.com/skipAwait': 'false', 'team': 'core' });
  });
});

describe('Cdk8sDeployment readiness and deletion options', () => {
  function chart(): Chart {
    const c = new Chart(Testing.app(), 'c');
    new kplus.Namespace(c, 'Ns', { metadata: { name: 'core' } });
    new Include(c, 'Crd', { url: path.join(__dirname, '..', '..', 'crds', 'network-attachment-definition.yaml') });
    const d = new kplus.Deployment(c, 'Upf', { metadata: { name: 'upf', namespace: 'core' }, replicas: 1 });
    d.addContainer({ image: 'registry.example/upf:1.0', securityContext: { ensureNonRoot: false } });
    return c;
  }

  test('the objects sent carry the provider annotations; the plan keeps the synthesized objects', async () => {
    const c = chart();
    const synthesized = Testing.synth(c);
    const component = new nfv.Cdk8sDeployment('ann', { charts: [c], skipAwait: ['apps/v1/Deployment/core/upf'], deletionPropagation: 'background' });
    const urns = await urnsOf(component.plan.map((p) => component.resources[p.key]));
    const sent = urns.map((u) => rec.byUrn(u).inputs);
    expect(sent.map((o) => [o.kind, o.metadata.annotations])).toEqual([
      ['Namespace', { 'pulumi.com/deletionPropagationPolicy': 'background' }],
      ['CustomResourceDefinition', { 'pulumi.com/deletionPropagationPolicy': 'background' }],
      ['Deployment', { 'pulumi.com/skipAwait': 'true', 'pulumi.com/deletionPropagationPolicy': 'background' }],
    ]);
    // apart from the annotations, what is sent is what synth wrote
    const strip = (o: any) => ({ ...o, metadata: { ...o.metadata, annotations: undefined } });
    expect(sent.map(strip)).toEqual(synthesized.map(strip));
    expect(component.plan.map((p) => p.object)).toStrictEqual(synthesized);
  });

  test('a key that names no object fails construction', () => {
    expect(() => new nfv.Cdk8sDeployment('bad', { charts: [chart()], skipAwait: ['apps/v1/Deployment/core/smf'] }))
      .toThrow('\'skipAwait\' names no object of this deployment: got "apps/v1/Deployment/core/smf"; use keys of the deployment\'s resources, e.g. "v1/Namespace/core", "apiextensions.k8s.io/v1/CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io", "apps/v1/Deployment/core/upf"');
  });
});
