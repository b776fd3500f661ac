/**
 * The typed Multus configuration: the keys of the Multus CNI config (`NetConf`,
 * docs/configuration.md) and, for the thick plugin, the daemon keys of `daemon-config.json`
 * (`ControllerNetConf`). The thick daemon overlays every key of `daemon-config.json` on the CNI
 * config of each request, so both kinds of keys live in one object.
 *
 * Rendering is deterministic: keys come out in the order of {@link MULTUS_KEY_ORDER}.
 */
import { ProblemSink } from '../cni/problem';

/** `logLevel` of Multus. */
export enum MultusLogLevel {
  DEBUG = 'debug',
  VERBOSE = 'verbose',
  ERROR = 'error',
  PANIC = 'panic',
}

/** `logOptions` (log rotation of `logFile`). */
export interface MultusLogOptions {
  /** Days. @default - Multus' default */
  readonly maxAge?: number;
  /** Megabytes. @default - Multus' default */
  readonly maxSize?: number;
  /** @default - Multus' default */
  readonly maxBackups?: number;
  /** @default - Multus' default */
  readonly compress?: boolean;
}

/** Keys of the Multus CNI configuration (thin and thick). */
export interface MultusNetConfProps {
  /** `cniVersion` of the generated Multus config. @default - see the thick/thin defaults */
  readonly cniVersion?: string;
  /**
   * The default network: a NAD name in `multusNamespace`, a CNI config name, a directory or a
   * file path. @default - auto: the lexically first other config in the CNI config directory
   */
  readonly clusterNetwork?: string;
  /** Extra networks attached to every pod (outside `systemNamespaces`). @default - none */
  readonly defaultNetworks?: string[];
  /** Pods may use only NADs of their own namespace (plus `globalNamespaces`). @default - not set (false) */
  readonly namespaceIsolation?: boolean;
  /** Namespaces whose NADs every pod may use; rendered comma-separated. @default - not set (implied "default") */
  readonly globalNamespaces?: string[];
  /** A file whose existence tells Multus the default network is ready. @default - not set */
  readonly readinessIndicatorFile?: string;
  /** @default - see the thick/thin defaults */
  readonly logLevel?: MultusLogLevel;
  /** @default - not set (no log file) */
  readonly logFile?: string;
  /** @default - see the thick/thin defaults */
  readonly logToStderr?: boolean;
  /** @default - not set */
  readonly logOptions?: MultusLogOptions;
  /** Namespace of `clusterNetwork`/`defaultNetworks` NADs. @default - not set (kube-system) */
  readonly multusNamespace?: string;
  /** No `defaultNetworks` for pods in these namespaces. @default - not set (["kube-system"]) */
  readonly systemNamespaces?: string[];
  /** Where NAD-less (file) configs are looked up. @default - not set (/etc/cni/multus/net.d) */
  readonly confDir?: string;
  /** Delegate cache directory. @default - not set (/var/lib/cni/multus) */
  readonly cniDir?: string;
  /** Extra plugin directory. @default - not set (/opt/cni/bin) */
  readonly binDir?: string;
  /** Capabilities of the default network, e.g. `{portMappings: true}`. @default - not set (copied from the primary config) */
  readonly capabilities?: Record<string, boolean>;
  /** Keep calling DEL on the other delegates after an error. @default - not set (false) */
  readonly retryDeleteOnError?: boolean;
  /** A chain run for every pod from `<confDir>/<name>/`. @default - not set */
  readonly auxiliaryCniChainName?: string;
}

/** Keys of the thick daemon only (`daemon-config.json`). */
export interface MultusDaemonConfProps extends MultusNetConfProps {
  /** Delegates run under `chroot <chrootDir>`. @default '/hostroot' */
  readonly chrootDir?: string;
  /** Where the daemon's socket lives (container path). @default '/host/run/multus/' */
  readonly socketDir?: string;
  /** Where `00-multus.conf` is written (container path). @default '/host/etc/cni/net.d' */
  readonly cniConfigDir?: string;
  /** Where the primary CNI config is read (container path). @default '/host/etc/cni/net.d' */
  readonly multusAutoconfigDir?: string;
  /** `auto`, or a path copied as-is. @default 'auto' */
  readonly multusConfigFile?: string;
  /** A specific primary config file name. @default - not set (the lexically first) */
  readonly multusMasterCni?: string;
  /** Prometheus metrics port. @default - not set (no metrics) */
  readonly metricsPort?: number;
  /** pprof on the metrics port (v4.3.0+). @default - not set */
  readonly enablePprof?: boolean;
  /** Caps concurrent shim connections (v4.3.0+). @default - not set */
  readonly connectionLimit?: number;
  /** @default - not set */
  readonly forceCniVersion?: boolean;
  /** @default - not set */
  readonly overrideNetworkName?: boolean;
}

