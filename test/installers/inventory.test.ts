import { App, Chart, Testing } from 'cdk8s';
import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { WhereaboutsIpam } from '../../lib/cni/ipam/whereabouts';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { PluginsProfile } from '../../lib/cni/profile';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';
import { CniPlugins } from '../../lib/installers/cni-plugins';
import { assignCluster } from '../../lib/installers/cluster-network';
import { PreinstalledCniPlugins, cniTypesOfProfile, isCniPluginProvider } from '../../lib/installers/inventory';
import { Multus } from '../../lib/installers/multus';
import { Whereabouts } from '../../lib/installers/whereabouts';

const macvlanNad = (scope: Chart, ipam: any = HostLocalIpam.subnet('10.1.0.0/24'), name = 'data') =>
  new NetworkAttachmentDefinition(scope, `Nad-${name}`, { metadata: { name, namespace: 'nfv' }, config: CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })]) });

describe('every plugin and IPAM type a NAD uses must be installed in its cluster', () => {
  test('fails for an App with NADs but no installer and no declaration, naming the NAD, the type and the fix', () => {
    const chart = Testing.chart();
    macvlanNad(chart);
    expect(() => Testing.synth(chart)).toThrow(
      /\[NetworkAttachmentDefinition nfv\/data \(.*Nad-data\)\] 'spec\.config\.plugins\[0\]\.type' is not installed on the nodes: cluster "default" has no CNI installer and no PreinstalledCniPlugins declaration: got "macvlan"; add new CniPlugins\(scope, 'CniPlugins'\) to the cluster, or declare it: new PreinstalledCniPlugins/);
    expect(() => Testing.synth(chart)).toThrow(/'spec\.config\.plugins\[0\]\.ipam\.type' is not installed on the nodes.*got "host-local"/);
  });

  test('passes when the reference plugins installer is in the App (any chart of the same cluster)', () => {
    const app = new App();
    const apps = new Chart(app, 'apps');
    macvlanNad(apps);
    new CniPlugins(new Chart(app, 'cluster'), 'CniPlugins');
    expect(() => Testing.synth(apps)).not.toThrow();
  });

  test('passes with a profile declaration; Debian 1.1.1 has no tap', () => {
    const chart = Testing.chart();
    const p = PreinstalledCniPlugins.fromProfile(chart, 'Pre', PluginsProfile.DEBIAN_1_1_1);
    macvlanNad(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(p.providedCniTypes).toContain('macvlan');
    expect(p.providedCniTypes).toContain('whereabouts'); // the profile has whereabouts 0.9.4
    expect(p.providedCniTypes).not.toContain('tap');
    expect(cniTypesOfProfile(PluginsProfile.UPSTREAM)).toContain('tap');
  });

  test('an explicit list: what is missing is still reported', () => {
    const chart = Testing.chart();
    new PreinstalledCniPlugins(chart, 'Pre', { types: ['macvlan'] });
    macvlanNad(chart, new WhereaboutsIpam({ range: '10.2.0.0/24' }));
    expect(() => Testing.synth(chart)).toThrow(
      /'spec\.config\.plugins\[0\]\.ipam\.type' is not installed on the nodes: no construct of cluster "default" installs it \(installed: macvlan\): got "whereabouts"; add new Whereabouts\(scope, 'Whereabouts'\) to the cluster, or declare it/);
  });

  test('whereabouts installs the whereabouts IPAM; Multus installs none of the delegates', () => {
    const chart = Testing.chart();
    new PreinstalledCniPlugins(chart, 'Pre', { types: ['macvlan'] });
    new Whereabouts(chart, 'Whereabouts');
    macvlanNad(chart, new WhereaboutsIpam({ range: '10.2.0.0/24' }));
    expect(() => Testing.synth(chart)).not.toThrow();

    const c2 = Testing.chart();
    new Multus(c2, 'Multus');
    macvlanNad(c2);
    expect(() => Testing.synth(c2)).toThrow(/got "macvlan"/);
  });

  test('clusters are separate: an installer of another cluster does not count', () => {
    const app = new App();
    const a = new Chart(app, 'a');
    assignCluster(a, 'edge-1');
    macvlanNad(a);
    const b = new Chart(app, 'b');
    assignCluster(b, 'edge-2');
    new CniPlugins(b, 'CniPlugins');
    expect(() => Testing.synth(a)).toThrow(/cluster "edge-1" has no CNI installer/);
  });

  test('NADs without a config (a file on the node) are not checked', () => {
    const chart = Testing.chart();
    new NetworkAttachmentDefinition(chart, 'File', { metadata: { name: 'from-file' } });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('fails on an empty declaration and a bad type name', () => {
    expect(() => new PreinstalledCniPlugins(Testing.chart(), 'Pre')).toThrow(/'types' is empty and no profile is given, so nothing is declared: got nothing; pass types/);
    expect(() => new PreinstalledCniPlugins(Testing.chart(), 'Pre', { types: ['mac vlan'] })).toThrow(/'types\[0\]' is not a CNI plugin type: got "mac vlan"/);
  });

  test('isCniPluginProvider recognises the installers by duck typing', () => {
    const chart = Testing.chart();
    expect(isCniPluginProvider(new CniPlugins(chart, 'P'))).toBe(true);
    expect(isCniPluginProvider(new Multus(chart, 'M'))).toBe(true);
    expect(isCniPluginProvider(chart)).toBe(false);
  });
});
