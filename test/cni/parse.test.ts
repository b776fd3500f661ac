import { CniConfig, ConfigFormat } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { UncheckedIpam } from '../../lib/cni/ipam';
import { LintResult, lintCniConfig, parseCniConfig } from '../../lib/cni/parse';
import { UncheckedPlugin } from '../../lib/cni/plugin';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { Severity, formatProblem } from '../../lib/cni/problem';

const errors = (r: LintResult) => r.problems.filter((p) => p.severity === Severity.ERROR).map(formatProblem);
const warnings = (r: LintResult) => r.problems.filter((p) => p.severity === Severity.WARNING).map(formatProblem);

const MACVLAN = { type: 'macvlan', master: 'eth1', ipam: { type: 'host-local', ranges: [[{ subnet: '10.10.10.0/24' }]] } };

describe('parseCniConfig', () => {
  test('a list (text) parses into the model and writes back the same JSON', () => {
    const json = { cniVersion: '1.0.0', name: 'mv', plugins: [{ ...MACVLAN, mode: 'bridge' }] };
    const cfg = parseCniConfig(JSON.stringify(json));
    expect(cfg.format).toBe(ConfigFormat.LIST);
    expect(cfg.name).toBe('mv');
    expect(cfg.main).toBeInstanceOf(MacvlanPlugin);
    expect(cfg.main.ipam).toBeInstanceOf(HostLocalIpam);
    expect(cfg.toJson()).toEqual(json);
  });

  test('an object with type and no plugins is a single-plugin config', () => {
    const json = { cniVersion: '0.4.0', name: 'one', ...MACVLAN };
    const cfg = parseCniConfig(json);
    expect(cfg.format).toBe(ConfigFormat.SINGLE);
    expect(cfg.plugins).toHaveLength(1);
    expect(cfg.toJson()).toEqual(json);
  });

  test('an object without type is read as a list', () => {
    expect(() => parseCniConfig({ cniVersion: '1.0.0', name: 'x' }))
      .toThrow(/'plugins' must be a list of plugin objects: got nothing; write "plugins": \[\{"type": \.\.\.\}, \.\.\.\]/);
  });

  test('fails with every error in one message', () => {
    expect(() => parseCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', master: 'eth1', mode: 'l4', mtu: '1500' }] }))
      .toThrow(/^CNI config: 2 problems:\n  'plugins\[0\]\.mode' must be one of .*\n  'plugins\[0\]\.mtu' must be an integer/);
  });

  test('fails on invalid JSON text', () => {
    expect(() => parseCniConfig('{"cniVersion": "1.0.0",')).toThrow(/^CNI config: 'config' is not valid JSON: got "\{\\"cniVersion\\": \\"1\.0\.0\\","; fix the JSON syntax \(/);
  });

  test('fails on input that is not an object', () => {
    expect(() => parseCniConfig('[1]')).toThrow(/'config' must be a JSON object: got \[1\]; write a plugin object with "type" or a list with "plugins"/);
    expect(() => parseCniConfig('"x"')).toThrow(/'config' must be a JSON object: got "x"/);
  });
});

describe('lintCniConfig', () => {
  test('collects every problem with its full path', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', mode: 'l4', mtu: '1500', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.5/24' }]] } }] });
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => p.field).sort()).toEqual(['plugins[0].ipam.ranges[0][0].subnet', 'plugins[0].mode', 'plugins[0].mtu']);
  });

  test('a clean config has no errors', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [MACVLAN] });
    expect(errors(r)).toEqual([]);
    expect(r.config).toBeInstanceOf(CniConfig);
  });

  test('a long invalid text is cut in the message', () => {
    const r = lintCniConfig(`{${'"a": 1,'.repeat(30)}`);
    expect(r.problems).toHaveLength(1);
    expect(String(r.problems[0].value)).toHaveLength(80);
    expect(String(r.problems[0].value)).toMatch(/\.\.\.$/);
  });

  test('a missing cniVersion is a warning, a bad one an error', () => {
    expect(warnings(lintCniConfig({ name: 'x', plugins: [MACVLAN] }))).toEqual([
      "'cniVersion' is missing, which the plugins read as 0.1.0: got nothing; declare cniVersion \"1.0.0\"",
    ]);
    expect(errors(lintCniConfig({ cniVersion: '1.0', name: 'x', plugins: [MACVLAN] }))).toContainEqual(
      "'cniVersion' is not a CNI specification version: got \"1.0\"; use one of 0.3.1, 0.4.0, 1.0.0, 1.1.0 (exact)");
    expect(errors(lintCniConfig({ cniVersion: 1, name: 'x', plugins: [MACVLAN] }))).toContainEqual(
      expect.stringMatching(/^'cniVersion' is not a CNI specification version: got 1; write the version as a JSON string/));
  });

  test('unknown list keys are errors', () => {
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [MACVLAN], plugin: [] })))
      .toEqual([expect.stringMatching(/^'plugin' is not a key of a plugin list: got \[\]; remove it; list keys are cniVersion, /)]);
  });

  test.each(['runtimeConfig', 'prevResult', 'cni.dev/attachment'])('the reserved key %s is an error', (key) => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ ...MACVLAN, [key]: {} }] });
    expect(errors(r)).toContainEqual(`'plugins[0].${key}' is reserved for the runtime: got {}; remove it: Multus and libcni inject it`);
  });

  test('cniVersion and name inside list plugins warn, and are not emitted', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ ...MACVLAN, cniVersion: '0.3.1', name: 'y' }] });
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      "'plugins[0].cniVersion' is overwritten by the list value: got \"0.3.1\"; remove it from the plugin; set it on the list",
      "'plugins[0].name' is overwritten by the list value: got \"y\"; remove it from the plugin; set it on the list",
    ]);
    expect(r.config!.toJson()).toEqual({ cniVersion: '1.0.0', name: 'x', plugins: [MACVLAN] });
  });

  test('unknown plugin types become unchecked plugins, emitted as given, with a warning', () => {
    const vendor = { type: 'ib-sriov', pkey: '0x8001', link_state: 'enable', capabilities: { infinibandGUID: true } };
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'ib', plugins: [vendor, { type: 'tuning', sysctl: { 'net.core.somaxconn': '500' } }] });
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      "'plugins[0].type' is not a plugin the library knows; its fields are NOT CHECKED: got \"ib-sriov\"; check it by hand, or use a known plugin",
    ]);
    const plugin = r.config!.plugins[0];
    expect(plugin).toBeInstanceOf(UncheckedPlugin);
    expect(plugin.unchecked).toBe(true);
    expect(r.config!.toJson().plugins).toEqual([vendor, { type: 'tuning', sysctl: { 'net.core.somaxconn': '500' } }]);
  });

  test('unchecked plugins in a list lose a stray cniVersion/name, single configs keep the header', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'vendor', cniVersion: '0.3.1', foo: 1 }] });
    expect(r.config!.toJson().plugins).toEqual([{ type: 'vendor', foo: 1 }]);
    const single = parseCniConfig({ cniVersion: '1.0.0', name: 's', type: 'vendor', foo: 1 });
    expect(single.format).toBe(ConfigFormat.SINGLE);
    expect(single.toJson()).toEqual({ cniVersion: '1.0.0', name: 's', type: 'vendor', foo: 1 });
  });

  test('allowUnknownPlugins: false makes an unknown type an error', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'ib-sriov' }] }, { allowUnknownPlugins: false });
    expect(r.config).toBeUndefined();
    expect(errors(r)).toEqual([expect.stringMatching(/^'plugins\[0\]\.type' is not a plugin the library knows: got "ib-sriov"; use one of .*\bbridge\b.*\bmacvlan\b/)]);
  });

  test('an unknown IPAM becomes an unchecked IPAM, with a warning', () => {
    const ipam = { type: 'acme-ipam', poolName: 'pool1' };
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', master: 'eth1', ipam }] });
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.type' is not an IPAM the library knows; its fields are NOT CHECKED: got "acme-ipam"; /)]);
    expect(r.config!.main.ipam).toBeInstanceOf(UncheckedIpam);
    expect(r.config!.toJson().plugins).toEqual([{ type: 'macvlan', master: 'eth1', ipam }]);
  });

  test('`ipam: {}` means layer 2: no IPAM', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', master: 'eth1', ipam: {} }] });
    expect(errors(r)).toEqual([]);
    expect(r.config!.main.ipam).toBeUndefined();
    expect(r.config!.toJson().plugins).toEqual([{ type: 'macvlan', master: 'eth1' }]);
  });

  test('an IPAM without type or not an object is an error', () => {
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', master: 'eth1', ipam: { subnet: '10.0.0.0/24' } }] })))
      .toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.type' is missing: got nothing; name the IPAM binary/)]);
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', master: 'eth1', ipam: 'host-local' }] })))
      .toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam' must be an IPAM object: got "host-local"/)]);
  });

  test('capabilities are parsed from an object of booleans', () => {
    const ok = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ ...MACVLAN, capabilities: { mac: true, ips: false } }] });
    expect(errors(ok)).toEqual([]);
    expect(ok.config!.main.capabilities).toEqual(['mac']);
    const bad = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ ...MACVLAN, capabilities: { mac: 'yes', macs: true } }] });
    expect(errors(bad)).toEqual([
      "'plugins[0].capabilities.mac' must be true or false: got \"yes\"; write a JSON boolean",
      expect.stringMatching(/^'plugins\[0\]\.capabilities\.macs' is not a capability Multus passes: got true; use one of ips, mac, /),
    ]);
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ ...MACVLAN, capabilities: ['mac'] }] })))
      .toEqual(["'plugins[0].capabilities' must be an object of booleans: got [\"mac\"]; write {\"ips\": true, ...}"]);
  });

  test('a capability the plugin does not read is an error', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', master: 'eth1', capabilities: { portMappings: true } }] });
    expect(errors(r)).toEqual([expect.stringMatching(/^'plugins\[0\]\.capabilities\.portMappings' is not read by macvlan, so Multus would drop the per-pod value: got true; chain a portmap plugin/)]);
  });

  test('loadOnlyInlinedPlugins is refused', () => {
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', loadOnlyInlinedPlugins: true, plugins: [MACVLAN] })))
      .toEqual(["'loadOnlyInlinedPlugins' is not supported by the library: got true; remove it (Multus inlines plugins from spec.config anyway)"]);
  });

  test('disableCheck must be a boolean', () => {
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', disableCheck: 'true', plugins: [MACVLAN] })))
      .toEqual(["'disableCheck' must be true or false: got \"true\"; write a JSON boolean"]);
  });

  test('a plugin that is not an object, or has no type', () => {
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [MACVLAN, 'tuning', { master: 'eth1' }] }))).toEqual([
      expect.stringMatching(/^'plugins\[1\]' must be a plugin object: got "tuning"/),
      expect.stringMatching(/^'plugins\[2\]\.type' is missing: got nothing; name the plugin binary/),
    ]);
  });

  test('an unknown key of a known plugin is an error with the known fields', () => {
    expect(errors(lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ ...MACVLAN, Mode: 'bridge' }] })))
      .toEqual([expect.stringMatching(/^'plugins\[0\]\.Mode' is not a field of macvlan \(containernetworking-plugins\): got "bridge"; write it as 'mode'/)]);
  });
});

