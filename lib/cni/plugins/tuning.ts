import { CniCapability } from '../common';
import { FieldType, bool, field, int, mac, str } from '../field';
import { CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** Properties of a {@link TuningPlugin}. */
export interface TuningProps extends PluginBaseProps {
  /**
   * Sysctls to set inside the pod, e.g. `{ 'net.ipv4.conf.IFNAME.arp_filter': '1' }`. Keys must be
   * under `net.` (dotted or slashed; written dotted); the first `IFNAME` is replaced by the pod
   * interface name. Values are strings, as the plugin reads them.
   * @default - none
   */
  readonly sysctl?: Readonly<Record<string, string>>;
  /**
   * A MAC to set on the interface (prefer the per-pod `mac` capability).
   * @default - unchanged
   */
  readonly mac?: string;
  /**
   * An MTU to set on the interface; must not exceed what the link below allows.
   * @default - unchanged
   */
  readonly mtu?: number;
  /**
   * `true` turns promiscuous mode on. `false` does NOT turn it off: the plugin only acts on `true`.
   * @default - unchanged
   */
  readonly promisc?: boolean;
  /**
   * All-multicast mode; `true` and `false` are both applied.
   * @default - unchanged
   */
  readonly allmulti?: boolean;
  /**
   * Transmit queue length (containernetworking/plugins 1.4.0+).
   * @default - unchanged
   */
  readonly txQLen?: number;
  /**
   * Where the original settings are saved for DEL to restore.
   * @default /run/cni/tuning
   */
  readonly dataDir?: string;
}

/** The canonical (dotted) spelling of a sysctl key: `net/ipv4/ip_forward` -> `net.ipv4.ip_forward`. */
export function canonicalSysctlKey(key: string): string {
  return key.replace(/\//g, '.');
}

/** The `sysctl` map: string values under `net.`, one spelling per sysctl, written dotted. */
const SYSCTL_MAP: FieldType = {
  description: 'an object of sysctl strings',
  check(value, f, sink, phase) {
    if (phase.kind !== 'shape') return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      sink.error(f, 'must be an object of sysctl names to string values', value, 'write a JSON object such as {"net.ipv4.conf.IFNAME.arp_filter": "1"}');
      return;
    }
    const seen = new Map<string, string>();
    for (const [key, v] of Object.entries(value)) {
      const at = `${f}.${key}`;
      if (!/^net[./]/.test(key)) {
        sink.error(at, 'is not a network sysctl (the plugin only writes under /proc/sys/net/)', key,
          'use a key starting with "net." such as net.ipv4.conf.IFNAME.arp_filter, or set other sysctls in the pod securityContext');
      }
      if (typeof v !== 'string') {
        sink.error(at, 'must be a string (the plugin fails to decode a JSON number or boolean)', v,
          `write the value as a JSON string such as ${JSON.stringify(String(v))}`);
      } else if (v.length === 0) {
        sink.error(at, 'is empty', v, 'write the value to set, such as "1"');
      }
      const canonical = canonicalSysctlKey(key);
      const other = seen.get(canonical);
      if (other !== undefined) {
        sink.error(at, `is the same sysctl as '${other}' (the plugin writes both, in random order)`, key,
          `keep one spelling; the library writes it as '${canonical}'`);
      } else {
        seen.set(canonical, key);
      }
    }
  },
  toJson: (v) => Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, x]) => [canonicalSysctlKey(k), x])),
  fromJson: (j) => j,
};

/** The tuning plugin: changes sysctls and link settings of the interface made before it (`plugins/meta/tuning`). */
export class TuningPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'tuning',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.CHAINED,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [CniCapability.MAC],
    fields: {
      sysctl: field('sysctl', SYSCTL_MAP),
      mac: field('mac', mac()),
      mtu: field('mtu', int({ min: 68, max: 65535 })),
      promisc: field('promisc', bool()),
      allmulti: field('allmulti', bool()),
      txQLen: field('txQLen', int({ min: 0, max: 4294967295 }), { since: '1.4.0' }),
      dataDir: field('dataDir', str()),
    },
    create: (props: TuningProps, sink?: ProblemSink) => new TuningPlugin(props, sink),
  };

  constructor(props?: TuningProps);
  /** @internal */
  constructor(props: TuningProps | undefined, sink: ProblemSink | undefined);
  constructor(props: TuningProps = {}, sink?: ProblemSink) {
    super(TuningPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    if (this.values.promisc === false) {
      sink.warn('promisc', 'does nothing when false: the plugin only turns promiscuous mode on', false,
        'remove it (the interface keeps its current mode)');
    }
  }

  /** The sysctls, with canonical (dotted) keys. */
  public get sysctl(): Record<string, string> {
    const s = this.values.sysctl as Record<string, string> | undefined;
    return s ? (SYSCTL_MAP.toJson(s) as Record<string, string>) : {};
  }
}

registerPlugin(TuningPlugin.SPEC);
