import { compareCniVersions, CniVersion } from '../cni-version';
import { Ipam, IpamSpec } from '../ipam';
import { ChainContext, CniPlugin, PluginSpec } from '../plugin';
import { Problem, ProblemSink } from '../problem';
import { PluginProject, PluginsProfile } from '../profile';

/**
 * Projects of CNI plugins that a {@link PluginsProfile} does not track: they come with the cluster
 * network (the primary CNI's DaemonSet puts them on the nodes) or with their own operator. Whether
 * they are on the nodes is checked by the App's CNI inventory (their installer, or a
 * `PreinstalledCniPlugins` declaration naming the type), not by the profile.
 */
export enum ThirdPartyProject {
  /** ovn-org/ovn-kubernetes: `ovn-k8s-cni-overlay`. */
  OVN_KUBERNETES = 'ovn-kubernetes',
  /** kubeovn/kube-ovn: the `kube-ovn` plugin and IPAM. */
  KUBE_OVN = 'kube-ovn',
  /** antrea-io/antrea: the `antrea` plugin (secondary networks) and IPAM. */
  ANTREA = 'antrea',
  /** Mellanox/nvidia-k8s-ipam: the `nv-ipam` IPAM (installed by the NVIDIA network operator). */
  NVIDIA_K8S_IPAM = 'nvidia-k8s-ipam',
  /** intel/userspace-cni-network-plugin: the `userspace` plugin (OVS-DPDK, VPP). */
  USERSPACE_CNI = 'userspace-cni',
}

/** The static description of a third-party plugin. */
export interface ThirdPartyPluginSpec extends Omit<PluginSpec, 'project' | 'since'> {
  /** The project that ships the plugin: a {@link ThirdPartyProject}, or the name of another. */
  readonly thirdPartyProject: string;
  /**
   * Newest `cniVersion` the plugin accepts.
   * @default - no limit known
   */
  readonly maxCniVersion?: CniVersion;
}

/** The static description of a third-party IPAM. */
export interface ThirdPartyIpamSpec extends Omit<IpamSpec, 'project' | 'since'> {
  /** The project that ships the IPAM: a {@link ThirdPartyProject}, or the name of another. */
  readonly thirdPartyProject: string;
}

/**
 * The {@link PluginSpec} of a third-party plugin, for the registry. `PluginSpec.project` names a
 * project of the plugins profile and third-party projects are not among them, so the project is
 * carried by name only and {@link ThirdPartyPlugin.chainProblems} replaces the profile checks.
 */
export function thirdPartyPluginSpec(spec: ThirdPartyPluginSpec): PluginSpec {
  return { ...spec, project: spec.thirdPartyProject as PluginProject };
}

/** The {@link IpamSpec} of a third-party IPAM (see {@link thirdPartyPluginSpec}). */
export function thirdPartyIpamSpec(spec: ThirdPartyIpamSpec): IpamSpec {
  return { ...spec, project: spec.thirdPartyProject as PluginProject };
}

/**
 * A plugin of a third-party project. Its presence on the nodes is checked by the App's CNI
 * inventory, not by the plugins profile; what the profile phase checks here is the `cniVersion`
 * range, the IPAM and the plugin's own chain checks.
 */
export abstract class ThirdPartyPlugin extends CniPlugin {
  /**
   * @param sink where the plugin's problems go (nothing thrown), as parsing does
   * @default - problems are thrown as one error
   */
  protected constructor(private readonly thirdPartySpec: ThirdPartyPluginSpec, spec: PluginSpec, props: object, sink?: ProblemSink) {
    super(spec, props, sink);
  }

  public chainProblems(ctx: ChainContext): Problem[] {
    const sink = new ProblemSink();
    const { minCniVersion, maxCniVersion, thirdPartyProject } = this.thirdPartySpec;
    if (minCniVersion && compareCniVersions(ctx.cniVersion, minCniVersion) < 0) {
      sink.error('cniVersion', `is older than ${this.type} (${thirdPartyProject}) accepts (from ${minCniVersion})`, ctx.cniVersion, `declare cniVersion ${minCniVersion} or newer`);
    }
    if (maxCniVersion && compareCniVersions(ctx.cniVersion, maxCniVersion) > 0) {
      sink.error('cniVersion', `is newer than ${this.type} (${thirdPartyProject}) accepts (up to ${maxCniVersion})`, ctx.cniVersion, `declare cniVersion ${maxCniVersion} or older`);
    }
    if (this.ipam) sink.addAll(this.ipam.profileProblems(ctx.profile, ctx.cniVersion), 'ipam');
    this.checkChain(sink, ctx);
    return sink.problems;
  }
}

/** An IPAM of a third-party project: no profile check (see {@link ThirdPartyPlugin}). */
export abstract class ThirdPartyIpam extends Ipam {
  public profileProblems(profile: PluginsProfile, cniVersion?: CniVersion): Problem[] {
    const sink = new ProblemSink();
    this.checkProfile(sink, profile, cniVersion);
    return sink.problems;
  }
}
