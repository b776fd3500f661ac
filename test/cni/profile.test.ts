import { CniVersion } from '../../lib/cni/cni-version';
import { BOND_CNI_MASTER, PluginProject, PluginsProfile, ROUTE_OVERRIDE_MASTER } from '../../lib/cni/profile';

const only = (props: Partial<Parameters<typeof PluginsProfile.custom>[0]>) => PluginsProfile.custom({ name: 't', cniPlugins: '1.0.0', ...props });

describe('PluginsProfile', () => {
  test('UPSTREAM and DEBIAN_1_1_1 differ in containernetworking/plugins only', () => {
    const u = PluginsProfile.UPSTREAM;
    const d = PluginsProfile.DEBIAN_1_1_1;
    expect(u.name).toBe('upstream');
    expect(d.name).toBe('debian-1.1.1');
    expect(u.versionOf(PluginProject.CNI_PLUGINS)).toBe('1.9.1');
    expect(d.versionOf(PluginProject.CNI_PLUGINS)).toBe('1.1.1');
    for (const p of [PluginProject.SRIOV_CNI, PluginProject.OVS_CNI, PluginProject.BOND_CNI, PluginProject.WHEREABOUTS, PluginProject.ROUTE_OVERRIDE]) {
      expect(d.versionOf(p)).toBe(u.versionOf(p));
    }
    expect(u.versionOf(PluginProject.BOND_CNI)).toBe(BOND_CNI_MASTER);
    expect(u.versionOf(PluginProject.ROUTE_OVERRIDE)).toBe(ROUTE_OVERRIDE_MASTER);
  });

  test('supports compares against since', () => {
    const d = PluginsProfile.DEBIAN_1_1_1;
    expect(d.supports(PluginProject.CNI_PLUGINS)).toBe(true);
    expect(d.supports(PluginProject.CNI_PLUGINS, '1.1.1')).toBe(true);
    expect(d.supports(PluginProject.CNI_PLUGINS, '1.1.2')).toBe(false);
    expect(d.supports(PluginProject.CNI_PLUGINS, '1.6.0')).toBe(false);
    expect(PluginsProfile.UPSTREAM.supports(PluginProject.CNI_PLUGINS, '1.6.0')).toBe(true);
    // the master pseudo-version is newer than the only tag
    expect(d.supports(PluginProject.BOND_CNI, '1.0.0')).toBe(true);
  });

  test('a project not installed is not supported and has no versions', () => {
    const p = only({});
    expect(p.versionOf(PluginProject.SRIOV_CNI)).toBeUndefined();
    expect(p.supports(PluginProject.SRIOV_CNI)).toBe(false);
    expect(p.maxCniVersion(PluginProject.SRIOV_CNI)).toBeUndefined();
    expect(p.describe(PluginProject.SRIOV_CNI)).toBe("sriov-cni not installed (profile 't')");
    expect(p.describe()).toBe("profile 't'");
    expect(PluginsProfile.DEBIAN_1_1_1.describe(PluginProject.CNI_PLUGINS)).toBe("containernetworking-plugins 1.1.1 (profile 'debian-1.1.1')");
  });

  describe('maxCniVersion', () => {
    test('of the two built-in profiles', () => {
      expect(PluginsProfile.UPSTREAM.maxCniVersion(PluginProject.CNI_PLUGINS)).toBe(CniVersion.V1_1_0);
      expect(PluginsProfile.DEBIAN_1_1_1.maxCniVersion(PluginProject.CNI_PLUGINS)).toBe(CniVersion.V1_0_0);
      expect(PluginsProfile.UPSTREAM.maxCniVersion(PluginProject.ROUTE_OVERRIDE)).toBe(CniVersion.V1_0_0);
      expect(PluginsProfile.UPSTREAM.maxCniVersion(PluginProject.BOND_CNI)).toBe(CniVersion.V1_1_0);
    });

    test.each([
      ['0.9.1', CniVersion.V0_4_0],
      ['1.0.0', CniVersion.V1_0_0],
      ['1.5.1', CniVersion.V1_0_0],
      ['1.6.0', CniVersion.V1_1_0],
    ])('containernetworking/plugins %s accepts up to %s', (v, max) => {
      expect(only({ cniPlugins: v }).maxCniVersion(PluginProject.CNI_PLUGINS)).toBe(max);
    });

    test.each([
      [PluginProject.SRIOV_CNI, 'sriovCni', '2.7.0', '2.8.0'],
      [PluginProject.OVS_CNI, 'ovsCni', '0.37.0', '0.38.0'],
      [PluginProject.WHEREABOUTS, 'whereabouts', '0.8.0', '0.8.1'],
    ])('%s moves from 1.0.0 to 1.1.0 at its boundary', (project, key, before, at) => {
      expect(only({ [key]: before }).maxCniVersion(project)).toBe(CniVersion.V1_0_0);
      expect(only({ [key]: at }).maxCniVersion(project)).toBe(CniVersion.V1_1_0);
    });

    test('bond-cni: the 1.0.0 tag is 0.3.1 only, the master is 1.1.0', () => {
      expect(only({ bondCni: '1.0.0' }).maxCniVersion(PluginProject.BOND_CNI)).toBe(CniVersion.V0_3_1);
      expect(only({ bondCni: BOND_CNI_MASTER }).maxCniVersion(PluginProject.BOND_CNI)).toBe(CniVersion.V1_1_0);
    });

    test('route-override: 1.0.0 whatever the version', () => {
      expect(only({ routeOverride: '9.9.9' }).maxCniVersion(PluginProject.ROUTE_OVERRIDE)).toBe(CniVersion.V1_0_0);
    });
  });

  test('a custom profile holds exactly what it names', () => {
    const p = PluginsProfile.custom({ name: 'lab', cniPlugins: '1.4.0', whereabouts: '0.6.3' });
    expect(p.name).toBe('lab');
    expect(p.versionOf(PluginProject.CNI_PLUGINS)).toBe('1.4.0');
    expect(p.versionOf(PluginProject.WHEREABOUTS)).toBe('0.6.3');
    expect(p.supports(PluginProject.OVS_CNI)).toBe(false);
    expect(p.supports(PluginProject.CNI_PLUGINS, '1.3.0')).toBe(true);
    expect(p.supports(PluginProject.CNI_PLUGINS, '1.5.0')).toBe(false);
  });

  test('fails on a version that is not semver, in the one style', () => {
    expect(() => PluginsProfile.custom({ name: 'x', cniPlugins: '1.1' }))
      .toThrow(/^'cniPlugins' is not a semantic version: got "1\.1"; write a release such as 1\.1\.1$/);
    expect(() => PluginsProfile.custom({ name: 'x', cniPlugins: '1.1.1', sriovCni: 'latest' }))
      .toThrow(/^'sriovCni' is not a semantic version: got "latest"; /);
  });
});
