import { Cidr, IpAddress } from '../../addressing/ip';
import { arrayOf, bool, cidr, field, ip, objectOf } from '../field';
import { CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** A route as route-override reads it: its CNI library predates the route `mtu`/`table`/... keys. */
export interface OverrideRoute {
  /** Destination prefix, e.g. `192.0.2.0/24`. */
  readonly dst: string;
  /**
   * Next hop.
   * @default - none (a link route)
   */
  readonly gw?: string;
}

const OVERRIDE_ROUTE = objectOf({
  dst: field('dst', cidr(), { required: 'write the destination as a prefix such as 192.0.2.0/24' }),
  gw: field('gw', ip()),
}, {
  description: 'a route {dst, gw}',
  check(value: OverrideRoute, sink) {
    const dst = typeof value.dst === 'string' ? Cidr.tryParse(value.dst) : undefined;
    const gw = typeof value.gw === 'string' ? IpAddress.tryParse(value.gw) : undefined;
    if (dst && gw && dst.family !== gw.family) {
      sink.error('gw', `is not of the family of 'dst' ${value.dst}`, value.gw, 'use a gateway of the same address family as the destination');
    }
  },
});

/** Properties of a {@link RouteOverridePlugin}. */
export interface RouteOverrideProps extends PluginBaseProps {
  /**
   * Delete the default and gateway routes of the pod interfaces (link routes stay).
   * @default false
   */
  readonly flushroutes?: boolean;
  /**
   * Delete the default routes and clear the gateways of the result.
   * @default false
   */
  readonly flushgateway?: boolean;
  /**
   * Routes to remove, matched on `dst`.
   * @default - none
   */
  readonly delroutes?: readonly OverrideRoute[];
  /**
   * Routes to add on the first pod interface of the result; a failure is only logged.
   * @default - none
   */
  readonly addroutes?: readonly OverrideRoute[];
  /**
   * Make CHECK a no-op.
   * @default false
   */
  readonly skipcheck?: boolean;
}

/**
 * route-override (openshift/route-override-cni): edits the routes of the result before it. Its
 * binary is `route-override` (the README's `routing-override` is wrong); it accepts cniVersion up
 * to 1.0.0.
 */
export class RouteOverridePlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'route-override',
    project: PluginProject.ROUTE_OVERRIDE,
    role: PluginRole.CHAINED,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [],
    fields: {
      flushroutes: field('flushroutes', bool()),
      flushgateway: field('flushgateway', bool()),
      delroutes: field('delroutes', arrayOf(OVERRIDE_ROUTE)),
      addroutes: field('addroutes', arrayOf(OVERRIDE_ROUTE)),
      skipcheck: field('skipcheck', bool()),
    },
    create: (props: RouteOverrideProps, sink?: ProblemSink) => new RouteOverridePlugin(props, sink),
  };

  constructor(props?: RouteOverrideProps);
  /** @internal */
  constructor(props: RouteOverrideProps | undefined, sink: ProblemSink | undefined);
  constructor(props: RouteOverrideProps = {}, sink?: ProblemSink) {
    super(RouteOverridePlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const args = this.args as Record<string, unknown> | undefined;
    if (args !== undefined) {
      const cni = args.cni;
      if (typeof cni !== 'object' || cni === null || Array.isArray(cni)) {
        sink.error('args', "must hold a 'cni' object (route-override crashes on args without one)", args,
          'write args as { "cni": { ... } }, or leave args out');
      }
    }
  }
}

registerPlugin(RouteOverridePlugin.SPEC);
