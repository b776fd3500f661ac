import { CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

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
    create: (props: LoopbackProps) => new LoopbackPlugin(props),
  };

  constructor(props: LoopbackProps = {}) {
    super(LoopbackPlugin.SPEC, props);
  }
}

registerPlugin(LoopbackPlugin.SPEC);
