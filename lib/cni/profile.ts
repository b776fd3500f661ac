import * as semver from 'semver';
import { CniVersion, compareCniVersions } from './cni-version';
import { renderValue } from './problem';

/** The projects whose plugin binaries a node may have, each with its own releases. */
export enum PluginProject {
  /** containernetworking/plugins: bridge, macvlan, ..., host-local, static, dhcp. */
  CNI_PLUGINS = 'containernetworking-plugins',
  SRIOV_CNI = 'sriov-cni',
  OVS_CNI = 'ovs-cni',
  BOND_CNI = 'bond-cni',
  WHEREABOUTS = 'whereabouts',
  ROUTE_OVERRIDE = 'route-override-cni',
}

/**
 * bond-cni has only one tag (v1.0, 2018) and everyone runs its master branch; the library names
 * the master of 2026-01 with this pre-release version, newer than the tag.
 */
export const BOND_CNI_MASTER = '1.0.1-master.20260127';

/** route-override-cni has no tags; the library names its master of 2024-06 with this version. */
export const ROUTE_OVERRIDE_MASTER = '0.0.1-master.20240624';

/** The props of {@link PluginsProfileProps}, for the runtime check. */
const PROFILE_KEYS: readonly string[] = ['name', 'cniPlugins', 'sriovCni', 'ovsCni', 'bondCni', 'whereabouts', 'routeOverride'];

/** Properties of a {@link PluginsProfile}. */
export interface PluginsProfileProps {
  /** A short identifier, shown in messages. */
  readonly name: string;
  /** The containernetworking/plugins release on the nodes, e.g. `1.1.1`. */
  readonly cniPlugins: string;
  /**
   * The sriov-cni release, or undefined when it is not installed.
   * @default - not installed
   */
  readonly sriovCni?: string;
  /**
   * The ovs-cni release.
   * @default - not installed
   */
  readonly ovsCni?: string;
  /**
   * The bond-cni version ({@link BOND_CNI_MASTER} for its master branch).
   * @default - not installed
   */
  readonly bondCni?: string;
  /**
   * The whereabouts release.
   * @default - not installed
   */
  readonly whereabouts?: string;
  /**
   * The route-override-cni version ({@link ROUTE_OVERRIDE_MASTER}).
   * @default - not installed
   */
  readonly routeOverride?: string;
}

/**
 * What the nodes run: which plugin binaries, at which versions. It decides which `cniVersion`s a
 * configuration may declare and which plugins and fields it may use: a field the target version
 * does not know is an error, because the real plugins ignore unknown keys silently.
 */
export class PluginsProfile {
  /** containernetworking/plugins v1.9.1 with the current third-party plugins. */
  public static readonly UPSTREAM = new PluginsProfile({
    name: 'upstream',
    cniPlugins: '1.9.1',
    sriovCni: '2.10.0',
    ovsCni: '0.39.0',
    bondCni: BOND_CNI_MASTER,
    whereabouts: '0.9.4',
    routeOverride: ROUTE_OVERRIDE_MASTER,
  });

  /**
   * Debian and Ubuntu's `containernetworking-plugins` 1.1.1 (no dummy, no tap), with the current
   * third-party plugins installed by their own DaemonSets.
   */
  public static readonly DEBIAN_1_1_1 = new PluginsProfile({
    name: 'debian-1.1.1',
    cniPlugins: '1.1.1',
    sriovCni: '2.10.0',
    ovsCni: '0.39.0',
    bondCni: BOND_CNI_MASTER,
    whereabouts: '0.9.4',
    routeOverride: ROUTE_OVERRIDE_MASTER,
  });

  /** A profile of your own. */
  public static custom(props: PluginsProfileProps): PluginsProfile {
    return new PluginsProfile(props);
  }

  public readonly name: string;
  private readonly versions: Map<PluginProject, string>;

