/** CNI specification versions a configuration can declare in `cniVersion`. */
export enum CniVersion {
  V0_1_0 = '0.1.0',
  V0_2_0 = '0.2.0',
  V0_3_0 = '0.3.0',
  V0_3_1 = '0.3.1',
  V0_4_0 = '0.4.0',
  V1_0_0 = '1.0.0',
  V1_1_0 = '1.1.0',
}

/** Every known version, oldest first. */
export const ALL_CNI_VERSIONS: readonly CniVersion[] = [
  CniVersion.V0_1_0,
  CniVersion.V0_2_0,
  CniVersion.V0_3_0,
  CniVersion.V0_3_1,
  CniVersion.V0_4_0,
  CniVersion.V1_0_0,
  CniVersion.V1_1_0,
];

/** The version emitted when none is chosen: accepted by every plugin the library knows, Debian's included. */
export const DEFAULT_CNI_VERSION = CniVersion.V1_0_0;

/** Orders two versions: negative when `a` is older. */
export function compareCniVersions(a: CniVersion, b: CniVersion): number {
  return ALL_CNI_VERSIONS.indexOf(a) - ALL_CNI_VERSIONS.indexOf(b);
}

/** Whether a string is a known `cniVersion`. */
export function isCniVersion(v: unknown): v is CniVersion {
  return typeof v === 'string' && (ALL_CNI_VERSIONS as readonly string[]).includes(v);
}

/** The versions from `min` to `max`, inclusive. */
export function cniVersionsBetween(min: CniVersion, max: CniVersion): CniVersion[] {
  return ALL_CNI_VERSIONS.filter((v) => compareCniVersions(v, min) >= 0 && compareCniVersions(v, max) <= 0);
}
