import { describeObject } from '../../lib/cli/manifests';
import { CheckKind, CheckResult, VerifyCheck, safeText } from '../../lib/cli/verify';

/**
 * The hostile objects of verify's suite (test/hostile/verify.test.ts), each with the exact row it
 * must end as, plus the good pair that must still pass next to them. Injection payloads would
 * create `canary` if they ever reached a shell; dataDir payloads point at `owned`, which must stay
 * empty. Also run through the real Multus engine by test/real/verify-hostile-differential.test.ts.
 */

export type Expected = Omit<VerifyCheck, 'reason'> & { reason: string | RegExp };

/** One hostile object (or a few) and the row it must end as. */
export interface HostileCase {
  readonly name: string;
  readonly docs: object[];
  readonly expected: Expected;
}

/** The cases and the good pair, with payloads aimed at these paths. */
export function hostileVerifyCases(CANARY: string, OWNED: string): { cases: HostileCase[]; good: object[] } {
  const LINK_FIX = 'use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]';
  const RESERVED_FIX = "use another interface name ('lo' and iproute2 keywords such as 'type' or 'netns' are refused)";
  const MAC_FIX = 'write six pairs of hex digits separated by colons, e.g. 02:00:00:00:00:01';
  const MTU_FIX = 'write a whole number of bytes, e.g. 1500 or 9000';

  /** A value as the messages quote it (JSON, cut at 80 characters). */
  function shown(v: unknown): string {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    const t = JSON.stringify(v);
    return t.length > 80 ? `${t.slice(0, 77)}...` : t;
  }

  /** Payloads that would create the canary if they reached a shell or a batch script. */
  const INJECTIONS: readonly string[] = [
    `eth0\nnetns exec x touch ${CANARY}`,
    'e\nnetns add x',
    `$(touch ${CANARY})`,
    `;touch ${CANARY}`,
    `\`touch ${CANARY}\``,
    'eth0"',
    "eth0'",
    'eth0#x',
    'eth0;id',
    'eth0 type',
    'abcdefghijklmnop',
    'éth0',
    'eth0\u0000',
    '-eth0',
  ];

  const cases: HostileCase[] = [];
  const nadObject = (name: string, config: unknown, ns = 'lab') => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: ns }, spec: { config } });
  const podObject = (name: string, networks: object[], ns = 'lab') => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify(networks) } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  const nadText = (name: string, config: object) => JSON.stringify({ cniVersion: '1.0.0', name, ...config });

  /** A NAD with a config and a pod selecting it; the attach row is expected. */
  function configCase(name: string, config: object, result: CheckResult, reason: (nad: string) => string | RegExp, element: object = {}): void {
    const i = cases.length;
    const nad = `h${i}`;
    cases.push({
      name,
      docs: [nadObject(nad, nadText(nad, config)), podObject(`p${i}`, [{ name: nad, ...element }])],
      expected: { check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: nad, result, reason: reason(`NetworkAttachmentDefinition lab/${nad}`) },
    });
  }

  // 1. link names from the inputs (macvlan master, host-device device, bridge name): never argv or batch text
  for (const v of INJECTIONS) {
    configCase(`macvlan master ${shown(v)}`, { type: 'macvlan', master: v, ipam: { type: 'static', addresses: [{ address: '10.90.0.1/24' }] } },
      CheckResult.FAILED, (o) => `${o}: 'spec.config.master' is not a valid link name: got ${shown(v)}; ${LINK_FIX}`);
  }
  for (const v of INJECTIONS.slice(0, 8)) {
    configCase(`bridge name ${shown(v)} (two nodes)`, { plugins: [{ type: 'bridge', bridge: v, ipam: { type: 'static', addresses: [{ address: '10.91.0.1/24' }] } }] },
      CheckResult.FAILED, (o) => `${o}: 'spec.config.plugins[0].bridge' is not a valid link name: got ${shown(v)}; ${LINK_FIX}`);
  }
  for (const v of INJECTIONS.slice(0, 5)) {
    configCase(`host-device device ${shown(v)}`, { type: 'host-device', device: v },
      CheckResult.FAILED, (o) => `${o}: 'spec.config.device' is not a valid link name: got ${shown(v)}; ${LINK_FIX}`);
  }
  for (const v of ['lo', 'type', 'netns', 'dev']) {
    configCase(`macvlan master ${v} (reserved)`, { type: 'macvlan', master: v, ipam: { type: 'static', addresses: [{ address: '10.92.0.1/24' }] } },
      CheckResult.FAILED, (o) => `${o}: 'spec.config.master' is a reserved name: got "${v}"; ${RESERVED_FIX}`);
  }
  // 2. MACs: host-device hwaddr and tuning mac
  for (const v of [`02:00:00:00:00:01\nnetns exec x touch ${CANARY}`, '02:00:00:00:00', 'zz:00:00:00:00:01', '02:00:00:00:00:01 type', "02:00:00:00:00:01'"]) {
    configCase(`host-device hwaddr ${shown(v)}`, { type: 'host-device', hwaddr: v },
      CheckResult.FAILED, (o) => `${o}: 'spec.config.hwaddr' is not a MAC address: got ${shown(v)}; ${MAC_FIX}`);
  }
  configCase('tuning mac with a newline', { plugins: [{ type: 'bridge', bridge: 'hbr0', ipam: { type: 'static', addresses: [{ address: '10.93.0.1/24' }] } }, { type: 'tuning', mac: '02:00:00:00:00:01\nx' }] },
    CheckResult.FAILED, (o) => `${o}: 'spec.config.plugins[1].mac' is not a MAC address: got "02:00:00:00:00:01\\nx"; ${MAC_FIX}`);
  // 3. MTUs
  for (const [text, v] of [['1e400', Infinity], ['-5', -5], ['1e9', 1e9], ['"1500"', '1500'], ['1500.5', 1500.5], ['67', 67]] as const) {
    const i = cases.length;
    const nad = `h${i}`;
    cases.push({
      name: `macvlan mtu ${text}`,
      docs: [nadObject(nad, `{"cniVersion":"1.0.0","name":"${nad}","type":"macvlan","master":"eth1","mtu":${text},"ipam":{"type":"static","addresses":[{"address":"10.94.0.1/24"}]}}`), podObject(`p${i}`, [{ name: nad }])],
      expected: { check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: nad, result: CheckResult.FAILED, reason: `NetworkAttachmentDefinition lab/${nad}: 'spec.config.mtu' is not an MTU from 68 to 65535: got ${shown(v)}; ${MTU_FIX}` },
    });
  }
  // 4. sysctls reaching outside the pod's network namespace
  for (const key of ['kernel.core_pattern', 'net.ipv4/../../kernel/core_pattern', 'net..x', 'fs.suid_dumpable']) {
    configCase(`tuning sysctl ${key}`, { plugins: [{ type: 'bridge', bridge: 'hbr1', ipam: { type: 'static', addresses: [{ address: '10.95.0.1/24' }] } }, { type: 'tuning', sysctl: { [key]: '|/bin/sh' } }] },
      CheckResult.FAILED, (o) => `${o}: 'spec.config.plugins[1].sysctl' is not a network sysctl: got ${shown(key)}; name a net.* sysctl of the pod namespace, e.g. net.ipv4.conf.IFNAME.arp_notify`);
  }
  // plugin types that are paths or carry shell text: never looked up, never run
  for (const [v, inIpam] of [['../../../bin/sh', false], [`x\ntouch ${CANARY}`, false], ['$(id)', true], ['/usr/bin/touch', true]] as const) {
    const field = inIpam ? 'spec.config.ipam.type' : 'spec.config.type';
    configCase(`plugin type ${shown(v)}${inIpam ? ' (ipam)' : ''}`, inIpam ? { type: 'bridge', ipam: { type: v } } : { type: v },
      CheckResult.FAILED, (o) => `${o}: '${field}' is not a plugin binary name: got ${shown(v)}; name a binary of the CNI plugin directory (letters, digits, '_', '.', '+', '-'; no path)`);
  }
  // 5. options reaching outside the run: not emulated, never run
  const PATH_FIX = 'verify keeps every file inside its run and does not emulate path options';
  for (const [where, config, field, value] of [
    ['ipam.resolvConf', { type: 'bridge', bridge: 'hbr2', ipam: { type: 'static', resolvConf: '/etc/resolv.conf' } }, 'spec.config.ipam.resolvConf', '/etc/resolv.conf'],
    ['host-device kernelpath', { type: 'host-device', device: 'eth5', kernelpath: '/sys/devices/x' }, 'spec.config.kernelpath', '/sys/devices/x'],
    ['a logFile', { type: 'macvlan', master: 'eth1', logFile: '/var/log/x.log', ipam: { type: 'static' } }, 'spec.config.logFile', '/var/log/x.log'],
    ['a kubeconfig', { type: 'macvlan', master: 'eth1', ipam: { type: 'static', kubeconfig: 'k.yaml' } }, 'spec.config.ipam.kubeconfig', 'k.yaml'],
    ['dhcp daemonSocketPath', { type: 'macvlan', master: 'eth1', ipam: { type: 'dhcp', daemonSocketPath: '/run/x.sock' } }, 'spec.config.ipam.daemonSocketPath', '/run/x.sock'],
    ['an absolute path in any value', { type: 'bridge', bridge: 'hbr3', x: { y: ['/etc/shadow'] }, ipam: { type: 'static' } }, 'spec.config.x.y[0]', '/etc/shadow'],
  ] as const) {
    configCase(`path option: ${where}`, config, CheckResult.UNSUPPORTED, (o) => `${o}: '${field}' is a path on the node: got ${shown(value)}; ${PATH_FIX}`);
  }
  configCase('firewall backend firewalld', { plugins: [{ type: 'bridge', bridge: 'hbr4', ipam: { type: 'static', addresses: [{ address: '10.96.0.1/24' }] } }, { type: 'firewall', backend: 'firewalld' }] },
    CheckResult.UNSUPPORTED, (o) => `${o}: 'spec.config.plugins[1].backend' talks to firewalld on the host's D-Bus: got "firewalld"; verify runs the iptables backend only`);
  // 6. state directories pointed at a directory of this test: moved into the run, the plugin still works
  let subnet = 0;
  for (const [where, config] of [
    ['host-local ipam.dataDir', () => ({ type: 'bridge', bridge: 'hbr5', ipam: { type: 'host-local', dataDir: OWNED, ranges: [[{ subnet: `10.97.${subnet++}.0/24` }]] } })],
    ['host-local as the main plugin with ipam.dataDir', () => ({ type: 'host-local', ipam: { type: 'host-local', dataDir: OWNED, ranges: [[{ subnet: `10.97.${subnet++}.0/24` }]] } })],
    ['tuning dataDir in a chain', () => ({ plugins: [{ type: 'bridge', bridge: 'hbr6', ipam: { type: 'host-local', dataDir: OWNED, ranges: [[{ subnet: `10.97.${subnet++}.0/24` }]] } }, { type: 'tuning', dataDir: OWNED, sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1' } }] })],
  ] as const) {
    const s = subnet;
    configCase(`state moved into the run: ${where}`, config(), CheckResult.PASSED, () => new RegExp(`^10\\.97\\.${s}\\.\\d+/24$`));
  }
  configCase('state moved into the run: an IPAM without a binary, with dataDir', { type: 'host-local', ipam: { type: 'other', dataDir: OWNED } },
    CheckResult.UNSUPPORTED, () => 'plugin binary "other" (plugins[0].ipam) is not in /opt/cni/bin:/usr/lib/cni');
  // 7. not a config
  for (const [where, raw, reason] of [
    ['spec.config an object', { type: 'bridge' }, '\'spec.config\' must be a string holding JSON: got {"type":"bridge"}; serialize the CNI config with JSON.stringify'],
    ['spec.config not JSON', '{"type": "bridge",', /^spec\.config is not a CNI config: /],
    // (a config without a name is named after the NAD, as Multus does: not a hostile case)
    ['spec.config with an empty plugin list', '{"name": "x", "plugins": []}', 'spec.config is not a CNI config: \'plugins\' must be a non-empty array: got []; add at least one plugin'],
  ] as const) {
    const i = cases.length;
    const nad = `h${i}`;
    const o = `NetworkAttachmentDefinition lab/${nad}`;
    cases.push({
      name: where,
      docs: [nadObject(nad, raw), podObject(`p${i}`, [{ name: nad }])],
      expected: { check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: nad, result: CheckResult.FAILED, reason: typeof reason === 'string' ? `${o}: ${reason}` : new RegExp(`^${o}: ${reason.source.slice(1)}`) },
    });
  }
  // 8. pods: interface names, their own names, replicas, too many attachments
  const GOOD_NAD = nadObject('hgood', nadText('hgood', { type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true } }));
  for (const v of [`net1\nnetns exec x touch ${CANARY}`, 'eth0;id', 'x'.repeat(16), 'type', 'a b']) {
    const i = cases.length;
    const field = 'metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].interface';
    cases.push({
      name: `selection interface ${shown(v)}`,
      docs: [podObject(`p${i}`, [{ name: 'hgood', interface: v }])],
      expected: {
        check: CheckKind.ATTACH, from: `lab/p${i}:?`, to: '-', network: 'hgood', result: CheckResult.FAILED,
        reason: `lab/p${i}: '${field}' ${v === 'type' ? `is a reserved name: got "type"; ${RESERVED_FIX}` : `is not a valid link name: got ${shown(v)}; ${LINK_FIX}`}`,
      },
    });
  }
  {
    const i = cases.length;
    cases.push({
      name: 'the same interface twice in one pod',
      docs: [podObject(`p${i}`, [{ name: 'hgood', interface: 'd0', ips: ['10.88.0.3/24'] }, { name: 'hgood', interface: 'd0', ips: ['10.88.0.4/24'] }])],
      expected: {
        check: CheckKind.ATTACH, from: `lab/p${i}:d0`, to: '-', network: 'hgood', result: CheckResult.FAILED,
        reason: `lab/p${i}: 'metadata.annotations["k8s.v1.cni.cncf.io/networks"][1].interface' is used twice in the pod: got "d0"; give each attachment its own interface name`,
      },
    });
  }
  function inputCase(name: string, object: object, reason: string): void {
    const desc = safeText(describeObject(object));
    cases.push({ name, docs: [object], expected: { check: CheckKind.INPUT, from: desc, to: '-', network: '-', result: CheckResult.FAILED, reason: `${desc}: ${reason}` } });
  }
  const DNS_FIX = "use lowercase letters, digits, '-' and '.' (Kubernetes refuses other names)";
  for (const v of ['a;b', `x\nnetns exec y touch ${CANARY}`, 'UPPER', 'a$(id)']) {
    inputCase(`pod name ${shown(v)}`, podObject(v, [{ name: 'hgood' }]), `'metadata.name' is not a DNS-1123 subdomain: got ${shown(v)}; ${DNS_FIX}`);
  }
  inputCase('pod namespace with a semicolon', podObject('pns', [{ name: 'hgood' }], 'lab;x'),
    '\'metadata.namespace\' is not a DNS-1123 label: got "lab;x"; use lowercase letters, digits, \'-\' (Kubernetes refuses other names)');
  const deployment = (name: string, replicas: unknown, kind = 'Deployment') => ({
    apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'lab' },
    spec: {
      ...(kind === 'Job' ? { parallelism: replicas } : { replicas }),
      template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'hgood' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  });
  // refused by the manifest reader (not a whole number of pods)...
  for (const v of [-5, 'abc', Infinity, 1.5, -Infinity]) {
    inputCase(`replicas ${shown(v)}`, deployment(`d${cases.length}`, v),
      `'spec.replicas' must be a whole number from 0 to 2147483647: got ${typeof v === 'number' && !Number.isFinite(v) ? `"${v}"` : shown(v)}; write the number of pods, e.g. 3 (the workload is left out of the checks until then)`);
  }
  // ... or beyond what one verify run brings up
  for (const v of [1e9, 257, 2147483647]) {
    inputCase(`replicas ${shown(v)}`, deployment(`d${cases.length}`, v), `'spec.replicas' must be an integer from 0 to 256: got ${shown(v)}; verify brings up at most 256 pods per workload`);
  }
  inputCase('Job parallelism 1e9', deployment(`j${cases.length}`, 1e9, 'Job'), "'spec.parallelism' must be an integer from 0 to 256: got 1000000000; verify brings up at most 256 pods per workload");
  inputCase('33 attachments on one pod', podObject(`many${cases.length}`, Array.from({ length: 33 }, (_, k) => ({ name: 'hgood', interface: `n${k}` }))),
    '\'metadata.annotations["k8s.v1.cni.cncf.io/networks"]\' selects more networks than verify attaches to one pod: got 33; attach at most 32 networks per pod');
  // 9. a NAD name that is not a Kubernetes name
  {
    const i = cases.length;
    const nad = 'h;x';
    cases.push({
      name: 'NAD name with a semicolon',
      docs: [nadObject(nad, nadText('hx', { type: 'macvlan', master: 'eth1', ipam: { type: 'static' } })), podObject(`p${i}`, [{ name: nad }])],
      expected: { check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: nad, result: CheckResult.FAILED, reason: `NetworkAttachmentDefinition lab/h;x: 'metadata.name' is not a DNS-1123 subdomain: got "h;x"; ${DNS_FIX}` },
    });
  }
  // 10. a bridge that collides with an uplink of another NAD on the node: that NAD fails, not the run
  {
    const i = cases.length;
    cases.push({
      name: 'a bridge named like another NAD\'s uplink',
      docs: [
        nadObject('hup', nadText('hup', { type: 'macvlan', master: 'hcol0', mode: 'bridge', ipam: { type: 'static', addresses: [{ address: '10.99.0.1/24' }] } })),
        nadObject(`h${i}`, nadText(`h${i}`, { type: 'bridge', bridge: 'hcol0', ipam: { type: 'static', addresses: [{ address: '10.99.1.1/24' }] } })),
        podObject(`p${i}`, [{ name: `h${i}` }]),
        podObject(`q${i}`, [{ name: 'hup' }]),
      ],
      expected: {
        check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: `h${i}`, result: CheckResult.FAILED,
        reason: new RegExp(`^NetworkAttachmentDefinition lab/h${i}: the node bridge "hcol0" \\('spec\\.config\\.bridge'\\) cannot be set up here: node \\d: 'link add name hcol0 type bridge' failed: RTNETLINK answers: File exists$`),
      },
    });
  }
  // 11. default-route gateways: checked as addresses in the plan (row on the pod), never a batch token;
  // the default destination ::/0 is a token verify writes itself, never one an input gives
  for (const v of [`::/0\nnetns exec x touch ${CANARY}`, '::/0', '0.0.0.0/0', '10.88.0.1 dev lo', '10.88.0.1\nroute del default', '::1#', `$(touch ${CANARY})`, 'fd00::1%net1']) {
    const i = cases.length;
    cases.push({
      name: `default-route gateway ${shown(v)}`,
      docs: [podObject(`p${i}`, [{ name: 'hgood', ips: ['10.88.1.1/24'], 'default-route': ['10.88.1.254', v] }])],
      expected: {
        check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: 'hgood', result: CheckResult.FAILED,
        reason: `lab/p${i}: 'metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].default-route[1]' is not an IP address: got ${shown(v)}; write the gateway address without prefix`,
      },
    });
  }
  {
    const i = cases.length;
    cases.push({
      name: 'default-route as a string',
      docs: [podObject(`p${i}`, [{ name: 'hgood', ips: ['10.88.1.2/24'], 'default-route': '10.88.1.254\nnetns add x' }])],
      expected: {
        check: CheckKind.ATTACH, from: `lab/p${i}:net1`, to: '-', network: 'hgood', result: CheckResult.FAILED,
        reason: `lab/p${i}: 'metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].default-route' must be a list of gateway addresses: got "10.88.1.254\\nnetns add x"; write ["10.1.0.1"]`,
      },
    });
  }

  /** The good pair: must pass next to all of the above. */
  const GOOD = [
    GOOD_NAD,
    podObject('good-a', [{ name: 'hgood', interface: 'g0', ips: ['10.88.0.1/24'] }]),
    podObject('good-b', [{ name: 'hgood', interface: 'g0', ips: ['10.88.0.2/24'] }]),
  ];
  return { cases, good: GOOD };
}
