import { Testing } from 'cdk8s';
import { buildExamples } from '../examples/main';
import {
  TryAttachmentOptions,
  Unsupported,
  formatAttachmentReport,
  selectionAttachment,
  toConfigList,
  tryAttachment,
  unsupportedReasons,
  uplinksOf,
} from '../lib/cli/dataplane';
import { NETWORKS_ANNOTATION, parseNetworksAnnotation } from '../lib/multus';
import { gatedTest, printSkipSummary } from './cli/dataplane/gate';

/**
 * Every NetworkAttachmentDefinition the examples synthesize is run through the real CNI plugins
 * (ADD, then DEL) in throwaway namespaces, and must pass. A NAD is run once per pod attachment
 * that selects it (with that element's interface name, `ips`, `mac`... as Multus passes them),
 * or once as `net1` with no per-pod arguments when no example pod selects it. What cannot run on
 * this machine is skipped with the reason in the test name (and fails under
 * CDK8S_NFV_REQUIRE_DATAPLANE=1 unless the project's machines are documented not to have it).
 */

printSkipSummary('test/examples-dataplane.test.ts');

type K8sObject = {
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    config?: unknown;
    template?: { metadata?: { annotations?: Record<string, string> } };
    jobTemplate?: { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } };
  };
};

interface Case {
  readonly title: string;
  readonly config?: unknown;
  readonly options?: Omit<TryAttachmentOptions, 'config'>;
  readonly error?: string;
}

function podAnnotations(o: K8sObject): Record<string, string> | undefined {
  if (o.kind === 'Pod') return o.metadata?.annotations;
  return o.spec?.template?.metadata?.annotations ?? o.spec?.jobTemplate?.spec?.template?.metadata?.annotations;
}

/** The examples' uplinks carry at least the MTU their configs ask for (1500 otherwise). */
function uplinksFor(config: unknown): Array<{ name: string; mtu: number }> {
  const mtus = toConfigList(config).plugins.map((p) => (typeof p.mtu === 'number' ? p.mtu : 0));
  const mtu = Math.max(1500, ...mtus);
  return uplinksOf(config).map((u) => ({ name: u.name, mtu }));
}

function cases(): Case[] {
  const app = Testing.app();
  buildExamples(app);
  const objects = app.charts.flatMap((c) => (c.toJson() as K8sObject[]).map((o) => ({ chart: c.node.id, o })));
  const out: Case[] = [];
  for (const { chart, o } of objects) {
    if (o.kind !== 'NetworkAttachmentDefinition' || o.spec?.config === undefined) continue;
    const ns = o.metadata?.namespace ?? 'default';
    const id = `${chart}/${ns}/${o.metadata?.name}`;
    let config: unknown;
    try {
      config = JSON.parse(String(o.spec.config));
      toConfigList(config);
    } catch (e) {
      out.push({ title: `NAD ${id}`, error: `spec.config is not a CNI config: ${(e as Error).message}` });
      continue;
    }
    let selected = 0;
    for (const { chart: podChart, o: pod } of objects) {
      const text = podAnnotations(pod)?.[NETWORKS_ANNOTATION];
      if (text === undefined) continue;
      const podNs = pod.metadata?.namespace ?? 'default';
      parseNetworksAnnotation(text).elements.forEach((el, i) => {
        if (el.name !== o.metadata?.name || (el.namespace ?? podNs) !== ns) return;
        selected++;
        const sel = selectionAttachment(el);
        const ifname = sel.ifname ?? `net${i + 1}`;
        const what = [sel.runtime.ips ? `ips ${sel.runtime.ips.join(',')}` : '', sel.runtime.mac ? `mac ${sel.runtime.mac}` : ''].filter(Boolean).join(' ');
        out.push({
          title: `NAD ${id} as ${ifname} of ${pod.kind} ${podChart}/${podNs}/${pod.metadata?.name}${what ? ` (${what})` : ''}`,
          config,
          options: { ifname, runtime: sel.runtime, podCniArgs: sel.podCniArgs, podNamespace: podNs, podName: pod.metadata?.name, uplinks: uplinksFor(config) },
        });
      });
    }
    if (selected === 0) {
      out.push({ title: `NAD ${id} as net1 (selected by no example pod)`, config, options: { ifname: 'net1', uplinks: uplinksFor(config) } });
    }
  }
  return out;
}

const all = cases();

test('the examples synthesize NetworkAttachmentDefinitions to verify', () => {
  expect(all.length).toBeGreaterThan(0);
});

for (const c of all) {
  const name = `${c.title} is accepted by the real plugins (ADD, DEL)`;
  if (c.error !== undefined) {
    test(`fails: ${name}`, () => {
      throw new Error(c.error);
    });
    continue;
  }
  const reasons: Unsupported[] = unsupportedReasons(c.config, { runtime: c.options?.runtime });
  gatedTest(name, reasons, () => {
    const r = tryAttachment({ ...c.options, config: c.config });
    // the one-line report is the assertion message when it fails
    expect(formatAttachmentReport(r)).toMatch(/^passed /);
    expect(r.cleanup).toEqual({ namespaces: [], dirs: [] });
    expect(r.podInterfaces.map((l) => l.name)).toContain(r.ifname);
    const requested = c.options?.runtime?.ips ?? [];
    // a requested address reaches the pod when the NAD declares the ips capability
    const declares = toConfigList(c.config).plugins.some((p) => (p.capabilities as Record<string, unknown> | undefined)?.ips === true);
    if (declares) expect(r.ips).toEqual(expect.arrayContaining([...requested]));
  });
}
