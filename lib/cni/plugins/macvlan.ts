import { CniCapability } from '../common';
import { bool, field, ifname, int, mac, oneOf } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** How macvlan endpoints on one master talk to each other. */
export enum MacvlanMode {
  /** Endpoints on the same master reach each other directly. */
  BRIDGE = 'bridge',
  /** Endpoints cannot reach each other. */
  PRIVATE = 'private',
  /** Traffic between endpoints goes through the external switch (hairpin). */
  VEPA = 'vepa',
  /** One endpoint per master, which inherits the master's MAC. */
  PASSTHRU = 'passthru',
}

/** Properties of a {@link MacvlanPlugin}. */
export interface MacvlanProps extends InterfacePluginProps {
  /**
   * The host interface (uplink) the macvlan sits on.
   * @default - the interface of the node's default route (fragile: name the uplink)
   */
  readonly master?: string;
  /**
   * @default MacvlanMode.BRIDGE
   */
  readonly mode?: MacvlanMode;
  /**
   * Interface MTU; must not exceed the master's MTU.
   * @default - the master's MTU
   */
  readonly mtu?: number;
  /**
   * A fixed MAC for the interface (prefer the per-pod `mac` capability).
   * @default - random
   */
  readonly mac?: string;
  /**
   * Look up `master` inside the pod's network namespace (containernetworking/plugins 1.3.0+).
   * @default false
   */
  readonly linkInContainer?: boolean;
  /**
   * Broadcast queue length (containernetworking/plugins 1.6.0+).
   * @default - kernel default (1000)
   */
  readonly bcqueuelen?: number;
  /**
   * The uplink's MTU, if known: only used to check `mtu`; not written out.
   * @default - not checked
   */
  readonly uplinkMtu?: number;
}

/** The macvlan plugin: a MAC-addressed child of a host interface (`plugins/main/macvlan`). */
export class MacvlanPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'macvlan',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [CniCapability.MAC],
    fields: {
      master: field('master', ifname()),
      mode: field('mode', oneOf(MacvlanMode, 'MacvlanMode')),
      mtu: field('mtu', int({ min: 68, max: 65535 })),
      mac: field('mac', mac()),
      linkInContainer: field('linkInContainer', bool(), { since: '1.3.0' }),
      bcqueuelen: field('bcqueuelen', int({ min: 0, max: 4294967295 }), { since: '1.6.0' }),
    },
    checkOnly: { uplinkMtu: field('uplinkMtu', int({ min: 68, max: 65535 })) },
    create: (props: MacvlanProps, sink?: ProblemSink) => new MacvlanPlugin(props, sink),
  };

  constructor(props?: MacvlanProps);
  /** @internal */
  constructor(props: MacvlanProps | undefined, sink: ProblemSink | undefined);
  constructor(props: MacvlanProps = {}, sink?: ProblemSink) {
    super(MacvlanPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const mtu = this.values.mtu as number | undefined;
    const uplinkMtu = this.values.uplinkMtu as number | undefined;
    if (uplinkMtu !== undefined && mtu !== undefined && mtu > uplinkMtu) {
      sink.error('mtu', `exceeds the uplink MTU ${uplinkMtu}`, mtu, `use an MTU of at most ${uplinkMtu}, or raise the uplink's MTU`);
    }
    if (this.values.master === undefined && !this.values.linkInContainer) {
      sink.warn('master', 'is not set, so the node\'s default-route interface is used', undefined, 'name the uplink explicitly');
    }
  }

  /** The uplink, if named. */
  public get master(): string | undefined {
    return this.values.master as string | undefined;
  }

  public get mode(): MacvlanMode {
    return (this.values.mode as MacvlanMode | undefined) ?? MacvlanMode.BRIDGE;
  }
}

registerPlugin(MacvlanPlugin.SPEC);
