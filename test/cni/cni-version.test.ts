import { ALL_CNI_VERSIONS, CniVersion, DEFAULT_CNI_VERSION, cniVersionsBetween, compareCniVersions, isCniVersion } from '../../lib/cni/cni-version';

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
