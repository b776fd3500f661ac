import { CniConfigList } from '../../lib/cli/dataplane';
import { confineConfig } from '../../lib/cli/verify/confine';

/** What verify lets a config do: checked link names, MACs, MTUs; refused paths and firewalld. */

const list = (...plugins: object[]): CniConfigList => ({ cniVersion: '1.0.0', name: 'n', plugins: plugins as CniConfigList['plugins'] });

describe('confineConfig', () => {
  test('collects the uplinks and bridges a list needs, with the fields that named them, and the largest MTU', () => {
    const c = confineConfig(list(
      { type: 'macvlan', master: 'eth1', mtu: 9000 },
      { type: 'bridge', bridge: 'br-x' },
      { type: 'host-device', hwaddr: '02:AB:00:00:00:01' },
      { type: 'macvlan' },
      { type: 'ipvlan' },
    ), false);
    expect(c).toEqual({
      kind: 'ok',
      list: expect.objectContaining({ name: 'n' }),
      uplinks: [
        { name: 'eth1', field: 'spec.config.plugins[0].master' },
        { name: 'hostdev2', field: 'spec.config.plugins[2].hwaddr', mac: '02:ab:00:00:00:01' },
        { name: 'eth0', field: 'spec.config.plugins[3].master', defaultRoute: true },
        // an ipvlan after the first plugin uses the interface the chain made: no uplink
      ],
      bridges: [{ name: 'br-x', field: 'spec.config.plugins[1].bridge' }],
      mtu: 9000,
    });
  });

  test('a bridge without a name is cni0; a single config names fields spec.config.<key>', () => {
    expect(confineConfig(list({ type: 'bridge' }), true)).toMatchObject({ kind: 'ok', bridges: [{ name: 'cni0', field: 'spec.config.bridge' }] });
  });

  test.each(['../../../../etc/cni', 'a/b', '.hidden', 'x y', 'n\nm', ''])('a network name libcni refuses (%j) fails before anything runs: host-local would keep its reservations under it', (name) => {
    expect(confineConfig({ ...list({ type: 'bridge', ipam: { type: 'host-local' } }), name }, false)).toEqual({
      kind: 'failed',
      reason: `'spec.config.name' is not a network name libcni accepts: got ${JSON.stringify(name)}; use letters, digits, '_', '.', '-' (libcni refuses the ADD: invalid characters found in network name)`,
    });
  });

  test('the field base names where the config is (a DRA claim\'s opaque parameters)', () => {
    const base = 'spec.spec.devices.config[0].opaque.parameters.config';
    expect(confineConfig(list({ type: 'macvlan', master: 'eth1' }), false, base)).toMatchObject({ kind: 'ok', uplinks: [{ name: 'eth1', field: `${base}.plugins[0].master` }] });
    expect(confineConfig({ ...list({ type: 'bridge' }), name: 'a/b' }, false, base)).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^'spec\.spec\.devices\.config\[0\]\.opaque\.parameters\.config\.name' is not a network name/) });
    expect(confineConfig({ ...list({ type: 'bridge' }), name: 'n4_a.b-1' }, false).kind).toBe('ok');
  });

  test('dataDir is not refused (it is moved into the run when the plugin runs)', () => {
    expect(confineConfig(list({ type: 'bridge', ipam: { type: 'host-local', dataDir: '/etc' } }, { type: 'tuning', dataDir: '/root' }), false).kind).toBe('ok');
  });

  test('the firewall plugin without a backend runs with iptables (it would ask the host\'s D-Bus otherwise); firewalld is refused', () => {
    const c = confineConfig(list({ type: 'firewall' }), true);
    expect(c.kind === 'ok' && c.list.plugins[0].backend).toBe('iptables');
    expect(confineConfig(list({ type: 'firewall', backend: 'firewalld' }), true)).toEqual({
      kind: 'not-emulated',
      reason: '\'spec.config.backend\' talks to firewalld on the host\'s D-Bus: got "firewalld"; verify runs the iptables backend only',
    });
  });

  test.each([
    ['logFile', { type: 'macvlan', master: 'eth1', logFile: 'x.log' }, 'spec.config.logFile', '"x.log"'],
    ['socketPath', { type: 'bridge', ipam: { type: 'x', socketPath: 's' } }, 'spec.config.ipam.socketPath', '"s"'],
    ['an absolute path in a list', { type: 'bridge', a: [1, '/etc/passwd'] }, 'spec.config.a[1]', '"/etc/passwd"'],
    ['a home path', { type: 'bridge', a: '~/x' }, 'spec.config.a', '"~/x"'],
  ])('path options are not emulated: %s', (_, p, field, got) => {
    expect(confineConfig(list(p), true)).toEqual({
      kind: 'not-emulated',
      reason: `'${field}' is a path on the node: got ${got}; verify keeps every file inside its run and does not emulate path options`,
    });
  });

  test('pods\' cni-args (args) are data, not options: not searched for paths', () => {
    expect(confineConfig(list({ type: 'bridge', args: { cni: { file: '/etc/x' } } }), true).kind).toBe('ok');
  });

  test.each([
    [{ type: 'macvlan', master: 'eth1\nlink del x' }, '\'spec.config.master\' is not a valid link name: got "eth1\\nlink del x"; use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]'],
    [{ type: 'bond', links: [{ name: 'ok0' }, { name: 'a b' }] }, '\'spec.config.links[1].name\' is not a valid link name: got "a b"; use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]'],
    [{ type: 'bridge', mtu: 70000 }, '\'spec.config.mtu\' is not an MTU from 68 to 65535: got 70000; write a whole number of bytes, e.g. 1500 or 9000'],
    [{ type: 'tuning', sysctl: { 'kernel.panic': '1' } }, '\'spec.config.sysctl\' is not a network sysctl: got "kernel.panic"; name a net.* sysctl of the pod namespace, e.g. net.ipv4.conf.IFNAME.arp_notify'],
  ])('refuses %j with the field named', (p, reason) => {
    expect(confineConfig(list(p), true)).toEqual({ kind: 'failed', reason });
  });

  test('does not change the list it was given', () => {
    const l = list({ type: 'firewall' });
    confineConfig(l, true);
    expect(l.plugins[0]).toEqual({ type: 'firewall' });
  });
});
