import { Testing } from 'cdk8s';
import { FiveGChart } from '../../examples/five-g/chart';
import { FiveGDraChart } from '../../examples/five-g-dra/chart';
import { LinkType, buildPluginConfig, toConfigList, tryAttachment } from '../../lib/cli/dataplane';
import { parseNetworksAnnotation } from '../../lib/multus/selection-element';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';

/**
 * One attachment, two renderings: what each CNI plugin receives on stdin when Multus runs the
 * NAD for a pod's selection element (libcni with the element's capability arguments) equals what
 * it receives when cni-dra-driver runs the config of the pod's claim (libcni without capability
 * arguments; the per-pod values are in the config). Then the claims' configs run through the real
 * plugins, as verify runs a NAD's.
 */

const annotation = Testing.synth(new FiveGChart(Testing.app(), 'five-g'));
const dra = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra'));

/** Every (namespace, workload, interface) of the annotation rendering, with its NAD config and element. */
function multusAttachments() {
  const out: { key: string; namespace: string; nadConfig: any; element: any }[] = [];
  for (const w of annotation.filter((o) => o.kind === 'Deployment')) {
    const text = w.spec.template.metadata?.annotations?.['k8s.v1.cni.cncf.io/networks'];
    if (!text) continue;
    for (const e of parseNetworksAnnotation(text).elements) {
      const nad = annotation.find((o) => o.kind === 'NetworkAttachmentDefinition' && o.metadata.name === e.name && o.metadata.namespace === (e.namespace ?? w.metadata.namespace));
      out.push({ key: `${w.metadata.namespace}/${w.metadata.name}/${e.interface}`, namespace: w.metadata.namespace, nadConfig: JSON.parse(nad.spec.config), element: e });
    }
  }
  return out;
}

/** Every (namespace, workload, interface) of the DRA rendering, with the claim's parameters. */
function claimAttachments() {
  const out = new Map<string, any>();
  for (const w of dra.filter((o) => o.kind === 'Deployment')) {
    for (const rc of w.spec.template.spec.resourceClaims) {
      const t = dra.find((o) => o.kind === 'ResourceClaimTemplate' && o.metadata.namespace === w.metadata.namespace && o.metadata.name === rc.resourceClaimTemplateName);
      const params = t.spec.spec.devices.config[0].opaque.parameters;
      out.set(`${w.metadata.namespace}/${w.metadata.name}/${params.ifName}`, params);
    }
  }
  return out;
}

describe('the 5G example: the claim of each attachment carries what Multus gives the plugins for it', () => {
  const multus = multusAttachments();
  const claims = claimAttachments();

  test('both renderings have the same attachments (the UPF\'s default route aside)', () => {
    expect([...claims.keys()].sort()).toEqual(multus.map((m) => m.key).sort());
    expect(multus.filter((m) => m.element['default-route'] !== undefined).map((m) => m.key)).toEqual(['fivegc-up/upf-0/n6', 'fivegc-up/upf-1/n6']);
  });

  test('the claim\'s config without runtimeConfig equals the NAD\'s spec.config, and every plugin\'s stdin is the same under both runtimes', () => {
    expect(multus.length).toBe(10);
    for (const m of multus) {
      const params = claims.get(m.key);
      const stripped = { ...params.config, plugins: params.config.plugins.map(({ runtimeConfig: _rc, ...p }: any) => p) };
      expect([m.key, stripped]).toEqual([m.key, m.nadConfig]);
      const nadList = toConfigList(m.nadConfig);
      const claimList = toConfigList(params.config);
      const capabilityArgs = { ips: m.element.ips, mac: m.element.mac };
      nadList.plugins.forEach((_p, i) => {
        expect([m.key, i, buildPluginConfig(claimList, i, {})]).toEqual([m.key, i, buildPluginConfig(nadList, i, { capabilityArgs })]);
      });
      expect(params.ifName).toBe(m.element.interface);
    }
  });
});

describe('the claims\' configs run through the real plugins (verify\'s attachment runner; no capability arguments, as cni-dra-driver)', () => {
  printSkipSummary('test/dra/renderings-equal.test.ts');
  const claims = claimAttachments();
  // every claim of the example (ten interfaces), each through the real plugins it names
  test('there are ten claims to run', () => expect(claims.size).toBe(10));
  for (const key of [...claims.keys()].sort()) {
    const params = claims.get(key);
    const plugin = params.config.plugins[0].type;
    dataplaneTest(`${key}: ${plugin} with the claim's runtimeConfig gets the claim's address`, { plugins: [plugin, 'static'], links: [plugin === 'bridge' ? LinkType.BRIDGE : LinkType.MACVLAN] }, () => {
      const r = tryAttachment({ config: params.config, ifname: params.ifName, podNamespace: key.split('/')[0], podName: key.split('/')[1] });
      expect([r.outcome, r.failure]).toEqual(['passed', undefined]);
      expect(r.ips).toEqual(params.config.plugins[0].runtimeConfig.ips);
      expect(r.podInterfaces.map((l) => l.name)).toContain(params.ifName);
      expect(r.del?.ok).toBe(true);
      expect(r.cleanup).toEqual({ namespaces: [], dirs: [] });
    }, 60_000);
  }
});
