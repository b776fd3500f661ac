import { App, Chart, Testing } from 'cdk8s';
import { CniConfig } from '../../lib/cni/config';
import { DhcpIpam } from '../../lib/cni/ipam/dhcp';
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
import { UncheckedPlugin } from '../../lib/cni/plugin';
import { isNadView } from '../../lib/nad-checks';

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

  test('a type outside every profile: the fix names the types declaration only, not a profile that lacks it', () => {
    const chart = Testing.chart();
    new PreinstalledCniPlugins(chart, 'Pre', { types: ['macvlan'] });
    new NetworkAttachmentDefinition(chart, 'Vendor', { metadata: { name: 'vendor', namespace: 'nfv' }, config: CniConfig.list([new UncheckedPlugin('vendor-cni', { mode: 'x' })]) });
    let message = '';
    try { Testing.synth(chart); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('\'spec.config.plugins[0].type\' is not installed on the nodes: no construct of cluster "default" installs it (installed: macvlan): got "vendor-cni"; declare it: new PreinstalledCniPlugins(scope, \'Preinstalled\', { types: ["vendor-cni"] })');
    expect(message).not.toContain('fromProfile');
  });

  test('a type of the upstream profile: the fix offers the profile declaration too', () => {
    const chart = Testing.chart();
    macvlanNad(chart);
    expect(() => Testing.synth(chart)).toThrow(/declare it: new PreinstalledCniPlugins\(scope, 'Preinstalled', \{ types: \["macvlan"\] \}\) or PreinstalledCniPlugins\.fromProfile\(scope, 'Preinstalled', PluginsProfile\.UPSTREAM\)/);
  });

  test('the inventory finds NADs by their brand (the NAD module does not import the installers)', () => {
    const chart = Testing.chart();
    const nad = macvlanNad(chart);
    expect(isNadView(nad)).toBe(true);
    expect(NetworkAttachmentDefinition.isNetworkAttachmentDefinition(nad)).toBe(true);
    expect(isNadView(chart)).toBe(false);
    expect(isNadView({ apiObject: { kind: 'NetworkAttachmentDefinition' }, qualifiedName: 'x/y' })).toBe(false);
  });

  test('a CniPlugins installer built before a dhcp NAD adds the dhcp daemon when the NAD is created', () => {
    const chart = Testing.chart();
    const installer = new CniPlugins(chart, 'CniPlugins');
    expect(installer.dhcpDaemon).toBeUndefined();
    new NetworkAttachmentDefinition(chart, 'Dhcp', { metadata: { name: 'dhcp-net', namespace: 'nfv' }, config: CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam: new DhcpIpam({}) })]) });
    expect(installer.dhcpDaemon).toBeDefined();
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});
