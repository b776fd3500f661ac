import { isBuiltInGroup, kindsWithoutCrd, missingCrdWarning } from '../../lib/pulumi/crd-check';

const NAD = (name: string) => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'core' }, spec: { config: '{}' } });
const MNP = { apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', metadata: { name: 'p', namespace: 'core' }, spec: {} };
const NAD_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'network-attachment-definitions.k8s.cni.cncf.io' },
  spec: { group: 'k8s.cni.cncf.io', names: { kind: 'NetworkAttachmentDefinition', plural: 'network-attachment-definitions' } },
};
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'upf', namespace: 'core' } };
const POLICY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'core' } };

describe('CRDs the deployment does not create', () => {
  test('built-in groups: core, apps, *.k8s.io; not *.x-k8s.io or other domains', () => {
    expect(['', 'apps', 'networking.k8s.io', 'apiextensions.k8s.io', 'cluster.x-k8s.io', 'k8s.cni.cncf.io', 'crd.projectcalico.org'].map(isBuiltInGroup))
      .toEqual([true, true, true, true, false, false, false]);
  });

  test('lists each custom kind without its CRD once, with its count; a CRD in the deployment covers its kind', () => {
    expect(kindsWithoutCrd([DEPLOYMENT, POLICY, NAD('n3'), NAD('n4'), MNP])).toEqual([
      { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', count: 2 },
      { apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', count: 1 },
    ]);
    expect(kindsWithoutCrd([NAD_CRD, NAD('n3'), DEPLOYMENT])).toEqual([]);
  });

  test('the warning names the kinds and where their CRDs come from; none when every CRD is here', () => {
    expect(missingCrdWarning([NAD('n3'), NAD('n4'), MNP])).toBe(
      '\'charts\' use kinds whose CustomResourceDefinitions this deployment does not create: '
      + 'got ["k8s.cni.cncf.io/v1 NetworkAttachmentDefinition (2 objects)","k8s.cni.cncf.io/v1beta1 MultiNetworkPolicy (1 object)"]; '
      + 'the cluster must serve them before `pulumi up`, or add the CRDs to the charts '
      + '(Multus installs it (or crds/network-attachment-definition.yaml of cdk8s-nfv); '
      + 'the multi-networkpolicy daemon installs it (or crds/multi-networkpolicy.yaml of cdk8s-nfv))');
    expect(missingCrdWarning([NAD_CRD, NAD('n3')])).toBeUndefined();
    expect(missingCrdWarning([{ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } }])).toBe(
      '\'charts\' use kinds whose CustomResourceDefinitions this deployment does not create: got ["example.org/v1 Widget (1 object)"]; '
      + 'the cluster must serve them before `pulumi up`, or add the CRDs to the charts');
  });
});
