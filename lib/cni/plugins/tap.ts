import { CniCapability } from '../common';
import { bool, field, ifname, int, mac, str } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { mtuField } from './interface-checks';

/** Properties of a {@link TapPlugin}. */
export interface TapProps extends InterfacePluginProps {
  /**
   * A fixed MAC for the tap (prefer the per-pod `mac` capability).
   * @default - random
   */
  readonly mac?: string;
  /**
   * Interface MTU.
   * @default - kernel default (1500)
   */
  readonly mtu?: number;
  /**
   * Create a multi-queue tap.
   * @default false
   */
  readonly multiQueue?: boolean;
  /**
   * The user ID that owns the tap (set `group` too, or the plugin shells out to `ip tuntap`).
   * @default - root
   */
  readonly owner?: number;
  /**
   * The group ID that owns the tap (set `owner` too, or the plugin shells out to `ip tuntap`).
   * @default - root
   */
  readonly group?: number;
  /**
   * SELinux context to create the tap with (the plugin then shells out to `ip tuntap`).
   * @default - none
   */
  readonly selinuxContext?: string;
  /**
   * A bridge inside the pod to enslave the tap to (containernetworking/plugins 1.4.0+).
   * @default - none
   */
  readonly bridge?: string;
}

const UINT32 = int({ min: 0, max: 4294967295 });

/**
 * The tap plugin: a tap device in the pod, e.g. for a VM in a pod (`plugins/main/tap`,
 * containernetworking/plugins 1.3.0+: not in Debian's 1.1.1).
 */
export class TapPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'tap',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    since: '1.3.0',
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [CniCapability.MAC],
    fields: {
      mac: field('mac', mac()),
      mtu: field('mtu', mtuField()),
      multiQueue: field('multiQueue', bool()),
      owner: field('owner', UINT32),
      group: field('group', UINT32),
      selinuxContext: field('selinuxContext', str()),
      bridge: field('bridge', ifname(), { since: '1.4.0' }),
    },
    create: (props: TapProps, sink?: ProblemSink) => new TapPlugin(props, sink),
  };

  constructor(props?: TapProps);
  /** @internal */
  constructor(props: TapProps | undefined, sink: ProblemSink | undefined);
  constructor(props: TapProps = {}, sink?: ProblemSink) {
    super(TapPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const owner = this.values.owner;
    const group = this.values.group;
    if ((owner === undefined) !== (group === undefined)) {
      const [missing, present] = owner === undefined ? ['owner', 'group'] : ['group', 'owner'];
      sink.warn(missing, `is not set while '${present}' is, so tap shells out to 'ip tuntap' (iproute2 needed on the node)`, undefined,
        'set both \'owner\' and \'group\', or neither');
    }
  }
}

registerPlugin(TapPlugin.SPEC);
