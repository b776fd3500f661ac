import { formatProblem } from '../../lib/cni/problem';
import {
  DEFAULT_NETWORK_ANNOTATION,
  NETWORKS_ANNOTATION,
  NetworkSelectionElement,
  PortMappingProtocol,
  SELECTION_KEYS,
  parseNetworksAnnotation,
  renderNetworksAnnotation,
  selectionElementProblems,
  selectionRequestProblems,
} from '../../lib/multus/selection-element';

/** The problems of one element, rendered in the library's one error style. */
function problemsOf(e: unknown): string[] {
  return selectionElementProblems(e as NetworkSelectionElement).map(formatProblem);
}

describe('annotation keys', () => {
  test('are the NPWG and Multus keys', () => {
    expect(NETWORKS_ANNOTATION).toBe('k8s.v1.cni.cncf.io/networks');
    expect(DEFAULT_NETWORK_ANNOTATION).toBe('v1.multus-cni.io/default-network');
  });

  test('a selection element has exactly the NPWG v1.3 keys', () => {
    expect([...SELECTION_KEYS].sort()).toEqual([
      'bandwidth', 'cni-args', 'default-route', 'infiniband-guid', 'interface', 'ipam-claim-reference',
      'ips', 'mac', 'name', 'namespace', 'portMappings',
    ]);
  });
});

describe('renderNetworksAnnotation', () => {
  test('writes the JSON list form, elements in declared order, keys in a fixed order, no undefined keys', () => {
    const text = renderNetworksAnnotation([
      // keys deliberately given out of order
      { ips: ['10.1.0.5/24'], interface: 'data0', namespace: 'core', name: 'data', mac: undefined },
      { 'default-route': ['10.6.0.1'], name: 'n6' },
    ]);
    expect(JSON.parse(text)).toEqual([
      { name: 'data', namespace: 'core', interface: 'data0', ips: ['10.1.0.5/24'] },
      { name: 'n6', 'default-route': ['10.6.0.1'] },
    ]);
    expect(text).toBe('[{"name":"data","namespace":"core","interface":"data0","ips":["10.1.0.5/24"]},{"name":"n6","default-route":["10.6.0.1"]}]');
  });

  test('drops keys that are not selection element keys', () => {
    const text = renderNetworksAnnotation([{ name: 'a', gateway: ['10.0.0.1'] } as unknown as NetworkSelectionElement]);
    expect(JSON.parse(text)).toEqual([{ name: 'a' }]);
  });

  test('round-trips every field through the parser without problems', () => {
    const full: NetworkSelectionElement = {
      name: 'n6',
      namespace: 'core',
      interface: 'n6',
      ips: ['10.6.0.20/24', 'fd00:6::20/64'],
      mac: '02:00:00:06:00:20',
      'default-route': ['10.6.0.1'],
      portMappings: [{ hostPort: 8080, containerPort: 80, protocol: PortMappingProtocol.TCP, hostIP: '192.0.2.1' }],
      bandwidth: { ingressRate: 1000000, ingressBurst: 100000, egressRate: 2000000, egressBurst: 200000 },
      'cni-args': { foo: 'bar' },
      'infiniband-guid': '00:11:22:33:44:55:66:77',
    };
    const parsed = parseNetworksAnnotation(renderNetworksAnnotation([full, { name: 'claimed', 'ipam-claim-reference': 'upf-claim' }]));
    expect(parsed.problems).toEqual([]);
    expect(parsed.form).toBe('json');
    expect(parsed.elements).toEqual([full, { name: 'claimed', 'ipam-claim-reference': 'upf-claim' }]);
  });
});

