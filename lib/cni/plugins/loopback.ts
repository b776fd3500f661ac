import { CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { ProblemSink } from '../problem';

/** Properties of a {@link LoopbackPlugin}: none of its own. */
export interface LoopbackProps extends Omit<PluginBaseProps, 'capabilities'> {}

/** The loopback plugin: brings up `lo` (127.0.0.1/8, ::1/128) in the pod; reads no keys (`plugins/main/loopback`). */
export class LoopbackPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'loopback',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [],
    fields: {},
    create: (props: LoopbackProps, sink?: ProblemSink) => new LoopbackPlugin(props, sink),
  };

  constructor(props?: LoopbackProps);
  /** @internal */
  constructor(props: LoopbackProps | undefined, sink: ProblemSink | undefined);
  constructor(props: LoopbackProps = {}, sink?: ProblemSink) {
    super(LoopbackPlugin.SPEC, props, sink);
  }
}

registerPlugin(LoopbackPlugin.SPEC);
