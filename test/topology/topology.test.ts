import { Cidr, IpAddress } from '../../lib/addressing/ip';
import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { WhereaboutsIpam } from '../../lib/cni/ipam/whereabouts';
import { Ipam } from '../../lib/cni/ipam';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { PortmapPlugin } from '../../lib/cni/plugins/portmap';
import { SriovPlugin } from '../../lib/cni/plugins/sriov';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { NetworkSelectionElement } from '../../lib/multus/selection-element';
import { Topology, TopologyNetwork, TopologyPod, checkTopology } from '../../lib/topology/topology';

const ALL_CAPS = [CniCapability.IPS, CniCapability.MAC];

/** A macvlan network with the given IPAM, declaring ips and mac. */
function macvlan(name: string, ipam?: Ipam, extra: Partial<TopologyNetwork> = {}, caps: CniCapability[] = ALL_CAPS): TopologyNetwork {
  return {
    name,
    namespace: 'core',
    config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam, capabilities: caps })]),
    path: `nads/${name}`,
    ...extra,
  };
}

function pod(name: string, attachments: NetworkSelectionElement[], extra: Partial<TopologyPod> = {}): TopologyPod {
  return { name, namespace: 'core', replicas: 1, attachments, path: `pods/${name}`, ...extra };
}

/** The rendered errors and warnings of a topology. */
function check(t: Topology): string[] {
  return checkTopology(t).map(formatProblem);
}

const DATA = () => macvlan('data', HostLocalIpam.subnet('10.1.0.0/24', { gateway: '10.1.0.1' }));