describe('parseNetworksAnnotation', () => {
  test('an empty annotation has no elements', () => {
    expect(parseNetworksAnnotation('  ')).toEqual({ elements: [], problems: [], form: 'empty' });
  });

  test('reads the short form [ns/]name[@ifname], trimming whitespace', () => {
    const parsed = parseNetworksAnnotation('net-a, other-ns/net-c@data0 ,net-b@n2');
    expect(parsed.form).toBe('short');
    expect(parsed.problems).toEqual([]);
    expect(parsed.elements).toEqual([
      { name: 'net-a', interface: undefined },
      { name: 'net-c', namespace: 'other-ns', interface: 'data0' },
      { name: 'net-b', interface: 'n2' },
    ]);
  });

  test('fails on a trailing comma in the short form (multus-cni#1195)', () => {
    const parsed = parseNetworksAnnotation('net-a@x0,');
    expect(parsed.elements).toHaveLength(1);
    expect(parsed.problems.map(formatProblem)).toEqual([
      `'${NETWORKS_ANNOTATION}[1]' is empty (a stray comma): got ""; remove the extra comma`,
    ]);
  });

  test('fails on more than one @ or / in a short-form item', () => {
    const parsed = parseNetworksAnnotation('a@b@c, x/y/z');
    expect(parsed.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^'k8s\.v1\.cni\.cncf\.io\/networks\[0\]' has more than one '@': got "a@b@c"; write \[namespace\/\]name\[@interface\]$/),
      expect.stringMatching(/^'k8s\.v1\.cni\.cncf\.io\/networks\[1\]' has more than one '\/': got "x\/y\/z"; /),
    ]);
  });

  test('checks short-form names and interfaces like JSON ones', () => {
    const parsed = parseNetworksAnnotation('Bad_Name@eth0');
    expect(parsed.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^'k8s\.v1\.cni\.cncf\.io\/networks\[0\]\.name' is not a DNS-1123 label: got "Bad_Name"; /),
      expect.stringMatching(/^'k8s\.v1\.cni\.cncf\.io\/networks\[0\]\.interface' is taken by the cluster network or loopback: got "eth0"; /),
    ]);
  });

  test('switches to JSON when the text has [, { or " (as Multus does)', () => {
    expect(parseNetworksAnnotation('{"name":"a"}').form).toBe('json');
    expect(parseNetworksAnnotation('[{"name":"a"}]').form).toBe('json');
  });

  test('fails on invalid JSON and says why', () => {
    const parsed = parseNetworksAnnotation('[{"name":"a",}]', 'spec.template.metadata.annotations.networks');
    expect(parsed.elements).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(formatProblem(parsed.problems[0])).toMatch(/^'spec\.template\.metadata\.annotations\.networks' is not valid JSON: got "\[\{\\"name\\":\\"a\\",\}\]"; fix the JSON \(.+\)$/);
  });

  test('fails on a single object instead of a list, but still reads it', () => {
    const parsed = parseNetworksAnnotation('{"name":"a"}');
    expect(parsed.elements).toEqual([{ name: 'a' }]);
    expect(parsed.problems.map(formatProblem)).toEqual([
      `'${NETWORKS_ANNOTATION}' must be a JSON list of selection elements: got {"name":"a"}; wrap the object in [ ... ]`,
    ]);
  });

  test('fails on list items that are not objects', () => {
    const parsed = parseNetworksAnnotation('["net-a", {"name":"b"}]');
    expect(parsed.elements).toEqual([{ name: 'b' }]);
    expect(parsed.problems.map(formatProblem)).toEqual([
      `'${NETWORKS_ANNOTATION}[0]' must be an object: got "net-a"; write {"name": "<nad>", ...}`,
    ]);
  });

  test('places element problems under the element index', () => {
    const parsed = parseNetworksAnnotation('[{"name":"a"},{"name":"b","gateway":["10.0.0.1"]}]');
    expect(parsed.problems.map((p) => p.field)).toEqual([`${NETWORKS_ANNOTATION}[1].gateway`]);
  });
});

