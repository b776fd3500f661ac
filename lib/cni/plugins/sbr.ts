import { field, int } from '../field';
import { ChainContext, CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { rejectedField } from './rejected-field';

/** Properties of an {@link SbrPlugin}. */
export interface SbrProps extends PluginBaseProps {
  /**
   * The routing table for the source rules (containernetworking/plugins 1.6.0+). With it, only
   * `from <ip> lookup <table>` rules are added and the routes stay where they are.
   * @default - the first free table from 100, which receives the interface's routes (moved out of main)
   */
  readonly table?: number;
}

const UNRELEASED = 'is not in any release of containernetworking-plugins (HEAD only)';

/** The sbr plugin: source-based routing for the addresses of the interface made before it (`plugins/meta/sbr`). */
export class SbrPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'sbr',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.CHAINED,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [],
    fields: {
      table: field('table', int({ min: 1, max: 4294967295 }), { since: '1.6.0' }),
      gateways: field('gateways', rejectedField(UNRELEASED, 'remove it; the gateways come from the IPAM result')),
      addSourceHints: field('addSourceHints', rejectedField(UNRELEASED, 'remove it')),
    },
    create: (props: SbrProps, sink?: ProblemSink) => new SbrPlugin(props, sink),
  };

  constructor(props?: SbrProps);
  /** @internal */
  constructor(props: SbrProps | undefined, sink: ProblemSink | undefined);
  constructor(props: SbrProps = {}, sink?: ProblemSink) {
    super(SbrPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const table = this.values.table as number | undefined;
    if (table !== undefined && table >= 253 && table <= 255) {
      sink.error('table', 'is a reserved routing table (253 default, 254 main, 255 local)', table, 'use a table such as 100');
    }
  }

  protected checkChain(sink: ProblemSink, ctx: ChainContext): void {
    const first = ctx.previous[0];
    if (!first || first.unchecked || first.ipam) return;
    sink.error('type', `needs addresses, but ${first.type} before it has no IPAM (the plugin fails with "No IP addresses supplied")`, this.type,
      `give ${first.type} an IPAM such as host-local or static, or remove sbr`);
  }

  /** The routing table, if fixed. */
  public get table(): number | undefined {
    return this.values.table as number | undefined;
  }
}

registerPlugin(SbrPlugin.SPEC);
