import {
  AddressingMode, CniConfig, DhcpIpam, DhcpOption, HostLocalIpam, MacvlanPlugin, PluginsProfile, parseCniConfig,
} from '../../../lib';
import { poolCapacity } from '../../../lib/cni/ipam';
import { errorsOf, lintIpam } from './helpers';

describe('DhcpIpam', () => {
  test('writes only what is given, option numbers as strings', () => {
    expect(new DhcpIpam().toJson()).toEqual({ type: 'dhcp' });
    expect(new DhcpIpam({
      priority: 100,
      provide: [{ option: DhcpOption.HOST_NAME, fromArg: 'K8S_POD_NAME' }, { option: 60, value: 'nfv' }],
      request: [{ option: DhcpOption.ROUTERS, skipDefault: true }, { option: '121' }],
      daemonSocketPath: '/run/cni/dhcp.sock',
    }).toJson()).toEqual({
      type: 'dhcp',
      daemonSocketPath: '/run/cni/dhcp.sock',
      request: [{ option: 'routers', skipDefault: true }, { option: '121' }],
      provide: [{ option: 'host-name', fromArg: 'K8S_POD_NAME' }, { option: '60', value: 'nfv' }],
      priority: 100,
    });
  });

  test('round-trips through parseCniConfig inside a macvlan list', () => {
    const ipam = new DhcpIpam({
      request: [{ option: DhcpOption.SUBNET_MASK }, { option: '42', skipDefault: false }],
      provide: [{ option: DhcpOption.CLIENT_IDENTIFIER, value: 'pod-a' }],
      daemonSocketPath: '/run/cni/dhcp.sock',
    });
    const json = CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })], { name: 'net1' }).toJson();
    const back = parseCniConfig(JSON.stringify(json));
    expect(back.toJson()).toEqual(json);
    expect(back.main.ipam).toBeInstanceOf(DhcpIpam);
  });

  // cni-plugins.md §4 case 79
  test('needs the dhcp daemon on every node', () => {
    const ipam = new DhcpIpam();
    expect(ipam.requiresDaemon).toBe(true);
    expect(ipam.daemonSocketPath).toBe('/run/cni/dhcp.sock');
    expect(new DhcpIpam({ daemonSocketPath: '/var/run/dhcp.sock' }).daemonSocketPath).toBe('/var/run/dhcp.sock');
    expect(HostLocalIpam.subnet('10.1.0.0/24').requiresDaemon).toBe(false);
  });

  test('addressing is DHCP, with no pool and no capacity', () => {
    const a = new DhcpIpam().addressing();
    expect(a.mode).toBe(AddressingMode.DHCP);
    expect(a.pools).toEqual([]);
    expect(poolCapacity(a)).toBeUndefined();
  });

  test('fails on priority on Debian 1.1.1, which ignores it', () => {
    const ipam = new DhcpIpam({ priority: 10 });
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })], { profile: PluginsProfile.DEBIAN_1_1_1 }))
      .toThrow(/'plugins\[0\]\.ipam\.priority' is not read by containernetworking-plugins 1\.1\.1, which would silently ignore it: got 10; remove it, or target containernetworking-plugins 1\.6\.0 or later/);
    expect(() => CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam })], { profile: PluginsProfile.UPSTREAM })).not.toThrow();
    expect(errorsOf(lintIpam({ type: 'dhcp' }, { profile: PluginsProfile.DEBIAN_1_1_1 }))).toEqual([]);
  });

  test('fails on an unknown option name or a number beyond 255', () => {
    for (const option of ['Routers', 'gateway', '256', 300, -1, 1.5]) {
      expect(() => new DhcpIpam({ request: [{ option }] })).toThrow(/'request\[0\]\.option' must be an option name \(dhcp-client-identifier, subnet-mask, routers, host-name, user-class, vendor-class-identifier\) or number from 0 to 255: got .*; use a DhcpOption name/);
    }
  });

  test('fails on a provided value longer than 255 bytes', () => {
    expect(() => new DhcpIpam({ provide: [{ option: DhcpOption.USER_CLASS, value: 'é'.repeat(128) }] }))
      .toThrow(/'provide\[0\]\.value' is longer than 255 bytes \(256\): got "é{128}"; shorten it/);
    expect(() => new DhcpIpam({ provide: [{ option: DhcpOption.USER_CLASS, value: 'x'.repeat(255) }] })).not.toThrow();
  });

  test('fails on a provided option with both value and fromArg, or neither', () => {
    expect(() => new DhcpIpam({ provide: [{ option: DhcpOption.HOST_NAME, value: 'a', fromArg: 'K8S_POD_NAME' }] }))
      .toThrow(/'provide\[0\]\.fromArg' is set together with 'value', and the plugin silently prefers it: got "K8S_POD_NAME"; keep either 'value' or 'fromArg'/);
    expect(() => new DhcpIpam({ provide: [{ option: DhcpOption.HOST_NAME }] }))
      .toThrow(/'provide\[0\]\.value' is missing, and so is 'fromArg': got nothing/);
  });

  test('fails on an option listed twice', () => {
    expect(() => new DhcpIpam({ request: [{ option: '3' }, { option: DhcpOption.SUBNET_MASK }, { option: 3 }] }))
      .toThrow(/'request\[2\]\.option' repeats request\[0\]: got 3; list each option once/);
  });

  test('fails on a relative daemonSocketPath and on a missing option', () => {
    expect(() => new DhcpIpam({ daemonSocketPath: 'dhcp.sock' })).toThrow(/'daemonSocketPath' must be a string matching an absolute path: got "dhcp\.sock"/);
    expect(errorsOf(lintIpam({ type: 'dhcp', request: [{ skipDefault: true }] })))
      .toEqual([expect.stringMatching(/^'plugins\[0\]\.ipam\.request\[0\]\.option' is required: got nothing; name the option/)]);
  });
});
