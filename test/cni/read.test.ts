import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { Ipam, UncheckedIpam } from '../../lib/cni/ipam';
import { lintCniConfig } from '../../lib/cni/parse';
import { CniPlugin, IpamUse, PluginRole, PluginSpec, UncheckedPlugin } from '../../lib/cni/plugin';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { ProblemSink, Severity, formatProblem } from '../../lib/cni/problem';
import { PluginProject } from '../../lib/cni/profile';
import { registerPlugin } from '../../lib/cni/registry';
import { int, field } from '../../lib/cni/field';

/**
 * Parsing gathers every problem of a config through the checks the constructors run, by handing
 * each plugin and IPAM a sink of its own: no process-wide state decides whether a check throws.
 */

const lines = (problems: readonly { severity: Severity }[]) => problems.map((p) => `${p.severity} ${formatProblem(p as never)}`);

const MTU_1 = "'mtu' must be an integer from 68 to 65535: got 1; write an integer from 68 to 65535 as a JSON number";

/** What a probe plugin saw while it was being built (inside a parse or not). */
const seen: string[] = [];

/**
 * A plugin whose own check builds another plugin and parses another config while it is being
 * built, the way a plugin author's check might (e.g. to validate an embedded delegate config).
 */
class ProbePlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'p-probe', project: PluginProject.CNI_PLUGINS, role: PluginRole.INTERFACE, ipam: IpamUse.NONE, dns: false, consumes: [],
    fields: { level: field('level', int({ min: 0, max: 9 })) },
    create: (props: object, sink?: ProblemSink) => new ProbePlugin(props, sink),
  };

  constructor(props: { level?: number } = {}, sink?: ProblemSink) {
    super(ProbePlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    try {
      new MacvlanPlugin({ master: 'eth1', mtu: 1 });
      seen.push('built without throwing');
    } catch (e) {
      seen.push(`threw: ${(e as Error).message}`);
    }
    const inner = lintCniConfig({ cniVersion: '1.0.0', name: 'inner', plugins: [{ type: 'macvlan', master: 'eth1', mtu: 2 }] });
    seen.push(`inner lint: ${inner.problems.map(formatProblem).join(' | ')}`);
    if (this.values.level === 0) sink.error('level', 'must not be 0', 0, 'use a level from 1 to 9');
  }
}
registerPlugin(ProbePlugin.SPEC);

/** A plugin whose check throws an unexpected error (a bug in its check, not a problem it reports). */
class CrashingPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'p-crash', project: PluginProject.CNI_PLUGINS, role: PluginRole.INTERFACE, ipam: IpamUse.NONE, dns: false, consumes: [],
    fields: {}, create: (props: object, sink?: ProblemSink) => new CrashingPlugin(props, sink),
  };

  constructor(props: object = {}, sink?: ProblemSink) {
    super(CrashingPlugin.SPEC, props, sink);
  }

  protected checkShape(): void {
    throw new TypeError('boom');
  }
}
registerPlugin(CrashingPlugin.SPEC);

/** A plugin written before sinks: its constructor takes none, so it throws even while parsed. */
class LegacyPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'p-legacy', project: PluginProject.CNI_PLUGINS, role: PluginRole.INTERFACE, ipam: IpamUse.NONE, dns: false, consumes: [],
    fields: { level: field('level', int({ min: 0, max: 9 })) }, create: (props: object) => new LegacyPlugin(props),
  };

  constructor(props: object = {}) {
    super(LegacyPlugin.SPEC, props);
  }
}
registerPlugin(LegacyPlugin.SPEC);

beforeEach(() => {
  seen.length = 0;
});

describe('no process-wide problem state', () => {
  test('a plugin built while a config is parsed throws as usual; a parse inside it collects for that parse only', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'outer', plugins: [{ type: 'p-probe', level: 0 }] });
    expect(seen).toEqual([
      `threw: macvlan plugin: ${MTU_1}`,
      "inner lint: 'plugins[0].mtu' must be an integer from 68 to 65535: got 2; write an integer from 68 to 65535 as a JSON number",
    ]);
    // the outer parse has the probe's own problem, nothing of what happened inside its check
    expect(lines(r.problems)).toEqual(["error 'plugins[0].level' must not be 0: got 0; use a level from 1 to 9"]);
    expect(r.config).toBeUndefined();
  });

  test('a plugin constructor that parses a config inside its check still throws its own problem', () => {
    expect(() => new ProbePlugin({ level: 0 })).toThrow(/^p-probe plugin: 'level' must not be 0: got 0; use a level from 1 to 9$/);
    expect(seen).toEqual([
      `threw: macvlan plugin: ${MTU_1}`,
      "inner lint: 'plugins[0].mtu' must be an integer from 68 to 65535: got 2; write an integer from 68 to 65535 as a JSON number",
    ]);
    // and one that has no problem builds
    expect(new ProbePlugin({ level: 3 }).toJson()).toEqual({ type: 'p-probe', level: 3 });
  });

  test('constructors given a sink record there and throw nothing; without one they throw', () => {
    const sink = new ProblemSink('plugins[1]');
    const plugin = new MacvlanPlugin({ master: 'eth1', mtu: 1 }, sink);
    expect(plugin).toBeInstanceOf(MacvlanPlugin);
    expect(lines(sink.problems)).toEqual(['error \'plugins[1].mtu\' must be an integer from 68 to 65535: got 1; write an integer from 68 to 65535 as a JSON number']);
    expect(() => new MacvlanPlugin({ master: 'eth1', mtu: 1 })).toThrow(`macvlan plugin: ${MTU_1}`);

    const ipamSink = new ProblemSink();
    const ipam: Ipam = new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.5/24' }]] }, ipamSink);
    expect(ipam).toBeInstanceOf(HostLocalIpam);
    expect(ipamSink.problems.map((p) => p.field)).toEqual(['ranges[0][0].subnet']);
    expect(() => new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.5/24' }]] })).toThrow(/^host-local IPAM: 'ranges\[0\]\[0\]\.subnet' has host bits set/);

    const uncheckedSink = new ProblemSink();
    new UncheckedPlugin('a/b', {}, PluginRole.INTERFACE, uncheckedSink);
    new UncheckedIpam('', {}, uncheckedSink);
    expect(uncheckedSink.problems.map(formatProblem)).toEqual([
      "'type' is not a plain binary name: got \"a/b\"; write the plugin binary name without slashes",
      "'type' is not a plain binary name: got \"\"; write the IPAM binary name without slashes",
    ]);

    const configSink = new ProblemSink();
    new CniConfig({ name: 'n', plugins: [] }, configSink);
    expect(configSink.problems.map(formatProblem)).toEqual(["'plugins' is empty: got []; add an interface plugin such as bridge or macvlan"]);
    expect(() => new CniConfig({ name: 'n', plugins: [] })).toThrow("CNI config: 'plugins' is empty: got []; add an interface plugin such as bridge or macvlan");
  });
});

