import {
  CheckPhase, FieldType, SHAPE, anyJson, arrayOf, bool, checkFields, cidr, field, fieldsFromJson, fieldsToJson, freeObject, ifname,
  int, interfaceNameProblem, ip, mac, mapOf, objectOf, oneOf, str,
} from '../../lib/cni/field';
import { formatProblem, ProblemSink, Severity } from '../../lib/cni/problem';
import { PluginProject, PluginsProfile } from '../../lib/cni/profile';

/** The rendered problems of checking one value at field 'f'. */
function check(type: FieldType, value: unknown, phase: CheckPhase = SHAPE): string[] {
  const sink = new ProblemSink();
  type.check(value, 'f', sink, phase);
  return sink.problems.map(formatProblem);
}

const DEBIAN: CheckPhase = { kind: 'profile', profile: PluginsProfile.DEBIAN_1_1_1, project: PluginProject.CNI_PLUGINS };
const UPSTREAM: CheckPhase = { kind: 'profile', profile: PluginsProfile.UPSTREAM, project: PluginProject.CNI_PLUGINS };

describe('field types', () => {
  test('str: non-empty by default, empty when allowed, patterns', () => {
    expect(check(str(), 'a')).toEqual([]);
    expect(check(str(), '')).toEqual(["'f' must be a non-empty string: got \"\"; write a non-empty string"]);
    expect(check(str(), 5)).toEqual(["'f' must be a non-empty string: got 5; write a non-empty string"]);
    expect(check(str({ allowEmpty: true }), '')).toEqual([]);
    const t = str({ pattern: /^[a-z]+$/, patternText: 'lowercase letters' });
    expect(check(t, 'abc')).toEqual([]);
    expect(check(t, 'aB')).toEqual(["'f' must be a string matching lowercase letters: got \"aB\"; write a string matching lowercase letters"]);
  });

  test('bool: JSON booleans only', () => {
    expect(check(bool(), false)).toEqual([]);
    expect(check(bool(), 'true')).toEqual(["'f' must be true or false: got \"true\"; write a JSON boolean, not a string"]);
  });

  test('int: integers in range, with the range in the message', () => {
    const t = int({ min: 68, max: 65535 });
    expect(check(t, 68)).toEqual([]);
    expect(check(t, 65535)).toEqual([]);
    expect(check(t, 67)).toEqual(["'f' must be an integer from 68 to 65535: got 67; write an integer from 68 to 65535 as a JSON number"]);
    expect(check(t, 1500.5)).toHaveLength(1);
    expect(check(t, '1500')).toEqual([expect.stringMatching(/^'f' must be an integer from 68 to 65535: got "1500"; /)]);
    expect(check(int({ min: 0, unit: 'Mbps' }), -1)).toEqual(["'f' must be an integer of at least 0 Mbps: got -1; write an integer of at least 0 Mbps as a JSON number"]);
    expect(check(int({ max: 7 }), 8)).toEqual([expect.stringMatching(/must be an integer of at most 7: got 8/)]);
    expect(check(int(), 1.5)).toEqual([expect.stringMatching(/must be an integer: got 1\.5/)]);
    expect(check(int({ fix: 'use 1 to 3' }), 'x')).toEqual([expect.stringMatching(/; use 1 to 3$/)]);
  });

  test('oneOf: exact values, listed with the enum name', () => {
    enum Color { RED = 'red', BLUE = 'blue' }
    expect(check(oneOf(Color, 'Color'), 'red')).toEqual([]);
    expect(check(oneOf(Color, 'Color'), 'Red')).toEqual(["'f' must be one of \"red\", \"blue\": got \"Red\"; use a Color value: one of \"red\", \"blue\" (exact case)"]);
    expect(check(oneOf(['a', 'b']), 'c')).toEqual([expect.stringMatching(/; use one of "a", "b" \(exact case\)$/)]);
  });

  test('ifname: Linux interface name rules', () => {
    expect(check(ifname(), 'eth0')).toEqual([]);
    expect(check(ifname(), '')).toEqual([expect.stringMatching(/^'f' must be an interface name: got ""; write an interface name such as eth1$/)]);
    expect(check(ifname(), 'a'.repeat(16))).toEqual([expect.stringMatching(/^'f' is longer than 15 characters \(16\): got "a{16}"; shorten it/)]);
    expect(check(ifname(), 'a'.repeat(15))).toEqual([]);
    expect(check(ifname(), 'eth0:1')).toEqual([expect.stringMatching(/^'f' contains '\/', ':' or whitespace/)]);
    expect(check(ifname(), '..')).toEqual([expect.stringMatching(/^'f' is not a valid interface name: got "\.\."; /)]);
    expect(interfaceNameProblem('net 1')?.message).toMatch(/whitespace/);
    expect(interfaceNameProblem('net1')).toBeUndefined();
  });

  test('mac: unicast MACs in colon notation', () => {
    expect(check(mac(), '02:00:00:00:00:01')).toEqual([]);
    expect(check(mac(), '02-00-00-00-00-01')).toEqual([expect.stringMatching(/^'f' must be a MAC address such as 02:00:00:00:00:01: got "02-00-00-00-00-01"; write six colon-separated hex pairs$/)]);
    expect(check(mac(), '01:00:5e:00:00:01')).toEqual([expect.stringMatching(/^'f' is a multicast MAC address: got "01:00:5e:00:00:01"; clear bit 0/)]);
  });

  test('ip and cidr', () => {
    expect(check(ip(), '10.1.0.1')).toEqual([]);
    expect(check(ip(), '2001:db8::1')).toEqual([]);
    expect(check(ip(), '10.1.0.256')).toEqual([expect.stringMatching(/^'f' must be an IP address: got "10\.1\.0\.256"; /)]);
    expect(check(cidr(), '10.1.0.5/24')).toEqual([]);
    expect(check(cidr(), '10.1.0.5')).toEqual([expect.stringMatching(/^'f' must be a prefix in CIDR notation: got "10\.1\.0\.5"; write address\/length/)]);
    expect(check(cidr({ network: true }), '10.1.0.5/24')).toEqual(["'f' has host bits set: got \"10.1.0.5/24\"; use the network address 10.1.0.0/24"]);
    expect(check(cidr({ network: true }), '10.1.0.0/24')).toEqual([]);
  });

  test('freeObject and anyJson', () => {
    expect(check(freeObject(), { a: 1 })).toEqual([]);
    expect(check(freeObject(), [])).toEqual([expect.stringMatching(/^'f' must be a JSON object: got \[\]; write a JSON object$/)]);
    expect(check(anyJson(), Symbol.for('x') as unknown)).toEqual([]);
  });

  test('simple types are not checked in the profile phase', () => {
    expect(check(int({ min: 1 }), 0, UPSTREAM)).toEqual([]);
  });
});

