import { Problem, Severity } from './problem';

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

/**
 * The version libcni runs a list at (CNI 1.1, libcni `ConfListFromBytes`): with `cniVersions`,
 * the highest of them the runtime's libcni supports (`runtimeMax`), whatever `cniVersion` says;
 * without, `cniVersion`. The plugins are not consulted: a list that offers 1.1.0 runs at 1.1.0
 * under Multus 4.2+, and plugins that stop at 1.0.0 refuse it.
 */
export function runtimeCniVersion(cniVersion: CniVersion, cniVersions?: readonly CniVersion[], runtimeMax: CniVersion = CniVersion.V1_1_0): CniVersion | undefined {
  if (!cniVersions || cniVersions.length === 0) return cniVersion;
  const usable = cniVersions.filter((v) => isCniVersion(v) && compareCniVersions(v, runtimeMax) <= 0);
  if (usable.length === 0) return undefined;
  return usable.reduce((a, b) => (compareCniVersions(a, b) >= 0 ? a : b));
}

/**
 * The problems of `cniVersions` against what the plugins accept (`pluginMax`, the newest version
 * every plugin of the list takes, e.g. from `PluginsProfile.maxCniVersion`): the version libcni
 * picks must be one the plugins accept.
 */
export function cniVersionsProblems(cniVersion: CniVersion, cniVersions: readonly CniVersion[] | undefined, pluginMax: CniVersion, runtimeMax: CniVersion = CniVersion.V1_1_0): Problem[] {
  if (!cniVersions || cniVersions.length === 0) return [];
  const picked = runtimeCniVersion(cniVersion, cniVersions, runtimeMax);
  if (picked === undefined) {
    return [{ field: 'cniVersions', message: `offers no version the runtime supports (up to ${runtimeMax})`, value: cniVersions, fix: `add ${runtimeMax} or older`, severity: Severity.ERROR }];
  }
  if (compareCniVersions(picked, pluginMax) > 0) {
    return [{
      field: 'cniVersions',
      message: `makes the runtime pick ${picked} (the highest it supports; plugins are not asked), newer than the plugins accept (up to ${pluginMax})`,
      value: cniVersions,
      fix: `offer versions up to ${pluginMax} only, or upgrade the plugins`,
      severity: Severity.ERROR,
    }];
  }
  return [];
}
