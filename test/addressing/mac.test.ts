import { canonicalMac, isInfinibandGuid, isLocallyAdministeredMac, isMac, isMulticastMac } from '../../lib/addressing/mac';

describe('MAC addresses', () => {
  // cni-plugins.md §4 case 15
  test('isMac accepts six colon-separated hex pairs only', () => {
    for (const good of ['02:00:00:00:00:01', 'c2:11:22:33:44:55', 'C2:11:22:33:44:AA']) expect(isMac(good)).toBe(true);
    for (const bad of ['zz:11', 'zz:11:22:33:44:55', '02-00-00-00-00-01', '0200.0000.0001', '02:00:00:00:00', '02:00:00:00:00:01:02', '2:0:0:0:0:1', '', 5, undefined]) {
      expect(isMac(bad)).toBe(false);
    }
  });

  test('multicast and locally administered bits of the first octet', () => {
    expect(isMulticastMac('01:00:5e:00:00:01')).toBe(true);
    expect(isMulticastMac('ff:ff:ff:ff:ff:ff')).toBe(true);
    expect(isMulticastMac('02:00:00:00:00:01')).toBe(false);
    expect(isLocallyAdministeredMac('02:00:00:00:00:01')).toBe(true);
    expect(isLocallyAdministeredMac('c2:11:22:33:44:55')).toBe(true);
    expect(isLocallyAdministeredMac('00:1b:21:00:00:01')).toBe(false);
  });

  test('canonical form is lower case', () => {
    expect(canonicalMac('C2:11:22:33:44:AA')).toBe('c2:11:22:33:44:aa');
  });

  test('InfiniBand GUIDs have eight pairs', () => {
    expect(isInfinibandGuid('c2:11:22:33:44:55:66:77')).toBe(true);
    expect(isInfinibandGuid('c2:11:22:33:44:55')).toBe(false);
    expect(isInfinibandGuid('c2:11:22:33:44:55:66:zz')).toBe(false);
  });
});