describe('arrayOf', () => {
  test('checks each item under [i]', () => {
    expect(check(arrayOf(ip()), ['10.0.0.1', 'x', '10.0.0.3', 'y'])).toEqual([
      expect.stringMatching(/^'f\[1\]' must be an IP address: got "x"/),
      expect.stringMatching(/^'f\[3\]' must be an IP address: got "y"/),
    ]);
  });

  test('not a list', () => {
    expect(check(arrayOf(ip()), '10.0.0.1')).toEqual(["'f' must be a list of an IP address: got \"10.0.0.1\"; write a JSON array"]);
  });

  test('minItems and maxItems', () => {
    expect(check(arrayOf(str(), { minItems: 1 }), [])).toEqual(["'f' needs at least 1 item: got []; add an item or leave the field out"]);
    expect(check(arrayOf(str(), { minItems: 2 }), ['a'])).toEqual(["'f' needs at least 2 items: got [\"a\"]; add items or leave the field out"]);
    expect(check(arrayOf(str(), { minItems: 1 }), ['a'])).toEqual([]);
    expect(check(arrayOf(str(), { maxItems: 1 }), ['a', 'b'])).toEqual(["'f' has more than 1 items: got [\"a\",\"b\"]; keep at most 1"]);
  });

  test('toJson and fromJson map the items', () => {
    const t = arrayOf(objectOf({ dst: field('dst', str()) }));
    expect(t.toJson([{ dst: 'a' }])).toEqual([{ dst: 'a' }]);
    const sink = new ProblemSink();
    expect(t.fromJson([{ dst: 'a' }, { dts: 'b' }], 'routes', sink)).toEqual([{ dst: 'a' }, {}]);
    expect(sink.problems.map((p) => p.field)).toEqual(['routes[1].dts']);
  });
});

describe('mapOf', () => {
  test('checks each value under its key', () => {
    expect(check(mapOf(int({ min: 0 })), { a: 1, b: -1 })).toEqual([expect.stringMatching(/^'f\.b' must be an integer of at least 0: got -1/)]);
    expect(check(mapOf(int()), [1])).toEqual(["'f' must be an object of an integer: got [1]; write a JSON object"]);
  });

  test('toJson and fromJson keep the keys', () => {
    const t = mapOf(objectOf({ v: field('val', int()) }));
    expect(t.toJson({ a: { v: 1 } })).toEqual({ a: { val: 1 } });
    expect(t.fromJson({ a: { val: 1 } }, 'm', new ProblemSink())).toEqual({ a: { v: 1 } });
  });
});

