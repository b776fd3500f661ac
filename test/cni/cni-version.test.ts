import { ALL_CNI_VERSIONS, CniVersion, DEFAULT_CNI_VERSION, cniVersionsBetween, cniVersionsProblems, compareCniVersions, isCniVersion, runtimeCniVersion } from '../../lib/cni/cni-version';
import { PluginProject, PluginsProfile } from '../../lib/cni/profile';

describe('CniVersion', () => {
  test('every version, oldest first', () => {
    expect(ALL_CNI_VERSIONS).toEqual(['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']);
    expect(DEFAULT_CNI_VERSION).toBe(CniVersion.V1_0_0);
  });

  test('compareCniVersions orders by release, not by string', () => {
    expect(compareCniVersions(CniVersion.V0_4_0, CniVersion.V1_0_0)).toBeLessThan(0);
    expect(compareCniVersions(CniVersion.V1_1_0, CniVersion.V0_3_1)).toBeGreaterThan(0);
    expect(compareCniVersions(CniVersion.V1_0_0, CniVersion.V1_0_0)).toBe(0);
    const shuffled = [CniVersion.V1_1_0, CniVersion.V0_1_0, CniVersion.V0_4_0, CniVersion.V0_3_1];
    expect([...shuffled].sort(compareCniVersions)).toEqual(['0.1.0', '0.3.1', '0.4.0', '1.1.0']);
  });

  test('isCniVersion accepts only the exact strings', () => {
    expect(isCniVersion('1.0.0')).toBe(true);
    expect(isCniVersion('0.3.1')).toBe(true);
    expect(isCniVersion('1.0')).toBe(false);
    expect(isCniVersion('v1.0.0')).toBe(false);
    expect(isCniVersion('1.2.0')).toBe(false);
    expect(isCniVersion(1)).toBe(false);
    expect(isCniVersion(undefined)).toBe(false);
  });

  test('cniVersionsBetween is inclusive, empty when reversed', () => {
    expect(cniVersionsBetween(CniVersion.V0_3_1, CniVersion.V1_0_0)).toEqual(['0.3.1', '0.4.0', '1.0.0']);
    expect(cniVersionsBetween(CniVersion.V1_1_0, CniVersion.V1_1_0)).toEqual(['1.1.0']);
    expect(cniVersionsBetween(CniVersion.V1_1_0, CniVersion.V0_4_0)).toEqual([]);
  });
});

describe('cniVersions (CNI 1.1): the version libcni picks, gated by what the plugins accept', () => {
  test('the runtime picks the highest offered version it supports, whatever cniVersion says', () => {
    expect(runtimeCniVersion(CniVersion.V1_0_0, [CniVersion.V1_0_0, CniVersion.V1_1_0])).toBe('1.1.0');
    expect(runtimeCniVersion(CniVersion.V1_0_0, [CniVersion.V1_0_0, CniVersion.V1_1_0], CniVersion.V1_0_0)).toBe('1.0.0');
    expect(runtimeCniVersion(CniVersion.V0_4_0, undefined)).toBe('0.4.0');
    expect(runtimeCniVersion(CniVersion.V1_0_0, [CniVersion.V1_1_0], CniVersion.V1_0_0)).toBeUndefined();
  });

  test('Debian\'s 1.1.1 plugins with cniVersions offering 1.1.0: the runtime picks 1.1.0, which they refuse', () => {
    const debianMax = PluginsProfile.DEBIAN_1_1_1.maxCniVersionOf([PluginProject.CNI_PLUGINS])!;
    expect(debianMax).toBe('1.0.0');
    expect(cniVersionsProblems(CniVersion.V1_0_0, [CniVersion.V1_0_0, CniVersion.V1_1_0], debianMax)).toEqual([{
      field: 'cniVersions',
      message: 'makes the runtime pick 1.1.0 (the highest it supports; plugins are not asked), newer than the plugins accept (up to 1.0.0)',
      value: ['1.0.0', '1.1.0'],
      fix: 'offer versions up to 1.0.0 only, or upgrade the plugins',
      severity: 'error',
    }]);
    const upstreamMax = PluginsProfile.UPSTREAM.maxCniVersionOf([PluginProject.CNI_PLUGINS, PluginProject.WHEREABOUTS])!;
    expect(upstreamMax).toBe('1.1.0');
    expect(cniVersionsProblems(CniVersion.V1_0_0, [CniVersion.V1_0_0, CniVersion.V1_1_0], upstreamMax)).toEqual([]);
  });

  test('a list offering only versions newer than the runtime has', () => {
    expect(cniVersionsProblems(CniVersion.V1_1_0, [CniVersion.V1_1_0], CniVersion.V1_1_0, CniVersion.V1_0_0).map((p) => p.message)).toEqual(['offers no version the runtime supports (up to 1.0.0)']);
  });

  test('maxCniVersionOf: the oldest of the projects\' maxima; undefined when one is not installed', () => {
    expect(PluginsProfile.UPSTREAM.maxCniVersionOf([PluginProject.CNI_PLUGINS, PluginProject.ROUTE_OVERRIDE])).toBe('1.0.0');
    expect(PluginsProfile.custom({ name: 'n', cniPlugins: '1.9.1' }).maxCniVersionOf([PluginProject.CNI_PLUGINS, PluginProject.OVS_CNI])).toBeUndefined();
  });
});
