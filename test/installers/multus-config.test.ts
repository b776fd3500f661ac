import { ProblemSink, formatProblem } from '../../lib/cni/problem';
import {
  MULTUS_DAEMON_ONLY_KEYS, MULTUS_KEY_ORDER, MULTUS_THICK_DEFAULTS, MultusDaemonConfProps, MultusLogLevel,
  checkMultusConf, renderMultusConf,
} from '../../lib/installers/multus-config';

function problems(conf: MultusDaemonConfProps): string[] {
  const sink = new ProblemSink();
  checkMultusConf(sink, conf);
  return sink.problems.map(formatProblem);
}

describe('Multus config rendering', () => {
  test('log level wire values', () => {
    expect(Object.values(MultusLogLevel)).toEqual(['debug', 'verbose', 'error', 'panic']);
  });

  test('the thick defaults render to the daemon-config.json keys in order', () => {
    const out = renderMultusConf(MULTUS_THICK_DEFAULTS);
    expect(out).toEqual({
      chrootDir: '/hostroot', cniVersion: '0.3.1', logLevel: 'verbose', logToStderr: true,
      cniConfigDir: '/host/etc/cni/net.d', multusAutoconfigDir: '/host/etc/cni/net.d', multusConfigFile: 'auto', socketDir: '/host/run/multus/',
    });
    expect(Object.keys(out)).toEqual(['chrootDir', 'cniVersion', 'logLevel', 'logToStderr', 'cniConfigDir', 'multusAutoconfigDir', 'multusConfigFile', 'socketDir']);
    expect(problems(MULTUS_THICK_DEFAULTS)).toEqual([]);
  });

  test('keys follow MULTUS_KEY_ORDER whatever the prop order; wire spellings differ where Multus does', () => {
    const conf: MultusDaemonConfProps = {
      auxiliaryCniChainName: 'aux', readinessIndicatorFile: '/run/flannel/subnet.env', forceCniVersion: true,
      multusMasterCni: '10-flannel.conflist', clusterNetwork: 'flannel', chrootDir: '/hostroot',
    };
    const out = renderMultusConf(conf);
    expect(JSON.stringify(out)).toBe(JSON.stringify({
      chrootDir: '/hostroot', multusMasterCNI: '10-flannel.conflist', forceCNIVersion: true, clusterNetwork: 'flannel',
      readinessindicatorfile: '/run/flannel/subnet.env', auxiliaryCNIChainName: 'aux',
    }));
  });

  test('every prop is in the key order exactly once', () => {
    const props = MULTUS_KEY_ORDER.map(([p]) => p);
    expect(new Set(props).size).toBe(props.length);
    const keys = MULTUS_KEY_ORDER.map(([, k]) => k);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of MULTUS_DAEMON_ONLY_KEYS) expect(props).toContain(k);
  });

  test('globalNamespaces comma-joined, capabilities with sorted keys, arrays and objects copied, unset keys omitted', () => {
    const defaultNetworks = ['a', 'b'];
    const logOptions = { maxAge: 5, compress: true };
    const out = renderMultusConf({
      globalNamespaces: ['default', 'shared'], capabilities: { portMappings: true, bandwidth: false },
      defaultNetworks, logOptions, namespaceIsolation: false, metricsPort: 9091, logLevel: MultusLogLevel.PANIC,
    });
    expect(out).toEqual({
      logLevel: 'panic', logOptions: { maxAge: 5, compress: true }, metricsPort: 9091, defaultNetworks: ['a', 'b'],
      namespaceIsolation: false, globalNamespaces: 'default,shared', capabilities: { bandwidth: false, portMappings: true },
    });
    expect(Object.keys(out.capabilities as object)).toEqual(['bandwidth', 'portMappings']);
    expect(out.defaultNetworks).not.toBe(defaultNetworks);
    expect(out.logOptions).not.toBe(logOptions);
    expect(renderMultusConf({})).toEqual({});
  });
});

describe('checkMultusConf', () => {
  test('a full valid configuration has no problem', () => {
    expect(problems({
      ...MULTUS_THICK_DEFAULTS, logFile: '/var/log/multus.log', confDir: '/etc/cni/multus/net.d', cniDir: '/var/lib/cni/multus', binDir: '/opt/cni/bin',
      globalNamespaces: ['default'], systemNamespaces: ['kube-system'], multusNamespace: 'kube-system', metricsPort: 65535, connectionLimit: 1,
      multusConfigFile: '/etc/multus.conf', clusterNetwork: 'calico',
    })).toEqual([]);
  });

  test('fails on relative paths, naming each key', () => {
    expect(problems({ chrootDir: 'hostroot', logFile: 'multus.log', readinessIndicatorFile: 'run/x' })).toEqual([
      expect.stringMatching(/^'chrootDir' is not an absolute path: got "hostroot"; write an absolute path/),
      expect.stringMatching(/^'logFile' is not an absolute path: got "multus\.log"; /),
      expect.stringMatching(/^'readinessIndicatorFile' is not an absolute path: got "run\/x"; /),
    ]);
  });

  test('fails on a multusConfigFile neither auto nor absolute', () => {
    expect(problems({ multusConfigFile: 'multus.conf' })).toEqual([
      expect.stringMatching(/^'multusConfigFile' is neither "auto" nor an absolute path: got "multus\.conf"; write "auto" or the path/),
    ]);
  });

  test('fails on namespaces that are not DNS-1123 labels', () => {
    expect(problems({ globalNamespaces: ['ok', 'Not_OK'], systemNamespaces: ['kube system'], multusNamespace: 'Kube' })).toEqual([
      expect.stringMatching(/^'globalNamespaces' has a namespace that is not a DNS-1123 label: got "Not_OK"; /),
      expect.stringMatching(/^'systemNamespaces' has a namespace that is not a DNS-1123 label: got "kube system"; /),
      expect.stringMatching(/^'multusNamespace' is not a DNS-1123 label: got "Kube"; /),
    ]);
  });

  test('fails on ports and limits out of range, and an empty clusterNetwork', () => {
    expect(problems({ metricsPort: 0 })).toEqual([expect.stringMatching(/^'metricsPort' is not a port number: got 0; use an integer from 1 to 65535$/)]);
    expect(problems({ metricsPort: 65536 })).toHaveLength(1);
    expect(problems({ metricsPort: 80.5 })).toHaveLength(1);
    expect(problems({ connectionLimit: 0 })).toEqual([expect.stringMatching(/^'connectionLimit' is not a positive integer: got 0; /)]);
    expect(problems({ clusterNetwork: '' })).toEqual([expect.stringMatching(/^'clusterNetwork' is empty: got ""; leave it unset for auto/)]);
  });
});