describe('keys written where they have an effect', () => {
  test('a config without cniVersion keeps none when written back (libcni reads it as 0.1.0), with the lint warning', () => {
    const warning = "'cniVersion' is missing, which the plugins read as 0.1.0: got nothing; declare cniVersion \"1.0.0\"";
    const list = { name: 'nover', plugins: [MACVLAN] };
    const r = lintCniConfig(list);
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([warning]);
    expect(r.config!.declaresCniVersion).toBe(false);
    expect(r.config!.toJson()).toEqual(list);
    expect(JSON.parse(parseCniConfig(JSON.stringify(list)).toString())).toEqual(list);
    // the single-plugin form too, and CniConfig.fromJson is the same parser
    const single = { name: 'one', ...MACVLAN };
    expect(warnings(lintCniConfig(single))).toEqual([warning]);
    expect(CniConfig.fromJson(single).toJson()).toEqual(single);
    // CHECK does not exist at 0.1.0: no disableCheck default is written (a declared 1.0.0 layer-2 bridge gets one)
    const bridge = { type: 'bridge', bridge: 'br-l2' };
    expect(parseCniConfig({ name: 'l2', plugins: [bridge] }).toJson()).toEqual({ name: 'l2', plugins: [bridge] });
    expect(parseCniConfig({ cniVersion: '1.0.0', name: 'l2', plugins: [bridge] }).toJson()).toEqual({ cniVersion: '1.0.0', name: 'l2', disableCheck: true, plugins: [bridge] });
    // a declared version, and configs the constructs build, keep writing theirs
    expect(parseCniConfig({ cniVersion: '0.4.0', ...single }).toJson().cniVersion).toBe('0.4.0');
    const built = CniConfig.list([new MacvlanPlugin({ master: 'eth1' })], { name: 'b' });
    expect(built.declaresCniVersion).toBe(true);
    expect(built.toJson().cniVersion).toBe('1.0.0');
  });

  test('list keys in a single-plugin config have no effect: a warning each, and they are not written back', () => {
    const r = lintCniConfig({ cniVersion: '1.0.0', name: 'one', ...MACVLAN, disableCheck: true, disableGC: false, cniVersions: ['1.0.0'] });
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      "'cniVersions' has no effect in a single-plugin config: libcni reads it only in plugin lists: got [\"1.0.0\"]; remove it, or write the config as a plugin list",
      "'disableCheck' has no effect in a single-plugin config: libcni reads it only in plugin lists: got true; remove it, or write the config as a plugin list",
      "'disableGC' has no effect in a single-plugin config: libcni reads it only in plugin lists: got false; remove it, or write the config as a plugin list",
    ]);
    expect(r.config!.toJson()).toEqual({ cniVersion: '1.0.0', name: 'one', ...MACVLAN });
  });

  test('disableCheck of a 0.3.1 list is kept as written (reproduction), with a warning that it has no effect', () => {
    const json = { cniVersion: '0.3.1', name: 'old', disableCheck: true, plugins: [MACVLAN] };
    const r = lintCniConfig(json);
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      "'disableCheck' has no effect with cniVersion 0.3.1: CHECK exists from 0.4.0 on, and libcni refuses it before whatever the list says: got true; remove it, or declare cniVersion 0.4.0 or newer",
    ]);
    expect(r.config!.toJson()).toEqual(json);
    // and a 0.3.1 list without it gets none written
    expect(parseCniConfig({ cniVersion: '0.3.1', name: 'old', plugins: [MACVLAN] }).toJson()).toEqual({ cniVersion: '0.3.1', name: 'old', plugins: [MACVLAN] });
  });
});