describe('selectionElementProblems', () => {
  test('a minimal element is fine', () => {
    expect(problemsOf({ name: 'data' })).toEqual([]);
  });

  test("fails on 'gateway' and points at 'default-route'", () => {
    expect(problemsOf({ name: 'n6', gateway: ['10.6.0.1'] })).toEqual([
      "'gateway' is not a NetworkSelectionElement key, so Multus ignores it: got [\"10.6.0.1\"]; use 'default-route' (a list of gateway IPs): 'gateway' exists only in the status annotation",
    ]);
  });

  test("fails on the Multus-only 'deviceID' and the deprecated 'interfaceRequest'", () => {
    expect(problemsOf({ name: 'a', deviceID: '0000:03:00.1', interfaceRequest: 'net5' })).toEqual([
      expect.stringMatching(/^'deviceID' is not a NetworkSelectionElement key, so Multus ignores it: got "0000:03:00\.1"; remove it: it is a Multus-only extension/),
      expect.stringMatching(/^'interfaceRequest' is not a NetworkSelectionElement key, .*; use 'interface'/),
    ]);
  });

  test('fails on any other unknown key and lists the known ones', () => {
    expect(problemsOf({ name: 'a', mtu: 9000 })).toEqual([
      expect.stringMatching(/^'mtu' is not a NetworkSelectionElement key, so Multus ignores it: got 9000; remove it; the keys of a selection element are name, namespace, interface, ips/),
    ]);
  });

  test('fails without a name', () => {
    expect(problemsOf({ interface: 'net1' })).toEqual(["'name' is required: got nothing; name the NetworkAttachmentDefinition"]);
    expect(problemsOf({ name: '' })).toEqual(['\'name\' is required: got ""; name the NetworkAttachmentDefinition']);
  });

  test("fails on 'ns/name' in the JSON name (multus-cni#705)", () => {
    expect(problemsOf({ name: 'core/n6' })).toEqual([
      "'name' contains '/', which Multus rejects in the JSON form: got \"core/n6\"; put the namespace in the 'namespace' key",
    ]);
  });

  test('fails on names and namespaces that are not DNS-1123 labels', () => {
    expect(problemsOf({ name: 'N6' })).toEqual([expect.stringMatching(/^'name' is not a DNS-1123 label: got "N6"; /)]);
    expect(problemsOf({ name: 'a'.repeat(64) })).toEqual([expect.stringMatching(/^'name' is not a DNS-1123 label: /)]);
    expect(problemsOf({ name: 'a', namespace: 'Core' })).toEqual([expect.stringMatching(/^'namespace' is not a DNS-1123 label: got "Core"; /)]);
  });

  test('selectionRequestProblems checks everything but the reference', () => {
    const formatted = (e: NetworkSelectionElement) => selectionRequestProblems(e).map(formatProblem);
    // a bad name and namespace are not its business (the NAD construct checked them)
    expect(formatted({ name: 'N6', namespace: 'Core', interface: 'net1', ips: ['10.1.0.5/24'] })).toEqual([]);
    // the requests are checked as selectionElementProblems checks them
    const bad: NetworkSelectionElement = { name: 'n6', interface: 'eth0', ips: ['10.1.0.300/24'], mac: '01:00:00:00:00:01', 'default-route': ['x'] };
    expect(formatted(bad)).toEqual(selectionElementProblems(bad).map(formatProblem));
    expect(formatted(bad)).toHaveLength(4);
  });

  test('fails on eth0 and lo as interface names', () => {
    for (const ifname of ['eth0', 'lo']) {
      expect(problemsOf({ name: 'a', interface: ifname })).toEqual([
        `'interface' is taken by the cluster network or loopback: got "${ifname}"; pick another name, such as net1`,
      ]);
    }
  });

  test('fails on a 16-character interface name, accepts 15', () => {
    expect(problemsOf({ name: 'a', interface: 'x'.repeat(15) })).toEqual([]);
    expect(problemsOf({ name: 'a', interface: 'dataplane-uplink' })).toEqual([
      expect.stringMatching(/^'interface' is longer than 15 characters \(16\): got "dataplane-uplink"; /),
    ]);
  });

  test('fails on interface names with / or whitespace, or not a string', () => {
    expect(problemsOf({ name: 'a', interface: 'a/b' })).toEqual([expect.stringMatching(/^'interface' .*: got "a\/b"; /)]);
    expect(problemsOf({ name: 'a', interface: 'a b' })).toEqual([expect.stringMatching(/^'interface' .*: got "a b"; /)]);
    expect(problemsOf({ name: 'a', interface: 5 })).toEqual(["'interface' must be a string: got 5; write an interface name such as net1"]);
  });

  test("fails on 'ips' that is a scalar, empty, or holds a non-address (multus-cni#820)", () => {
    expect(problemsOf({ name: 'a', ips: '10.1.0.5/24' })).toEqual([
      '\'ips\' must be a non-empty list of addresses: got "10.1.0.5/24"; write ["10.1.0.5/24"]',
    ]);
    expect(problemsOf({ name: 'a', ips: [] })).toEqual([expect.stringMatching(/^'ips' must be a non-empty list of addresses: got \[\]; /)]);
    expect(problemsOf({ name: 'a', ips: ['10.1.0.5/24', '10.1.0.300'] })).toEqual([
      "'ips[1]' is not an IP address: got \"10.1.0.300\"; write an address with its prefix, e.g. 10.1.0.5/24",
    ]);
  });

  test('accepts addresses with and without prefix, IPv4 and IPv6', () => {
    expect(problemsOf({ name: 'a', ips: ['10.1.0.5', '10.1.0.6/24', 'fd00::5', 'fd00::6/64'] })).toEqual([]);
  });

  test('fails on malformed and multicast MACs', () => {
    expect(problemsOf({ name: 'a', mac: '02:00:00:00:00' })).toEqual([
      "'mac' is not a MAC address: got \"02:00:00:00:00\"; write six colon-separated hex pairs, e.g. 02:00:00:00:00:01",
    ]);
    expect(problemsOf({ name: 'a', mac: '01:00:5e:00:00:01' })).toEqual([
      "'mac' is a multicast MAC address: got \"01:00:5e:00:00:01\"; clear bit 0 of the first octet (e.g. start with 02)",
    ]);
    expect(problemsOf({ name: 'a', mac: '02:00:00:00:00:01' })).toEqual([]);
  });

  test("fails on a 'default-route' that is not a list of addresses; an empty list is allowed", () => {
    expect(problemsOf({ name: 'a', 'default-route': '10.1.0.1' })).toEqual([
      '\'default-route\' must be a list of gateway addresses: got "10.1.0.1"; write ["10.1.0.1"]',
    ]);
    expect(problemsOf({ name: 'a', 'default-route': ['10.1.0.1/24'] })).toEqual([
      expect.stringMatching(/^'default-route\[0\]' is not an IP address: got "10\.1\.0\.1\/24"; /),
    ]);
    expect(problemsOf({ name: 'a', 'default-route': [] })).toEqual([]);
  });

  test('fails on bad port mappings', () => {
    expect(problemsOf({ name: 'a', portMappings: { hostPort: 80 } })).toEqual([expect.stringMatching(/^'portMappings' must be a list: /)]);
    expect(problemsOf({ name: 'a', portMappings: [{ hostPort: 0, containerPort: 70000, protocol: 'icmp', hostIP: 'localhost' }] })).toEqual([
      "'portMappings[0].hostPort' must be a port from 1 to 65535: got 0; write an integer port",
      "'portMappings[0].containerPort' must be a port from 1 to 65535: got 70000; write an integer port",
      "'portMappings[0].protocol' is not tcp, udp or sctp: got \"icmp\"; use PortMappingProtocol",
      "'portMappings[0].hostIP' is not an IP address: got \"localhost\"; write a host address",
    ]);
  });

  test('fails on a bandwidth rate without burst, or negative values', () => {
    expect(problemsOf({ name: 'a', bandwidth: { ingressRate: 1000 } })).toEqual([
      expect.stringMatching(/^'bandwidth\.ingressBurst' must be set together with ingressRate: got \{"ingressRate":1000\}; set both the rate and the burst, or neither$/),
    ]);
    expect(problemsOf({ name: 'a', bandwidth: { egressRate: -1, egressBurst: 10 } })).toEqual([
      "'bandwidth.egressRate' must be a non-negative integer: got -1; write bits per second (rates) or bits (bursts)",
      expect.stringMatching(/^'bandwidth\.egressBurst' must be set together with egressRate/),
    ]);
  });

  test("fails on a bad 'infiniband-guid'", () => {
    expect(problemsOf({ name: 'a', 'infiniband-guid': '02:00:00:00:00:01' })).toEqual([
      "'infiniband-guid' is not an 8-byte GUID: got \"02:00:00:00:00:01\"; write eight colon-separated hex pairs",
    ]);
  });

  test("fails on 'ipam-claim-reference' that is not a name, or combined with 'ips' (spec v1.3)", () => {
    expect(problemsOf({ name: 'a', 'ipam-claim-reference': 'Claim_1' })).toEqual([
      expect.stringMatching(/^'ipam-claim-reference' is not an IPAMClaim name: got "Claim_1"; /),
    ]);
    expect(problemsOf({ name: 'a', 'ipam-claim-reference': 'claim', ips: ['10.1.0.5/24'] })).toEqual([
      "'ipam-claim-reference' cannot be combined with 'ips' (NPWG spec v1.3): got \"claim\"; use either 'ips' or an IPAM claim",
    ]);
  });

  test("fails on 'cni-args' that is not an object", () => {
    expect(problemsOf({ name: 'a', 'cni-args': ['x'] })).toEqual(['\'cni-args\' must be a JSON object: got ["x"]; write {"key": "value"}']);
    expect(problemsOf({ name: 'a', 'cni-args': { x: 1 } })).toEqual([]);
  });
});