describe('lintCniConfig reports every plugin', () => {
  test('a list of four broken plugins: each plugin\'s problems under its own index, none built', () => {
    const r = lintCniConfig({
      cniVersion: '1.0.0', name: 'n', plugins: [
        { type: 'macvlan', master: 'eth1', mode: 'x', mtu: 'big' },
        { type: 'bridge', bridge: 7 },
        { type: 'tuning', sysctl: 3 },
        { type: 'portmap', capabilities: { ips: true } },
      ],
    });
    expect(r.config).toBeUndefined();
    expect(lines(r.problems)).toEqual([
      "error 'plugins[0].mode' must be one of \"bridge\", \"private\", \"vepa\", \"passthru\": got \"x\"; use a MacvlanMode value: one of \"bridge\", \"private\", \"vepa\", \"passthru\" (exact case)",
      "error 'plugins[0].mtu' must be an integer from 68 to 65535: got \"big\"; write an integer from 68 to 65535 as a JSON number",
      "error 'plugins[1].bridge' must be an interface name: got 7; write an interface name such as eth1",
      "error 'plugins[2].sysctl' must be an object of sysctl names to string values: got 3; write a JSON object such as {\"net.ipv4.conf.IFNAME.arp_filter\": \"1\"}",
      "error 'plugins[3].capabilities.ips' is not read by portmap, so Multus would drop the per-pod value: got true; declare it on an interface plugin whose IPAM is static or host-local",
    ]);
  });

  test('an unknown plugin or IPAM type that is a path is an error at its own place, and nothing is built', () => {
    const plugin = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1' }, { type: '../x' }] });
    expect(plugin.config).toBeUndefined();
    expect(lines(plugin.problems)).toEqual([
      "warning 'plugins[1].type' is not a plugin the library knows; its fields are NOT CHECKED: got \"../x\"; check it by hand, or use a known plugin",
      "error 'plugins[1].type' is not a plain binary name: got \"../x\"; write the plugin binary name without slashes",
    ]);
    const ipam = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1', ipam: { type: 'a/b' } }] });
    expect(ipam.config).toBeUndefined();
    expect(lines(ipam.problems)).toEqual([
      "warning 'plugins[0].ipam.type' is not an IPAM the library knows; its fields are NOT CHECKED: got \"a/b\"; check it by hand, or use host-local, static, dhcp or whereabouts",
      "error 'plugins[0].ipam.type' is not a plain binary name: got \"a/b\"; write the IPAM binary name without slashes",
    ]);
  });

  test('a plugin whose check throws fails that plugin only, as "could not be built"', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'macvlan', master: 'eth1', mtu: 1 }, { type: 'p-crash' }] });
    expect(lines(r.problems)).toEqual([
      "error 'plugins[0].mtu' must be an integer from 68 to 65535: got 1; write an integer from 68 to 65535 as a JSON number",
      "error 'plugins[1]' could not be built: got \"boom\"; fix the fields above",
    ]);
    expect(() => new CrashingPlugin()).toThrow(TypeError);
  });

  test('a plugin class that does not pass the sink on is reported whole, as "could not be built" with its message', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'p-legacy', level: 10 }] });
    expect(r.config).toBeUndefined();
    expect(lines(r.problems)).toEqual([
      "error 'plugins[0]' could not be built: got \"p-legacy plugin: 'level' must be an integer from 0 to 9: got 10; write an integer from 0 to 9 as a JSON number\"; fix the fields above",
    ]);
    expect(lintCniConfig({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'p-legacy', level: 1 }] }).problems).toEqual([]);
  });

  test('list values the reader does not check (cniVersions not a list) are reported once, without a crash', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', cniVersions: '1.0.0', plugins: [{ type: 'macvlan', master: 'eth1' }] });
    expect(r.config).toBeUndefined();
    expect(lines(r.problems)).toEqual([
      "error 'cniVersions' must be a list, each item a CniVersion: got \"1.0.0\"; write a list such as [\"1.0.0\"], not a string (a string is not a list)",
    ]);
  });

  test('problems of the config as a whole are reported with the config built', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'n', cniVersions: ['1.0.0', 'x'], plugins: [{ type: 'macvlan', master: 'eth1' }] });
    expect(lines(r.problems)).toEqual(["error 'cniVersions[1]' is not a CNI specification version: got \"x\"; use versions such as 1.0.0 and 1.1.0"]);
    expect(r.config).toBeInstanceOf(CniConfig);
  });
});
