import { CniCapability } from '../common';
import { CniVersion } from '../cni-version';
import { field, int } from '../field';
import { ChainContext, CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { rejectedField } from './rejected-field';

/**
 * The largest burst the plugin accepts, in bits: it rejects `burst / 8 >= 2^32 - 1`
 * ("burst cannot be more than 4GB").
 */
export const MAX_BANDWIDTH_BURST = 34359738359;

/** Interface plugins whose pod interface is a veth with its peer on the host, which bandwidth needs. */
export const VETH_PLUGIN_TYPES: readonly string[] = ['bridge', 'ptp'];

/** Properties of a {@link BandwidthPlugin}. All values are in bits (per second for rates). */
export interface BandwidthProps extends PluginBaseProps {
  /**
   * Ingress rate limit, bits per second; needs `ingressBurst`.
   * @default - no static ingress limit (a per-pod `bandwidth` capability value may set one)
   */
  readonly ingressRate?: number;
  /**
   * Ingress burst, bits; needs `ingressRate`.
   * @default - none
   */
  readonly ingressBurst?: number;
  /**
   * Egress rate limit, bits per second; needs `egressBurst`.
   * @default - no static egress limit
   */
  readonly egressRate?: number;
  /**
   * Egress burst, bits; needs `egressRate`.
   * @default - none
   */
  readonly egressBurst?: number;
}

const RATE = int({ min: 0, unit: 'bits per second' });
const BURST = int({ min: 0, max: MAX_BANDWIDTH_BURST, unit: 'bits',
  fix: 'write a burst below 34359738360 bits (the plugin refuses 4 GB and more) as a JSON number' });

/** The bandwidth plugin: tc shaping on the host side of a veth (`plugins/meta/bandwidth`). */
export class BandwidthPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'bandwidth',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.CHAINED,
    minCniVersion: CniVersion.V0_3_0,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [CniCapability.BANDWIDTH],
    fields: {
      ingressRate: field('ingressRate', RATE),
      ingressBurst: field('ingressBurst', BURST),
      egressRate: field('egressRate', RATE),
      egressBurst: field('egressBurst', BURST),
      shapedSubnets: field('shapedSubnets', rejectedField('existed only in containernetworking-plugins 1.5.x (reverted in 1.6.0)', 'remove it; shape the whole interface')),
      unshapedSubnets: field('unshapedSubnets', rejectedField('existed only in containernetworking-plugins 1.5.x (reverted in 1.6.0)', 'remove it; shape the whole interface')),
    },
    create: (props: BandwidthProps, sink?: ProblemSink) => new BandwidthPlugin(props, sink),
  };

  constructor(props?: BandwidthProps);
  /** @internal */
  constructor(props: BandwidthProps | undefined, sink: ProblemSink | undefined);
  constructor(props: BandwidthProps = {}, sink?: ProblemSink) {
    super(BandwidthPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    for (const dir of ['ingress', 'egress']) {
      const rate = (this.values[`${dir}Rate`] as number | undefined) ?? 0;
      const burst = (this.values[`${dir}Burst`] as number | undefined) ?? 0;
      if (rate > 0 && burst === 0) {
        sink.error(`${dir}Burst`, `must be set when '${dir}Rate' is (the plugin refuses a rate without a burst)`, this.values[`${dir}Burst`],
          `set '${dir}Burst' in bits, e.g. ${Math.max(1, Math.ceil(rate / 10))} (a tenth of a second at the rate)`);
      }
      if (burst > 0 && rate === 0) {
        sink.error(`${dir}Rate`, `must be set when '${dir}Burst' is (the plugin refuses a burst without a rate)`, this.values[`${dir}Rate`],
          `set '${dir}Rate' in bits per second, or remove '${dir}Burst'`);
      }
    }
    if (this.hasStaticRates && this.capabilities.includes(CniCapability.BANDWIDTH)) {
      sink.warn('capabilities.bandwidth', 'is ignored while static rates are set: the plugin only reads the per-pod value when the config has none', true,
        'remove the static rates to shape per pod, or remove the capability');
    }
    if (!this.hasStaticRates && !this.capabilities.includes(CniCapability.BANDWIDTH)) {
      sink.warn('ingressRate', 'is not set, nor any other rate, so the plugin does nothing', undefined,
        'set ingress/egress rates and bursts, or declare the bandwidth capability for per-pod values');
    }
  }

  protected checkChain(sink: ProblemSink, ctx: ChainContext): void {
    const first = ctx.previous[0];
    if (!first || VETH_PLUGIN_TYPES.includes(first.type)) return;
    const message = `cannot shape the interface of ${first.type}: the plugin needs a veth whose peer is on the host (bridge or ptp)`;
    const fix = 'chain bandwidth after bridge or ptp; macvlan, ipvlan, sriov and host-device interfaces cannot be shaped by it';
    if (first.unchecked) sink.warn('type', message, this.type, fix);
    else sink.error('type', message, this.type, fix);
  }

  /** Whether a static rate or burst is configured. */
  public get hasStaticRates(): boolean {
    return ['ingressRate', 'ingressBurst', 'egressRate', 'egressBurst'].some((k) => ((this.values[k] as number | undefined) ?? 0) > 0);
  }
}

registerPlugin(BandwidthPlugin.SPEC);
