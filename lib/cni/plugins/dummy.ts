import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { ProblemSink } from '../problem';

/** Properties of a {@link DummyPlugin}: an IPAM, nothing else (dummy reads no top-level `dns`). */
export interface DummyProps extends Omit<InterfacePluginProps, 'dns'> {}

/**
 * The dummy plugin: a dummy interface in the pod carrying addresses, e.g. for a service address
 * announced by routing (`plugins/main/dummy`, containernetworking/plugins 1.2.0+: not in Debian's
 * 1.1.1). Needs an IPAM; returns the IPAM's DNS.
 */
export class DummyPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'dummy',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    since: '1.2.0',
    ipam: IpamUse.REQUIRED,
    dns: false,
    consumes: [],
    fields: {},
    create: (props: DummyProps, sink?: ProblemSink) => new DummyPlugin(props, sink),
  };

  constructor(props: DummyProps);
  /** @internal */
  constructor(props: DummyProps, sink: ProblemSink | undefined);
  constructor(props: DummyProps, sink?: ProblemSink) {
    super(DummyPlugin.SPEC, props, sink);
  }
}

registerPlugin(DummyPlugin.SPEC);