describe('objectOf', () => {
  const inner = objectOf({ vlanId: field('vlan', int({ min: 0, max: 4094 })) }, { description: 'a trunk' });
  const outer = objectOf({
    trunk: field('trunk', arrayOf(inner)),
    name: field('name', str(), { required: 'name it' }),
  }, {
    check(v, sink) {
      if (v.name === 'bad') sink.error('name', 'is bad', v.name, 'pick another');
    },
  });

  test('nested paths use the wire keys', () => {
    expect(check(outer, { name: 'n', trunk: [{ vlanId: 1 }, { vlanId: 5000 }] }))
      .toEqual([expect.stringMatching(/^'f\.trunk\[1\]\.vlan' must be an integer from 0 to 4094: got 5000/)]);
  });

  test('required fields and the cross-field check', () => {
    expect(check(outer, {})).toEqual(["'f.name' is required: got nothing; name it"]);
    expect(check(outer, { name: 'bad' })).toEqual(["'f.name' is bad: got \"bad\"; pick another"]);
    expect(check(outer, 'x')).toEqual(["'f' must be an object: got \"x\"; write a JSON object"]);
    expect(check(outer, [{ vlanId: 1 }])).toHaveLength(1);
  });

  test('writes wire keys in table order, reads them back to props', () => {
    expect(JSON.stringify(outer.toJson({ name: 'n', trunk: [{ vlanId: 7 }] }))).toBe('{"trunk":[{"vlan":7}],"name":"n"}');
    const sink = new ProblemSink();
    expect(outer.fromJson({ name: 'n', trunk: [{ vlan: 7 }] }, 'f', sink)).toEqual({ name: 'n', trunk: [{ vlanId: 7 }] });
    expect(sink.problems).toEqual([]);
    outer.fromJson({ trunk: [{ VLAN: 7 }] }, 'f', sink);
    expect(sink.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^'f\.trunk\[0\]\.VLAN' is not a field of a trunk: got 7; write it as 'vlan'/),
    ]);
  });
});

describe('field tables', () => {
  const FIELDS = {
    master: field('master', ifname()),
    linkInContainer: field('linkInContainer', bool(), { since: '1.3.0' }),
    bcqueuelen: field('bcqueuelen', int({ min: 0 }), { since: '1.6.0' }),
  };

  test('since gates fields in the profile phase only', () => {
    const sink = new ProblemSink();
    checkFields(FIELDS, { master: 'eth0', linkInContainer: true, bcqueuelen: 100 }, sink, DEBIAN);
    expect(sink.problems.map(formatProblem)).toEqual([
      "'linkInContainer' is not read by containernetworking-plugins 1.1.1, which would silently ignore it: got true; remove it, or target containernetworking-plugins 1.3.0 or later in the plugins profile",
      "'bcqueuelen' is not read by containernetworking-plugins 1.1.1, which would silently ignore it: got 100; remove it, or target containernetworking-plugins 1.6.0 or later in the plugins profile",
    ]);
    const up = new ProblemSink();
    checkFields(FIELDS, { master: 'eth0', linkInContainer: true, bcqueuelen: 100 }, up, UPSTREAM);
    expect(up.problems).toEqual([]);
    const shape = new ProblemSink();
    checkFields(FIELDS, { linkInContainer: true, bcqueuelen: 100 }, shape, SHAPE);
    expect(shape.problems).toEqual([]);
  });

  test('a project not installed names "(not installed)"', () => {
    const sink = new ProblemSink();
    checkFields(FIELDS, { bcqueuelen: 1 }, sink, { kind: 'profile', profile: PluginsProfile.custom({ name: 'bare', cniPlugins: '1.9.1' }), project: PluginProject.SRIOV_CNI });
    expect(formatProblem(sink.problems[0])).toMatch(/^'bcqueuelen' is not read by sriov-cni \(not installed\), which/);
  });

  test('fieldsToJson leaves out undefined values and keeps table order', () => {
    expect(JSON.stringify(fieldsToJson(FIELDS, { bcqueuelen: 5, master: 'eth0', linkInContainer: undefined }))).toBe('{"master":"eth0","bcqueuelen":5}');
  });

  test('fieldsFromJson reads props, skips listed keys, reports unknown keys', () => {
    const sink = new ProblemSink('plugins[0]');
    const props = fieldsFromJson(FIELDS, { type: 'macvlan', master: 'eth0', bogus: 1 }, sink, 'macvlan (containernetworking-plugins)', ['type']);
    expect(props).toEqual({ master: 'eth0' });
    expect(sink.problems).toEqual([{
      field: 'plugins[0].bogus', message: 'is not a field of macvlan (containernetworking-plugins)', value: 1,
      fix: "remove it; the known fields are 'master', 'linkInContainer', 'bcqueuelen'", severity: Severity.ERROR,
    }]);
  });

  test('fieldsFromJson: a key in the wrong case gets a "write it as" fix', () => {
    const sink = new ProblemSink();
    fieldsFromJson(FIELDS, { Master: 'eth0', linkincontainer: true }, sink, 'macvlan');
    expect(sink.problems.map(formatProblem)).toEqual([
      "'Master' is not a field of macvlan: got \"eth0\"; write it as 'master' (the plugins match keys case-insensitively, but the library only accepts the canonical spelling)",
      expect.stringMatching(/^'linkincontainer' is not a field of macvlan: got true; write it as 'linkInContainer'/),
    ]);
  });

  test('fieldsFromJson on an empty table says none are known', () => {
    const sink = new ProblemSink();
    fieldsFromJson({}, { x: 1 }, sink, 'loopback');
    expect(sink.problems[0].fix).toBe('remove it; the known fields are none');
  });
});
