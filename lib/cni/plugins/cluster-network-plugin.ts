import { compareCniVersions, CniVersion } from '../cni-version';
import { Ipam, IpamSpec } from '../ipam';
import { ChainContext, CniPlugin, PluginSpec } from '../plugin';
import { Problem, ProblemSink } from '../problem';
import { PluginProject, PluginsProfile } from '../profile';

/**
 * Projects whose CNI plugins come with the cluster network itself (the primary CNI's DaemonSet
 * puts them on the nodes), not with a {@link PluginsProfile} of node plugins: that they are on the
 * nodes is what the CNI inventory of the App checks (the installer of the cluster network, or a
 * `PreinstalledCniPlugins` declaration naming the type).
 */
export enum ClusterNetworkProject {
  /** ovn-org/ovn-kubernetes: `ovn-k8s-cni-overlay`. */
  OVN_KUBERNETES = 'ovn-kubernetes',
  /** kubeovn/kube-ovn: the `kube-ovn` plugin and IPAM. */
  KUBE_OVN = 'kube-ovn',
}

/** The static description of a plugin of a cluster network project. */
export interface ClusterPluginSpec extends Omit<PluginSpec, 'project' | 'since'> {
  readonly clusterProject: ClusterNetworkProject;
  /**
   * Newest `cniVersion` the plugin accepts.
   * @default - no limit known
   */
  readonly maxCniVersion?: CniVersion;
}

/** The static description of an IPAM of a cluster network project. */
export interface ClusterIpamSpec extends Omit<IpamSpec, 'project' | 'since'> {
  readonly clusterProject: ClusterNetworkProject;
}

/**
 * The {@link PluginSpec} of a cluster network plugin. `PluginSpec.project` names a project of the
 * plugins profile; the cluster network projects are not among them (see
 * {@link ClusterNetworkProject}), so the project is carried as its name only and the profile
 * checks are replaced by {@link ClusterNetworkPlugin.chainProblems}.
 */
export function clusterPluginSpec(spec: ClusterPluginSpec): PluginSpec {
  return { ...spec, project: spec.clusterProject as string as PluginProject };
}

/** The {@link IpamSpec} of a cluster network IPAM (see {@link clusterPluginSpec}). */
export function clusterIpamSpec(spec: ClusterIpamSpec): IpamSpec {
  return { ...spec, project: spec.clusterProject as string as IpamSpec['project'] };
}

/**
 * A plugin shipped by a cluster network. Its presence is checked by the App's CNI inventory, not
 * by the plugins profile; what the profile phase checks here is the `cniVersion` range, the IPAM
 * and the plugin's own chain checks.
 */
export abstract class ClusterNetworkPlugin extends CniPlugin {
  protected constructor(private readonly clusterSpec: ClusterPluginSpec, spec: PluginSpec, props: object) {
    super(spec, props);
  }

  public chainProblems(ctx: ChainContext): Problem[] {
    const sink = new ProblemSink();
    const { minCniVersion, maxCniVersion, clusterProject } = this.clusterSpec;
    if (minCniVersion && compareCniVersions(ctx.cniVersion, minCniVersion) < 0) {
      sink.error('cniVersion', `is older than ${this.type} (${clusterProject}) accepts (from ${minCniVersion})`, ctx.cniVersion, `declare cniVersion ${minCniVersion} or newer`);
    }
    if (maxCniVersion && compareCniVersions(ctx.cniVersion, maxCniVersion) > 0) {
      sink.error('cniVersion', `is newer than ${this.type} (${clusterProject}) accepts (up to ${maxCniVersion})`, ctx.cniVersion, `declare cniVersion ${maxCniVersion} or older`);
    }
    if (this.ipam) sink.addAll(this.ipam.profileProblems(ctx.profile, ctx.cniVersion), 'ipam');
    this.checkChain(sink, ctx);
    return sink.problems;
  }
}

/** An IPAM shipped by a cluster network: no profile check (see {@link ClusterNetworkPlugin}). */
export abstract class ClusterNetworkIpam extends Ipam {
  public profileProblems(profile: PluginsProfile, cniVersion?: CniVersion): Problem[] {
    const sink = new ProblemSink();
    this.checkProfile(sink, profile, cniVersion);
    return sink.problems;
  }
}