describe('checkTopology', () => {
  test('a coherent topology has no problems', () => {
    expect(check({
      networks: [DATA(), macvlan('mgmt', HostLocalIpam.subnet('192.168.50.0/24'))],
      pods: [
        pod('a', [{ name: 'data', interface: 'data0', ips: ['10.1.0.10/24'], 'default-route': ['10.1.0.1'] }, { name: 'mgmt' }]),
        pod('b', [{ name: 'data', namespace: 'core', ips: ['10.1.0.11/24'], mac: '02:00:00:00:00:11' }]),
        pod('pool', [{ name: 'data' }, { name: 'mgmt' }], { replicas: 5 }),
      ],
    })).toEqual([]);
  });

  describe('references', () => {
    test('fails when an attachment names no NAD of its namespace, and says how to fix it', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data' }], { namespace: 'tenant' })] })).toEqual([
        "[pods/a] 'attachments[0].name' does not resolve to a NetworkAttachmentDefinition of the App in namespace tenant: got \"data\"; "
        + 'create it in namespace tenant, give the attachment the namespace of the NAD, or declare it as an external network',
      ]);
    });

    test('an explicit namespace resolves across namespaces', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', namespace: 'core' }], { namespace: 'tenant' })] })).toEqual([]);
    });

    test('fails when the explicit namespace is wrong', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', namespace: 'other' }])] })).toEqual([
        expect.stringMatching(/^\[pods\/a\] 'attachments\[0\]\.name' does not resolve to a NetworkAttachmentDefinition of the App in namespace other: got "data"; create it in namespace other, or declare it as an external network$/),
      ]);
    });

    test('external networks resolve and are not checked further', () => {
      const ext: TopologyNetwork = { name: 'vendor-net', namespace: 'infra', external: true };
      expect(check({
        networks: [ext],
        // a static IP on 3 replicas would be an error on a known network
        pods: [pod('a', [{ name: 'vendor-net', namespace: 'infra', ips: ['10.9.9.9/24'] }], { replicas: 3 })],
      })).toEqual([]);
    });

    test('fails on NAD names that are not DNS-1123 labels', () => {
      expect(check({ networks: [macvlan('Data_Net', undefined, {}, [])], pods: [] })).toEqual([
        "[nads/Data_Net] 'metadata.name' is not a DNS-1123 label, so pods cannot select it: got \"Data_Net\"; use lowercase letters, digits and \"-\", at most 63 characters",
      ]);
    });

    test('fails on a NAD declared twice in one namespace; the same name in two namespaces is fine', () => {
      expect(check({ networks: [DATA(), { ...DATA(), path: 'nads/data-again' }], pods: [] })).toEqual([
        "[nads/data-again] 'metadata.name' is declared twice in namespace core: got \"data\"; give each NetworkAttachmentDefinition of a namespace its own name",
      ]);
      expect(check({ networks: [DATA(), { ...DATA(), namespace: 'edge' }], pods: [] })).toEqual([]);
    });

    test('checks each selection element as well', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', gateway: ['10.1.0.1'] } as unknown as NetworkSelectionElement])] })).toEqual([
        expect.stringMatching(/^\[pods\/a\] 'attachments\[0\]\.gateway' is not a NetworkSelectionElement key, so Multus ignores it: /),
      ]);
    });

    test('does not crash on malformed values from hand-written YAML', () => {
      const bad = [{ name: 'data', ips: '10.1.0.5/24', 'default-route': '10.1.0.1', mac: 5 }] as unknown as NetworkSelectionElement[];
      expect(check({ networks: [DATA()], pods: [pod('a', bad)] })).toEqual([
        expect.stringMatching(/'attachments\[0\]\.ips' must be a non-empty list of addresses/),
        expect.stringMatching(/'attachments\[0\]\.mac' is not a MAC address: got 5/),
        expect.stringMatching(/'attachments\[0\]\.default-route' must be a list of gateway addresses/),
      ]);
    });
  });

  describe('static addresses', () => {
    test('fails on an address outside the subnet', () => {
      const problems = check({ networks: [macvlan('data', new StaticIpam({}), { subnets: [Cidr.parse('10.1.0.0/24')] })], pods: [pod('a', [{ name: 'data', ips: ['10.2.0.5/24'] }])] });
      expect(problems).toEqual([
        "[pods/a] 'attachments[0].ips[0]' is outside the subnets of data (10.1.0.0/24): got \"10.2.0.5/24\"; pick an address inside the network's subnet",
      ]);
    });

    test('fails on the network, broadcast and gateway addresses', () => {
      const problems = check({
        networks: [DATA()],
        pods: [
          pod('net', [{ name: 'data', ips: ['10.1.0.0/24'] }]),
          pod('bcast', [{ name: 'data', ips: ['10.1.0.255/24'] }]),
          pod('gw', [{ name: 'data', ips: ['10.1.0.1/24'] }]),
        ],
      });
      expect(problems).toEqual([
        "[pods/net] 'attachments[0].ips[0]' is the network address of 10.1.0.0/24: got \"10.1.0.0/24\"; pick a host address",
        "[pods/bcast] 'attachments[0].ips[0]' is the broadcast address of 10.1.0.0/24: got \"10.1.0.255/24\"; pick a host address",
        "[pods/gw] 'attachments[0].ips[0]' is the gateway of data: got \"10.1.0.1/24\"; pick an address other than the gateway",
      ]);
    });

    test('the gateways of a logical network count too', () => {
      const net = macvlan('data', new StaticIpam({}), { subnets: [Cidr.parse('10.1.0.0/24')], gateways: [IpAddress.parse('10.1.0.254')] });
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'data', ips: ['10.1.0.254/24'] }])] })).toEqual([
        expect.stringMatching(/'attachments\[0\]\.ips\[0\]' is the gateway of data: got "10\.1\.0\.254\/24"/),
      ]);
    });

    test('a /31 has no network or broadcast address', () => {
      const net = macvlan('p2p', new StaticIpam({}), { subnets: [Cidr.parse('10.9.0.0/31')] });
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'p2p', ips: ['10.9.0.0/31'] }]), pod('b', [{ name: 'p2p', ips: ['10.9.0.1/31'] }])] })).toEqual([]);
    });

    test('fails on a prefix that differs from the subnet', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', ips: ['10.1.0.5/16'] }])] })).toEqual([
        "[pods/a] 'attachments[0].ips[0]' has prefix /16 but the subnet is 10.1.0.0/24: got \"10.1.0.5/16\"; write it as 10.1.0.5/24",
      ]);
    });

    test('a narrower prefix is a secondary address: a /32 on a /24 passes, a /28 too; only a wider one fails', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', ips: ['10.1.0.200/32'] }]), pod('b', [{ name: 'data', ips: ['10.1.0.17/28'] }])] })).toEqual([]);
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', ips: ['10.1.0.200/23'] }])] })).toEqual([
        "[pods/a] 'attachments[0].ips[0]' has prefix /23 but the subnet is 10.1.0.0/24: got \"10.1.0.200/23\"; write it as 10.1.0.200/24",
      ]);
    });

    test('fails on an address outside the host-local allocation range', () => {
      const net = macvlan('data', HostLocalIpam.subnet('10.1.0.0/24', { rangeStart: '10.1.0.100', rangeEnd: '10.1.0.199' }));
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'data', ips: ['10.1.0.50/24'] }])] })).toEqual([
        "[pods/a] 'attachments[0].ips[0]' is outside every allocation range of data, so host-local cannot hand it out: got \"10.1.0.50/24\"; pick an address between rangeStart and rangeEnd",
      ]);
    });

    test('fails on an address used twice on one network, naming the first owner', () => {
      expect(check({
        networks: [DATA()],
        pods: [pod('a', [{ name: 'data', interface: 'd0', ips: ['10.1.0.5/24'] }]), pod('b', [{ name: 'data', ips: ['10.1.0.5/24'] }])],
      })).toEqual([
        "[pods/b] 'attachments[0].ips[0]' is already used on data by pods/a (d0): got \"10.1.0.5/24\"; give every attachment of a network its own address",
      ]);
    });

    test('the same address on two networks is fine; on NADs of one address space or one segment it is not', () => {
      const a = macvlan('data', HostLocalIpam.subnet('10.1.0.0/24'));
      const b: TopologyNetwork = { ...macvlan('other', HostLocalIpam.subnet('10.1.0.0/24')), config: CniConfig.list([new MacvlanPlugin({ master: 'eth2', ipam: HostLocalIpam.subnet('10.1.0.0/24'), capabilities: ALL_CAPS })]) };
      const pods = [pod('a', [{ name: 'data', ips: ['10.1.0.5/24'] }]), pod('b', [{ name: 'other', ips: ['10.1.0.5/24'] }])];
      expect(check({ networks: [a, b], pods })).toEqual([]);
      // (their host-local stores differ too: the rule of host-local-stores.ts, tested below)
      expect(check({ networks: [{ ...a, addressSpace: 'lan' }, { ...b, addressSpace: 'lan' }], pods })).toEqual([
        expect.stringMatching(/^\[nads\/other\] 'ipam' overlaps the host-local range of core\/data on the same segment \(uplink eth1\)/),
        expect.stringMatching(/^\[pods\/b\] 'attachments\[0\]\.ips\[0\]' is already used on other by pods\/a \(net1\)/),
      ]);
      // the same uplink (eth1) under two NAD names: one wire (lib/topology/segment.ts), whatever the names
      const c = macvlan('copy', HostLocalIpam.subnet('10.1.0.0/24'));
      expect(check({ networks: [a, c], pods: [pods[0], pod('b', [{ name: 'copy', ips: ['10.1.0.5/24'] }])] })).toEqual([
        expect.stringMatching(/^\[nads\/copy\] 'ipam' overlaps the host-local range of core\/data on the same segment \(uplink eth1\)/),
        "[pods/b] 'attachments[0].ips[0]' is already used on copy by pods/a (net1): got \"10.1.0.5/24\"; give every attachment of a network its own address",
      ]);
    });

    test('an IPv6 subnet-router anycast address is a warning, as in static IPAM addresses (one rule)', () => {
      const net = macvlan('v6', HostLocalIpam.subnet('fd00:1::/64'));
      const problems = checkTopology({ networks: [net], pods: [pod('a', [{ name: 'v6', ips: ['fd00:1::/64'] }])] });
      expect(problems.map((p) => [p.severity, formatProblem(p)])).toEqual([[Severity.WARNING,
        "[pods/a] 'attachments[0].ips[0]' is the subnet-router anycast address of fd00:1::/64: got \"fd00:1::/64\"; pick a host address (from fd00:1::1 on)"]]);
    });

    test('IPv6 addresses are checked against an IPv6 subnet', () => {
      const net = macvlan('v6', HostLocalIpam.subnet('fd00:1::/64'));
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'v6', ips: ['fd00:1::10/64'] }]), pod('b', [{ name: 'v6', ips: ['fd00:2::10/64'] }])] })).toEqual([
        expect.stringMatching(/^\[pods\/b\] 'attachments\[0\]\.ips\[0\]' is outside the subnets of v6 \(fd00:1::\/64\): got "fd00:2::10\/64"/),
      ]);
    });
  });

  describe('replicas', () => {
    test('fails on a static address on a workload with more than one replica', () => {
      expect(check({ networks: [DATA()], pods: [pod('amf', [{ name: 'data', ips: ['10.1.0.5/24'] }], { replicas: 3 })] })).toEqual([
        "[pods/amf] 'attachments[0].ips' is a static address on 3 replicas, which would all claim it: got [\"10.1.0.5/24\"]; "
        + 'use per-replica addressing (one address per replica), or a pool IPAM (host-local, whereabouts) without static ips',
      ]);
    });

    test('fails on a static address on a DaemonSet (replicas unknown)', () => {
      expect(check({ networks: [DATA()], pods: [pod('ds', [{ name: 'data', ips: ['10.1.0.5/24'] }], { replicas: undefined })] })).toEqual([
        expect.stringMatching(/'attachments\[0\]\.ips' is a static address on a pod per node, which would all claim it/),
      ]);
    });

    test('per-replica addressing (one single-replica pod per address) passes', () => {
      expect(check({
        networks: [DATA()],
        pods: [0, 1, 2].map((i) => pod(`upf-${i}`, [{ name: 'data', ips: [`10.1.0.${20 + i}/24`] }])),
      })).toEqual([]);
    });

    test('fails on a fixed MAC on several replicas', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', mac: '02:00:00:00:00:01' }], { replicas: 2 })] })).toEqual([
        "[pods/a] 'attachments[0].mac' is a fixed MAC on 2 replicas: got \"02:00:00:00:00:01\"; use per-replica addressing, or let the plugin pick MACs",
      ]);
    });

    test('fails on static IPAM with addresses in the config shared by replicas', () => {
      const net = macvlan('fixed', new StaticIpam({ addresses: [{ address: '10.8.0.5/24' }] }), {}, []);
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'fixed' }], { replicas: 2 })] })).toEqual([
        expect.stringMatching(/^\[pods\/a\] 'attachments\[0\]\.name' is a network with fixed addresses in its config \(static IPAM\), shared by 2 replicas: got "fixed"; /),
      ]);
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'fixed' }])] })).toEqual([]);
    });
  });

  describe('MACs', () => {
    test('fails on a MAC used twice on one network, whatever the case', () => {
      expect(check({
        networks: [DATA()],
        pods: [pod('a', [{ name: 'data', mac: '02:00:00:aa:bb:01' }]), pod('b', [{ name: 'data', mac: '02:00:00:AA:BB:01' }])],
      })).toEqual([
        "[pods/b] 'attachments[0].mac' is already used on data by pods/a (net1): got \"02:00:00:AA:BB:01\"; give every interface of a network its own MAC",
      ]);
    });

    test('fails on a multicast MAC', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', mac: '01:00:5e:00:00:01' }])] })).toEqual([
        expect.stringMatching(/'attachments\[0\]\.mac' is a multicast MAC address/),
      ]);
    });
  });

  describe('default routes', () => {
    const nets = () => [DATA(), macvlan('n6', HostLocalIpam.subnet('10.6.0.0/24', { gateway: '10.6.0.1' })), macvlan('n3', HostLocalIpam.subnet('10.3.0.0/24'))];

    test('fails on more than one default-route gateway of a family in a pod (Multus refuses the pod), and on an empty default-route', () => {
      expect(check({
        networks: nets(),
        pods: [pod('upf', [{ name: 'data', 'default-route': ['10.1.0.1'] }, { name: 'n3', 'default-route': [] }, { name: 'n6', 'default-route': ['10.6.0.1'] }])],
      })).toEqual([
        "[pods/upf] 'attachments[1].default-route' is empty, so it names no gateway: the default route does not move to this interface (Multus 4.3.0 changes nothing, older Multus removed every default route of the pod): got []; "
        + 'name the gateway, e.g. ["10.1.0.1"] (a network with a gateway), or leave default-route out',
        "[pods/upf] 'attachments' give the pod 2 default routes: got [\"data\",\"n6\"]; let exactly one attachment own the default route (Multus rejects ECMP default routes)",
      ]);
    });

    test('one IPv4 and one IPv6 default-route gateway on two attachments pass (Multus counts per family)', () => {
      const v6 = macvlan('v6', HostLocalIpam.subnet('fd00:6::/64'));
      expect(check({ networks: [...nets(), v6], pods: [pod('upf', [{ name: 'n6', 'default-route': ['10.6.0.1'] }, { name: 'v6', 'default-route': ['fd00:6::1'] }])] })).toEqual([]);
    });

    test('fails on a default-route gateway outside the subnet', () => {
      expect(check({ networks: nets(), pods: [pod('upf', [{ name: 'n6', 'default-route': ['10.9.0.1'] }])] })).toEqual([
        "[pods/upf] 'attachments[0].default-route[0]' is outside the subnets of n6 (10.6.0.0/24): got \"10.9.0.1\"; route through a gateway on the attached subnet",
      ]);
    });

    test('one owner with its gateway inside the subnet passes', () => {
      expect(check({ networks: nets(), pods: [pod('upf', [{ name: 'n3' }, { name: 'n6', 'default-route': ['10.6.0.1'] }])] })).toEqual([]);
    });
  });

  describe('interface names', () => {
    test('fails on an interface name used twice in a pod, including a default net<N> name', () => {
      expect(check({
        networks: [DATA()],
        pods: [pod('a', [{ name: 'data', interface: 'net2' }, { name: 'data' }])],
      })).toEqual([
        "[pods/a] 'attachments[1].interface' is used twice in the pod (also by attachment 0): got \"net2\"; give every attachment of a pod its own interface name",
      ]);
    });

    test('the same NAD twice with distinct interfaces is two attachments (spec 4.2)', () => {
      expect(check({ networks: [DATA()], pods: [pod('a', [{ name: 'data', interface: 'd0' }, { name: 'data', interface: 'd1' }])] })).toEqual([]);
    });

    test('fails on eth0, lo and names longer than 15 characters', () => {
      expect(check({
        networks: [DATA()],
        pods: [pod('a', [{ name: 'data', interface: 'eth0' }, { name: 'data', interface: 'lo' }, { name: 'data', interface: 'dataplane-uplink' }])],
      })).toEqual([
        expect.stringMatching(/^\[pods\/a\] 'attachments\[0\]\.interface' is taken by the cluster network or loopback: got "eth0"/),
        expect.stringMatching(/^\[pods\/a\] 'attachments\[1\]\.interface' is taken by the cluster network or loopback: got "lo"/),
        expect.stringMatching(/^\[pods\/a\] 'attachments\[2\]\.interface' is longer than 15 characters \(16\)/),
      ]);
    });
  });

  describe('capabilities', () => {
    test.each([
      ['portMappings', { portMappings: [{ hostPort: 8080, containerPort: 80 }] }, 'portMappings'],
      ['bandwidth', { bandwidth: { ingressRate: 1000, ingressBurst: 100 } }, 'bandwidth'],
      ['infiniband-guid', { 'infiniband-guid': '00:11:22:33:44:55:66:77' }, 'infinibandGUID'],
    ] as [string, Partial<NetworkSelectionElement>, string][])('fails on %s when no plugin declares the capability', (key, extra, cap) => {
      const net = macvlan('bare', HostLocalIpam.subnet('10.1.0.0/24'), {}, []);
      const problems = check({ networks: [net], pods: [pod('a', [{ name: 'bare', ...extra }])] });
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^\\[pods/a\\] 'attachments\\[0\\]\\.${key}' is requested but no plugin of core/bare declares the '${cap}' capability, so Multus drops it: got .*; declare "capabilities": \\{"${cap}": true\\} on the plugin that reads it$`)),
      ]);
    });

    // Multus v4 also passes ips and mac as IP=/MAC= in CNI_ARGS (deprecated since 3.5): static and
    // host-local read IP, macvlan, bridge, tuning and tap read MAC (test/rulebook/multus-evidence.test.ts)
    test('ips and mac without the capability reach the plugins through CNI_ARGS where a plugin reads them: a warning that says so', () => {
      // (static IPAM without addresses and capability: see the note on lib/cni/plugin.ts in the rulebook tests)
      const net = macvlan('bare', HostLocalIpam.subnet('10.1.0.0/24'), {}, []);
      const problems = checkTopology({ networks: [net], pods: [pod('a', [{ name: 'bare', ips: ['10.1.0.5/24'], mac: '02:00:00:00:00:01' }])] });
      expect(problems.map((p) => [p.severity, formatProblem(p)])).toEqual([
        [Severity.WARNING, "[pods/a] 'attachments[0].ips' reaches core/bare only as IP=10.1.0.5/24 in CNI_ARGS, Multus's deprecated path (still working in Multus 4.3.0), because no plugin declares the 'ips' capability: "
          + 'got ["10.1.0.5/24"]; declare "capabilities": {"ips": true} on the plugin that reads it, so that it arrives as runtimeConfig.ips'],
        [Severity.WARNING, "[pods/a] 'attachments[0].mac' reaches core/bare only as MAC=02:00:00:00:00:01 in CNI_ARGS, Multus's deprecated path (still working in Multus 4.3.0), because no plugin declares the 'mac' capability: "
          + 'got "02:00:00:00:00:01"; declare "capabilities": {"mac": true} on the plugin that reads it, so that it arrives as runtimeConfig.mac'],
      ]);
    });

    test('ips that no plugin reads (two addresses for host-local, which reads one from IP=) and mac on a plugin without MAC= are errors', () => {
      const hl = macvlan('hl', HostLocalIpam.subnet('10.1.0.0/24'), {}, []);
      const sriov: TopologyNetwork = { name: 'vf', namespace: 'core', resourceName: 'intel.com/vf', config: CniConfig.list([new SriovPlugin({ ipam: HostLocalIpam.subnet('10.2.0.0/24') })]) };
      const problems = checkTopology({
        networks: [hl, sriov],
        pods: [pod('a', [{ name: 'hl', ips: ['10.1.0.5/24', '10.1.0.6/24'] }, { name: 'vf', mac: '02:00:00:00:00:02' }], { resourceRequests: { 'intel.com/vf': 1 } })],
      });
      expect(problems.map((p) => [p.severity, p.field, p.message])).toEqual([
        [Severity.ERROR, 'attachments[0].ips', "is requested but no plugin of core/hl declares the 'ips' capability, so Multus drops it"],
        [Severity.ERROR, 'attachments[1].mac', "is requested but no plugin of core/vf declares the 'mac' capability, so Multus drops it"],
      ]);
    });

    test('a capability declared on a chained plugin counts', () => {
      const net: TopologyNetwork = {
        name: 'web', namespace: 'core',
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24') }), new PortmapPlugin({ capabilities: [CniCapability.PORT_MAPPINGS] })]),
      };
      expect(check({ networks: [net], pods: [pod('a', [{ name: 'web', portMappings: [{ hostPort: 8080, containerPort: 80 }] }])] })).toEqual([]);
    });
  });

  describe('device-plugin resources (SR-IOV)', () => {
    const sriov = (): TopologyNetwork => ({
      name: 'sriov-n3', namespace: 'core', resourceName: 'intel.com/sriov_netdevice',
      config: CniConfig.list([new SriovPlugin({ ipam: HostLocalIpam.subnet('10.3.0.0/24') })]),
    });

    test('fails when the pod requests fewer devices than it has attachments', () => {
      const attachments = [{ name: 'sriov-n3', interface: 'n3a' }, { name: 'sriov-n3', interface: 'n3b' }];
      expect(check({ networks: [sriov()], pods: [pod('upf', attachments, { resourceRequests: { 'intel.com/sriov_netdevice': 1 } })] })).toEqual([
        "[pods/upf] 'resources.intel.com/sriov_netdevice' is requested 1 time(s) but 2 attachment(s) need a device from it: got 1; request 2 of intel.com/sriov_netdevice in the pod's containers (requests and limits)",
      ]);
      expect(check({ networks: [sriov()], pods: [pod('upf', attachments)] })).toEqual([
        expect.stringMatching(/'resources\.intel\.com\/sriov_netdevice' is requested 0 time\(s\) but 2 attachment\(s\)/),
      ]);
    });

    test('passes when every attachment has its device', () => {
      const attachments = [{ name: 'sriov-n3', interface: 'n3a' }, { name: 'sriov-n3', interface: 'n3b' }];
      expect(check({ networks: [sriov()], pods: [pod('upf', attachments, { resourceRequests: { 'intel.com/sriov_netdevice': 2 } })] })).toEqual([]);
    });
  });

  describe('default-network override', () => {
    const primary = (namespace: string): TopologyNetwork => ({ ...macvlan('primary', HostLocalIpam.subnet('10.200.0.0/16')), namespace });

    test('is looked up in the Multus namespace (kube-system), not the pod namespace', () => {
      expect(check({ networks: [primary('kube-system')], pods: [pod('a', [], { defaultNetwork: { name: 'primary' } })] })).toEqual([]);
      expect(check({ networks: [primary('core')], pods: [pod('a', [], { defaultNetwork: { name: 'primary' } })] })).toEqual([
        expect.stringMatching(/^\[pods\/a\] 'defaultNetwork\.name' does not resolve to a NetworkAttachmentDefinition of the App in namespace kube-system: got "primary"; create it in namespace kube-system \(Multus looks the default network up in its own namespace\)/),
      ]);
    });

    test('honours an explicit namespace and a custom Multus namespace', () => {
      expect(check({ networks: [primary('core')], pods: [pod('a', [], { defaultNetwork: { name: 'primary', namespace: 'core' } })] })).toEqual([]);
      expect(check({ networks: [primary('multus')], pods: [pod('a', [], { defaultNetwork: { name: 'primary' }, multusNamespace: 'multus' })] })).toEqual([]);
    });
  });

  describe('pool capacity', () => {
    test('warns when more pods attach than a host-local pool holds (per node)', () => {
      const net = macvlan('tiny', HostLocalIpam.subnet('10.1.0.0/29'));
      const problems = checkTopology({ networks: [net], pods: [pod('a', [{ name: 'tiny' }], { replicas: 10 })] });
      expect(problems).toHaveLength(1);
      expect(problems[0].severity).toBe(Severity.WARNING);
      expect(formatProblem(problems[0])).toMatch(/^\[nads\/tiny\] 'ipam' can hand out \d+ address\(es\) but 10 pods attach to core\/tiny \(host-local allocates per node/);
    });

    test('fails when more pods attach than a whereabouts pool holds', () => {
      const net = macvlan('tiny', new WhereaboutsIpam({ range: '10.1.0.0/29' }), {}, []);
      const problems = checkTopology({ networks: [net], pods: [pod('a', [{ name: 'tiny' }], { replicas: 7 }), pod('b', [{ name: 'tiny' }], { replicas: 7 })] });
      expect(problems).toHaveLength(1);
      expect(problems[0].severity).toBe(Severity.ERROR);
      expect(formatProblem(problems[0])).toMatch(/'ipam' can hand out \d+ address\(es\) but 14 pods attach to core\/tiny: got 14; widen the range or subnet, or run fewer replicas$/);
    });
  });

  test('reports every problem of the topology together', () => {
    const problems = check({
      networks: [DATA()],
      pods: [
        pod('a', [{ name: 'data', ips: ['10.2.0.5/24'] }, { name: 'missing' }]),
        pod('b', [{ name: 'data', ips: ['10.1.0.5/24'] }], { replicas: 2 }),
      ],
    });
    expect(problems).toHaveLength(3);
  });

  describe('addresses baked into a NAD (static IPAM addresses)', () => {
    const baked = (name: string, address: string, master = 'eth1'): TopologyNetwork => ({
      name, namespace: 'core', path: `nads/${name}`,
      config: CniConfig.list([new MacvlanPlugin({ master, ipam: StaticIpam.address(address) })]),
    });

    test('one NAD with its address used by two workloads: the second claims an address in use', () => {
      expect(check({ networks: [baked('upf-n3', '10.3.0.5/24')], pods: [pod('upf', [{ name: 'upf-n3' }]), pod('upf-canary', [{ name: 'upf-n3' }])] })).toEqual([
        "[pods/upf-canary] 'attachments[0].name' is a network with the address 10.3.0.5/24 in its config, which pods/upf (net1) uses already: got \"upf-n3\"; "
        + 'give each pod its own address: one NAD per interface with its address, or per-pod addresses with ips',
      ]);
    });

    test('two NADs of one segment with the same address, each used: an error; on other segments: none', () => {
      const pods = [pod('a', [{ name: 'copy-a' }]), pod('b', [{ name: 'copy-b' }])];
      expect(check({ networks: [baked('copy-a', '10.3.0.5/24'), baked('copy-b', '10.3.0.5/24')], pods })).toEqual([
        expect.stringMatching(/^\[pods\/b\] 'attachments\[0\]\.name' is a network with the address 10\.3\.0\.5\/24 in its config, which pods\/a \(net1\) uses already/),
      ]);
      expect(check({ networks: [baked('copy-a', '10.3.0.5/24'), baked('copy-b', '10.3.0.5/24', 'eth2')], pods })).toEqual([]);
      // NADs of one logical network (addressSpace), whatever their configs say
      expect(check({ networks: [{ ...baked('copy-a', '10.3.0.5/24'), addressSpace: 'n3' }, { ...baked('copy-b', '10.3.0.5/24', 'eth2'), addressSpace: 'n3' }], pods })).toHaveLength(1);
    });

    test('a baked address and an address another pod requests on the same segment collide too', () => {
      const req = macvlan('req', new StaticIpam({}), { subnets: [Cidr.parse('10.3.0.0/24')] });
      expect(check({ networks: [baked('fixed', '10.3.0.5/24'), req], pods: [pod('a', [{ name: 'fixed' }]), pod('b', [{ name: 'req', ips: ['10.3.0.5/24'] }])] })).toEqual([
        expect.stringMatching(/^\[pods\/b\] 'attachments\[0\]\.ips\[0\]' is already used on req by pods\/a \(net1\)/),
      ]);
    });

    test('one NAD with its address on a workload of several replicas: the existing replicas rule, once', () => {
      expect(check({ networks: [baked('fixed', '10.3.0.5/24')], pods: [pod('a', [{ name: 'fixed' }], { replicas: 2 })] })).toEqual([
        expect.stringMatching(/^\[pods\/a\] 'attachments\[0\]\.name' is a network with fixed addresses in its config \(static IPAM\), shared by 2 replicas/),
      ]);
    });

    test('static IPAM without addresses, attached without ips: the plugin fails', () => {
      const bare = macvlan('bare', new StaticIpam({}));
      expect(check({ networks: [bare], pods: [pod('a', [{ name: 'bare' }])] })).toEqual([
        "[pods/a] 'attachments[0].name' selects core/bare, whose static IPAM has no addresses, and requests none, so the plugin fails ('IPAM plugin returned missing IP config'): got \"bare\"; "
        + "request the pod's addresses with ips, or write the address into the NAD",
      ]);
      expect(check({ networks: [bare], pods: [pod('a', [{ name: 'bare', ips: ['10.1.0.5/24'] }])] })).toEqual([]);
    });
  });

  describe('device sources of NADs (one rule with the NAD construct)', () => {
    test('an sriov NAD without resourceName is an error at the NAD; external NADs are not checked', () => {
      const vf: TopologyNetwork = { name: 'vf', namespace: 'core', path: 'nads/vf', config: CniConfig.list([new SriovPlugin({ ipam: HostLocalIpam.subnet('10.3.0.0/24') })]) };
      expect(check({ networks: [vf], pods: [] })).toEqual([
        "[nads/vf] 'resourceName' is required for an sriov network: Multus takes the VF from the device plugin: got nothing; set resourceName to the SR-IOV device plugin resource, e.g. \"intel.com/sriov_netdevice\"",
      ]);
      expect(check({ networks: [{ ...vf, external: true }], pods: [] })).toEqual([]);
    });
  });

  describe('device-plugin resources of plugins that work without the device', () => {
    test('a resource named by a NAD whose plugin needs no device (ovs-cni marker, for scheduling): a warning, not an error', () => {
      const marked: TopologyNetwork = { ...macvlan('marked', HostLocalIpam.subnet('10.5.0.0/24')), resourceName: 'ovs-cni.network.kubevirt.io/br1' };
      const problems = checkTopology({ networks: [marked], pods: [pod('a', [{ name: 'marked' }])] });
      expect(problems.map((p) => [p.severity, formatProblem(p)])).toEqual([[Severity.WARNING,
        "[pods/a] 'resources.ovs-cni.network.kubevirt.io/br1' is requested 0 time(s) but 1 attachment(s) name it: their plugins work without its device, but the scheduler may place the pod on a node that lacks the resource: "
        + "got 0; request 1 of ovs-cni.network.kubevirt.io/br1 in the pod's containers (or let the network-resources-injector add it)"]]);
    });
  });
});