  private constructor(props: PluginsProfileProps) {
    // runtime checks for callers without a type checker (kept here: the props checker's module reads this one)
    if (typeof props !== 'object' || props === null || Array.isArray(props)) {
      throw new Error(`PluginsProfile: 'props' must be an object of PluginsProfileProps: got ${renderValue(props)}; pass { name, cniPlugins, ... }`);
    }
    for (const key of Object.keys(props)) {
      if (!PROFILE_KEYS.includes(key)) {
        throw new Error(`PluginsProfile: '${key}' is not a prop of PluginsProfileProps: got ${renderValue((props as unknown as Record<string, unknown>)[key])}; remove it; the props of PluginsProfileProps are ${PROFILE_KEYS.map((k) => `'${k}'`).join(', ')}`);
      }
    }
    if (typeof props.name !== 'string' || props.name.length === 0) {
      throw new Error(`PluginsProfile: 'name' must be a non-empty string: got ${renderValue(props.name)}; name the profile, e.g. "my-nodes"`);
    }
    this.name = props.name;
    this.versions = new Map();
    const set = (p: PluginProject, v: string | undefined, field: string) => {
      if (v === undefined) return;
      if (typeof v !== 'string' || !semver.valid(v)) {
        throw new Error(`'${field}' is not a semantic version: got ${renderValue(v)}; write a release such as 1.1.1`);
      }
      this.versions.set(p, v);
    };
    set(PluginProject.CNI_PLUGINS, props.cniPlugins, 'cniPlugins');
    set(PluginProject.SRIOV_CNI, props.sriovCni, 'sriovCni');
    set(PluginProject.OVS_CNI, props.ovsCni, 'ovsCni');
    set(PluginProject.BOND_CNI, props.bondCni, 'bondCni');
    set(PluginProject.WHEREABOUTS, props.whereabouts, 'whereabouts');
    set(PluginProject.ROUTE_OVERRIDE, props.routeOverride, 'routeOverride');
  }

  /** The installed version of a project, or undefined. */
  public versionOf(project: PluginProject): string | undefined {
    return this.versions.get(project);
  }

  /** Whether a project is installed at `since` or later (true when `since` is undefined). */
  public supports(project: PluginProject, since?: string): boolean {
    const v = this.versions.get(project);
    if (v === undefined) return false;
    return since === undefined || semver.gte(v, since);
  }

  /** The newest `cniVersion` the project's plugins accept, or undefined when not installed. */
  public maxCniVersion(project: PluginProject): CniVersion | undefined {
    const v = this.versions.get(project);
    if (v === undefined) return undefined;
    switch (project) {
      case PluginProject.CNI_PLUGINS:
        if (semver.gte(v, '1.6.0')) return CniVersion.V1_1_0;
        if (semver.gte(v, '1.0.0')) return CniVersion.V1_0_0;
        return CniVersion.V0_4_0;
      case PluginProject.SRIOV_CNI:
        return semver.gte(v, '2.8.0') ? CniVersion.V1_1_0 : CniVersion.V1_0_0;
      case PluginProject.OVS_CNI:
        return semver.gte(v, '0.38.0') ? CniVersion.V1_1_0 : CniVersion.V1_0_0;
      case PluginProject.BOND_CNI:
        return semver.gt(v, '1.0.0') ? CniVersion.V1_1_0 : CniVersion.V0_3_1;
      case PluginProject.WHEREABOUTS:
        return semver.gte(v, '0.8.1') ? CniVersion.V1_1_0 : CniVersion.V1_0_0;
      case PluginProject.ROUTE_OVERRIDE:
        return CniVersion.V1_0_0;
    }
  }

  /**
   * The newest `cniVersion` every one of the projects accepts (undefined when one is not
   * installed): what a list mixing their plugins may run at.
   */
  public maxCniVersionOf(projects: readonly PluginProject[]): CniVersion | undefined {
    let max: CniVersion | undefined;
    for (const p of projects) {
      const v = this.maxCniVersion(p);
      if (v === undefined) return undefined;
      if (max === undefined || compareCniVersions(v, max) < 0) max = v;
    }
    return max;
  }

  /** `name (project version, ...)` for messages. */
  public describe(project?: PluginProject): string {
    if (project) {
      const v = this.versions.get(project);
      return `${project} ${v ?? 'not installed'} (profile '${this.name}')`;
    }
    return `profile '${this.name}'`;
  }
}
