import { CniVersion } from '../cni-version';
import { field, ifname, int } from '../field';
import { CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** Properties of a {@link VrfPlugin}. */
export interface VrfProps extends PluginBaseProps {
  /** The VRF device in the pod, created on first use (an interface name, at most 15 characters). */
  readonly vrfname: string;
  /**
   * The routing table of the VRF; a VRF that already exists with another table is an error.
   * @default - the first table not used by another VRF
   */
  readonly table?: number;
}

/** The vrf plugin: puts the interface made before it into a VRF inside the pod (`plugins/meta/vrf`). */
export class VrfPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'vrf',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.CHAINED,
    minCniVersion: CniVersion.V0_3_1,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [],
    fields: {
      vrfname: field('vrfname', ifname(), { required: 'name the VRF device, e.g. "vrf-blue" (the plugin has no default)' }),
      table: field('table', int({ min: 1, max: 4294967295 })),
    },
    create: (props: VrfProps, sink?: ProblemSink) => new VrfPlugin(props, sink),
  };

  constructor(props: VrfProps);
  /** @internal */
  constructor(props: VrfProps, sink: ProblemSink | undefined);
  constructor(props: VrfProps, sink?: ProblemSink) {
    super(VrfPlugin.SPEC, props ?? {}, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const table = this.values.table as number | undefined;
    if (table !== undefined && table >= 253 && table <= 255) {
      sink.error('table', 'is a reserved routing table (253 default, 254 main, 255 local)', table, 'use a table of its own, or leave it out');
    }
  }

  public get vrfname(): string {
    return this.values.vrfname as string;
  }

  public get table(): number | undefined {
    return this.values.table as number | undefined;
  }
}

registerPlugin(VrfPlugin.SPEC);
