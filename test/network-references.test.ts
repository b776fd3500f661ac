import { App, Chart, Testing } from 'cdk8s';
import { lintObjects } from '../lib/cli/lint';
import { HostLocalIpam } from '../lib/cni/ipam/host-local';
import { PluginsProfile } from '../lib/cni/profile';
import { CniConfig } from '../lib/cni/config';
import { MacvlanPlugin } from '../lib/cni/plugins/macvlan';
import { ExternalNetwork } from '../lib/external-network';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import { NetworkFunction } from '../lib/network-function';
import { NAMESPACE_RELATIVE_CONTEXT, NetworkReferences } from '../lib/network-references';

const IMAGE = 'registry.example.com/app:1.0.0';

/** A macvlan NAD on eth1: each name its own subnet (one range under two names on one uplink is the rulebook's error). */
function nad(scope: Chart, id: string, name: string, namespace?: string): NetworkAttachmentDefinition {
  const subnet = name === 'main' ? '10.11.0.0/24' : '10.10.0.0/24';
  return new NetworkAttachmentDefinition(scope, id, {
    metadata: { name, namespace },
    config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: new HostLocalIpam({ ranges: [[{ subnet }]] }) })]),
  });
}

/** An App with one chart (no namespace unless given), two NADs of the pods' namespace, one elsewhere. */
function build(app: App, namespace?: string, withDefault: boolean = true) {
  const chart = new Chart(app, 'nf', { namespace });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const local = nad(chart, 'Local', 'data');
  const shared = new ExternalNetwork(chart, 'Shared', { name: 'shared', namespace: 'infra' });
  const defaultNetwork = withDefault ? nad(chart, 'Main', 'main') : undefined;
  const fn = new NetworkFunction(chart, 'Fn', { containers: [{ name: 'app', image: IMAGE }], defaultNetwork });
  fn.attach(local, { interface: 'n3' });
  fn.attach(shared, { interface: 'n6' });
  return chart;
}

function podAnnotations(chart: Chart): Record<string, string> {
  const d = Testing.synth(chart).find((o: any) => o.kind === 'Deployment');
  return d.spec.template.metadata.annotations;
}

describe('NetworkReferences', () => {
  test('by default every element names the namespace', () => {
    const chart = build(Testing.app());
    expect(JSON.parse(podAnnotations(chart)[NETWORKS_ANNOTATION])).toEqual([
      { name: 'data', namespace: 'default', interface: 'n3' },
      { name: 'shared', namespace: 'infra', interface: 'n6' },
    ]);
  });

  test('namespaceRelative leaves out the namespace of NADs in the pod\'s own namespace only', () => {
    const app = Testing.app();
    NetworkReferences.namespaceRelative(app);
    const chart = build(app);
    const annotations = podAnnotations(chart);
    // the text itself: no namespace key for the local NAD, the external one keeps its own
    expect(annotations[NETWORKS_ANNOTATION]).toBe('[{"name":"data","interface":"n3"},{"name":"shared","namespace":"infra","interface":"n6"}]');
    // the default network keeps its namespace: Multus looks a bare one up in its own namespace
    expect(JSON.parse(annotations[DEFAULT_NETWORK_ANNOTATION])).toEqual([{ name: 'main', namespace: 'default' }]);
    expect(NetworkReferences.isNamespaceRelative(chart)).toBe(true);
  });

  test('with a chart namespace, the NADs of that namespace are relative', () => {
    const app = Testing.app();
    NetworkReferences.namespaceRelative(app);
    const chart = build(app, 'core');
    expect(JSON.parse(podAnnotations(chart)[NETWORKS_ANNOTATION])).toEqual([
      { name: 'data', interface: 'n3' },
      { name: 'shared', namespace: 'infra', interface: 'n6' },
    ]);
  });

  test('the context key turns it on too', () => {
    const app = Testing.app();
    app.node.setContext(NAMESPACE_RELATIVE_CONTEXT, true);
    const chart = build(app);
    expect(JSON.parse(podAnnotations(chart)[NETWORKS_ANNOTATION])[0]).toEqual({ name: 'data', interface: 'n3' });
  });

  test('it is per App', () => {
    const relative = Testing.app();
    NetworkReferences.namespaceRelative(relative);
    const other = Testing.app();
    expect(NetworkReferences.isNamespaceRelative(relative)).toBe(true);
    expect(NetworkReferences.isNamespaceRelative(other)).toBe(false);
    expect(JSON.parse(podAnnotations(build(other))[NETWORKS_ANNOTATION])[0].namespace).toBe('default');
  });

  test('lint reads the relative output as Multus does, also after the objects moved to another namespace', () => {
    const infra = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'shared', namespace: 'infra' } };
    const asManifests = (docs: any[]) => docs.map((object, index) => ({ file: 'out.yaml', index, object }));
    // what kustomize `namespace: prod` does: every object of the output moves
    const moved = (docs: any[]) => docs.map((o: any) => ({ ...o, metadata: { ...o.metadata, namespace: 'prod' } }));
    const errors = (docs: any[]) => lintObjects(asManifests([...docs, infra])).findings.filter((f) => f.severity === 'error');

    const app = Testing.app();
    NetworkReferences.namespaceRelative(app);
    const relative = Testing.synth(build(app, undefined, false));
    expect(errors(relative)).toEqual([]);
    expect(errors(moved(relative))).toEqual([]);

    // without it, the moved pods still name the old namespace: lint finds the broken reference
    const pinned = Testing.synth(build(Testing.app(), undefined, false));
    expect(errors(pinned)).toEqual([]);
    expect(errors(moved(pinned)).map((f) => f.field)).toEqual([`spec.template.metadata.annotations["${NETWORKS_ANNOTATION}"][0].name`]);
  });
});