/** Wire key of each prop, in output order. */
export const MULTUS_KEY_ORDER: ReadonlyArray<readonly [keyof MultusDaemonConfProps, string]> = [
  ['chrootDir', 'chrootDir'],
  ['cniVersion', 'cniVersion'],
  ['logLevel', 'logLevel'],
  ['logToStderr', 'logToStderr'],
  ['logFile', 'logFile'],
  ['logOptions', 'logOptions'],
  ['cniConfigDir', 'cniConfigDir'],
  ['multusAutoconfigDir', 'multusAutoconfigDir'],
  ['multusConfigFile', 'multusConfigFile'],
  ['multusMasterCni', 'multusMasterCNI'],
  ['socketDir', 'socketDir'],
  ['metricsPort', 'metricsPort'],
  ['enablePprof', 'enablePprof'],
  ['connectionLimit', 'connectionLimit'],
  ['forceCniVersion', 'forceCNIVersion'],
  ['overrideNetworkName', 'overrideNetworkName'],
  ['clusterNetwork', 'clusterNetwork'],
  ['defaultNetworks', 'defaultNetworks'],
  ['namespaceIsolation', 'namespaceIsolation'],
  ['globalNamespaces', 'globalNamespaces'],
  ['readinessIndicatorFile', 'readinessindicatorfile'],
  ['multusNamespace', 'multusNamespace'],
  ['systemNamespaces', 'systemNamespaces'],
  ['confDir', 'confDir'],
  ['cniDir', 'cniDir'],
  ['binDir', 'binDir'],
  ['capabilities', 'capabilities'],
  ['retryDeleteOnError', 'retryDeleteOnError'],
  ['auxiliaryCniChainName', 'auxiliaryCNIChainName'],
];

/** The thick defaults of `multus-daemonset-thick.yml` (`daemon-config.json`). */
export const MULTUS_THICK_DEFAULTS: MultusDaemonConfProps = {
  chrootDir: '/hostroot',
  cniVersion: '0.3.1',
  logLevel: MultusLogLevel.VERBOSE,
  logToStderr: true,
  cniConfigDir: '/host/etc/cni/net.d',
  multusAutoconfigDir: '/host/etc/cni/net.d',
  multusConfigFile: 'auto',
  socketDir: '/host/run/multus/',
};

/** The thick daemon-only props (not expressible for the thin plugin). */
export const MULTUS_DAEMON_ONLY_KEYS: ReadonlyArray<keyof MultusDaemonConfProps> = [
  'chrootDir', 'socketDir', 'cniConfigDir', 'multusAutoconfigDir', 'multusConfigFile', 'multusMasterCni',
  'metricsPort', 'enablePprof', 'connectionLimit', 'forceCniVersion', 'overrideNetworkName',
];

const NS_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks the shape of a Multus configuration (paths absolute, names valid, ports in range). */
export function checkMultusConf(sink: ProblemSink, conf: MultusDaemonConfProps): void {
  const paths: (keyof MultusDaemonConfProps)[] = ['chrootDir', 'socketDir', 'cniConfigDir', 'multusAutoconfigDir', 'logFile', 'confDir', 'cniDir', 'binDir', 'readinessIndicatorFile'];
  for (const k of paths) {
    const v = conf[k];
    if (v !== undefined && (typeof v !== 'string' || !v.startsWith('/'))) {
      sink.error(k, 'is not an absolute path', v, 'write an absolute path such as "/var/lib/cni/multus"');
    }
  }
  if (conf.multusConfigFile !== undefined && conf.multusConfigFile !== 'auto' && !conf.multusConfigFile.startsWith('/')) {
    sink.error('multusConfigFile', 'is neither "auto" nor an absolute path', conf.multusConfigFile, 'write "auto" or the path of a Multus config file');
  }
  for (const k of ['globalNamespaces', 'systemNamespaces'] as const) {
    for (const ns of conf[k] ?? []) {
      if (!NS_RE.test(ns)) sink.error(k, 'has a namespace that is not a DNS-1123 label', ns, 'write namespace names such as "kube-system"');
    }
  }
  if (conf.multusNamespace !== undefined && !NS_RE.test(conf.multusNamespace)) {
    sink.error('multusNamespace', 'is not a DNS-1123 label', conf.multusNamespace, 'write a namespace name such as "kube-system"');
  }
  if (conf.metricsPort !== undefined && (!Number.isInteger(conf.metricsPort) || conf.metricsPort < 1 || conf.metricsPort > 65535)) {
    sink.error('metricsPort', 'is not a port number', conf.metricsPort, 'use an integer from 1 to 65535');
  }
  if (conf.connectionLimit !== undefined && (!Number.isInteger(conf.connectionLimit) || conf.connectionLimit < 1)) {
    sink.error('connectionLimit', 'is not a positive integer', conf.connectionLimit, 'use an integer of at least 1');
  }
  if (conf.clusterNetwork !== undefined && conf.clusterNetwork.length === 0) {
    sink.error('clusterNetwork', 'is empty', conf.clusterNetwork, 'leave it unset for auto, or name a NAD, CNI config name or path');
  }
}

/** The wire object of a configuration, keys in {@link MULTUS_KEY_ORDER}, unset keys omitted. */
export function renderMultusConf(conf: MultusDaemonConfProps): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [prop, key] of MULTUS_KEY_ORDER) {
    const v = conf[prop];
    if (v === undefined) continue;
    if (prop === 'globalNamespaces') out[key] = (v as string[]).join(',');
    else if (prop === 'capabilities') out[key] = sortKeys(v as Record<string, boolean>);
    else if (Array.isArray(v)) out[key] = [...v];
    else if (typeof v === 'object' && v !== null) out[key] = { ...v };
    else out[key] = v;
  }
  return out;
}

function sortKeys(o: Record<string, boolean>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}
