import * as path from 'path';
import { LintFinding, lintManifests } from '../../lib/cli/lint';
import { Severity } from '../../lib/cni/problem';

/**
 * The lint false positives the real-world corpus showed (issue 14 item 4), each checked on the
 * corpus file that showed it, and the upstream bugs that stay errors with a clear message.
 */

const CORPUS = path.resolve(__dirname, '..', 'corpus');
const lint = (folder: string) => lintManifests([path.join(CORPUS, folder, 'upstream.yaml')]);
const brief = (f: LintFinding) => [f.severity, f.object, f.field, f.message];

describe('the rulebook on the real-world corpus', () => {
  test('ovn-kubernetes-multihoming: OVN-K reads ips and mac from the annotation (no capability finding); ips on a network with subnets is the upstream contradiction, an error', () => {
    const r = lint('ovn-kubernetes-multihoming');
    expect(r.findings.filter((f) => /capability/.test(f.message))).toEqual([]);
    expect(r.findings.filter((f) => f.severity === Severity.ERROR).map(brief)).toEqual([
      [Severity.ERROR, 'Pod ns1/tinypod', 'metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].ips',
        'is requested on an OVN-Kubernetes network that allocates from its subnets (10.100.200.0/24); OVN-K honours static ips only on layer2 and localnet networks without subnets'],
    ]);
  });

  test.each(['ovn-kubernetes-multihoming', 'sriov-device-plugin-examples', 'onap-starlingx-vfw-sriov', 'onap-kud-vfw'])(
    '%s: a config name other than the NAD name is no finding (Multus keeps the config name)', (folder) => {
      expect(lint(folder).findings.filter((f) => f.field === 'spec.config.name')).toEqual([]);
    });

  test('ovs-cni-demo: the ovs-cni marker resource without requests is a warning (ovs needs no device), not an error', () => {
    const r = lint('ovs-cni-demo');
    const marker = (n: number) => `is requested 0 time(s) but ${n} attachment(s) name it: their plugins work without its device, but the scheduler may place the pod on a node that lacks the resource`;
    // samplepod-2 and -3 attach to ovs-ipam-net (static IPAM without addresses), no longer refused as a config
    expect(r.findings.filter((f) => f.field.startsWith('resources.')).map(brief)).toEqual([
      [Severity.WARNING, 'Pod samplepod-1', 'resources.ovs-cni.network.kubevirt.io/br1', marker(2)],
      [Severity.WARNING, 'Pod samplepod-2', 'resources.ovs-cni.network.kubevirt.io/br1', marker(1)],
      [Severity.WARNING, 'Pod samplepod-3', 'resources.ovs-cni.network.kubevirt.io/br1', marker(1)],
    ]);
  });

  test('ovs-cni-demo: static IPAM without addresses is checked per attachment, once: the ips reach it as CNI_ARGS IP= (a warning), no config error', () => {
    const r = lint('ovs-cni-demo');
    expect(r.errors).toBe(0);
    expect(r.findings.filter((f) => /CNI_ARGS/.test(f.message)).map((f) => [f.severity, f.object, f.message])).toEqual([2, 3].map((n) => [
      Severity.WARNING, `Pod samplepod-${n}`,
      `reaches default/ovs-ipam-net only as IP=10.10.10.${n - 1}/24 in CNI_ARGS, Multus's deprecated path (still working in Multus 4.3.0), because no plugin declares the 'ips' capability`,
    ]));
  });

  test.each([
    ['free5gc-helm', 'Deployment free5gc/free5gc-helm-free5gc-upf-iupf1', 4],
    ['cnf-testbed-multus-sriov-gw', 'Deployment multus-gw', 2],
    ['onap-starlingx-vfw-sriov', 'Deployment default/firewall-sriov', 2],
  ] as const)('%s: several IPAM default routes on one pod stay an error that says what the plugins do (%s)', (folder, object, n) => {
    const f = lint(folder).findings.find((x) => x.object === object && /default routes through the IPAM routes/.test(x.message));
    expect(f?.severity).toBe(Severity.ERROR);
    expect(f?.message).toBe(`give the pod ${n} IPv4 default routes through the IPAM routes of their networks`);
    expect(f?.fix).toBe("keep the 0.0.0.0/0 route in one network's IPAM only (the plugins add every one: IPv4 then sends through the last attached, IPv6 spreads flows over all of them)");
  });

  test('free5gc-helm: the non-functional gateway key stays an error naming default-route', () => {
    const gateway = lint('free5gc-helm').findings.filter((f) => f.field.endsWith('.gateway'));
    expect(gateway.length).toBeGreaterThan(0);
    expect(gateway.every((f) => f.severity === Severity.ERROR && f.message === 'is not a NetworkSelectionElement key, so Multus ignores it')).toBe(true);
  });
});
