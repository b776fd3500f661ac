import { App, Chart, Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { ExternalNad, LintReport, formatFinding, lintObjects } from '../../lib/cli/lint';
import { ManifestObject } from '../../lib/cli/manifests';
import { CniConfig } from '../../lib/cni/config';
import { UncheckedPlugin } from '../../lib/cni/plugin';
import { Severity } from '../../lib/cni/problem';
import { ExternalNetwork } from '../../lib/external-network';
import { PreinstalledCniPlugins } from '../../lib/installers/inventory';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';
import { NetworkFunction } from '../../lib/network-function';

/**
 * Everything synth emits passes lint (issue 14 item 4): the constructs and the command check with
 * one rulebook (lib/topology), so the objects an App writes, read back by lint, have no error.
 * External networks are declared to lint as the App declares them (`lint --external ns/name`).
 */

/** The objects of every chart of an App, as lint reads them from dist/. */
function synthesized(app: App): ManifestObject[] {
  return app.charts.flatMap((chart) => chart.toJson().map((object: unknown, index: number) => ({ file: `${chart.node.id}.k8s.yaml`, index, object })));
}

/** The ExternalNetworks of an App, as `--external` takes them. */
function externalsOf(app: App): ExternalNad[] {
  return app.node.findAll().filter((c): c is ExternalNetwork => c instanceof ExternalNetwork).map((e) => ({ namespace: e.namespace, name: e.name }));
}

function errorsOf(r: LintReport): string[] {
  return r.findings.filter((f) => f.severity === Severity.ERROR).map(formatFinding);
}

const IMAGE = 'docker.io/library/busybox:1.37';

describe('everything synth emits passes lint', () => {
  test('every example (examples/**), all charts together', () => {
    const app = Testing.app();
    buildExamples(app);
    const objects = synthesized(app);
    // not an empty comparison: the examples hold NADs and workloads that attach to them
    expect(objects.filter((o) => (o.object as any).kind === 'NetworkAttachmentDefinition').length).toBeGreaterThan(5);
    const r = lintObjects(objects, { external: externalsOf(app) });
    expect(errorsOf(r)).toEqual([]);
  });

  /** An App with a plugin outside the model (UncheckedPlugin) and NADs that live elsewhere (ExternalNetwork). */
  function escapeHatchApp(): App {
    const app = Testing.app();
    const c = new Chart(app, 'edge', { namespace: 'edge' });
    new PreinstalledCniPlugins(c, 'Preinstalled', { types: ['ib-sriov'] });
    // the unchecked plugin's own JSON declares the capabilities the attachments use
    const ib = new NetworkAttachmentDefinition(c, 'Ib', {
      metadata: { name: 'ib' },
      config: CniConfig.list([new UncheckedPlugin('ib-sriov', { pkey: '0x6', capabilities: { ips: true, mac: true, infinibandGUID: true } })]),
      resourceName: 'mellanox.com/ib_vf',
    });
    const lan = new ExternalNetwork(c, 'Lan', { name: 'macvlan-conf', namespace: 'kube-system' });
    const vf = new ExternalNetwork(c, 'Vf', { name: 'sriov-n3', namespace: 'sriov', resourceName: 'intel.com/sriov_netdevice' });
    const nf = new NetworkFunction(c, 'Upf', { containers: [{ name: 'upf', image: IMAGE }] });
    nf.attach(ib, { interface: 'ib0', ips: ['10.8.0.5/24'], mac: '02:00:00:08:00:05', infinibandGuid: '00:11:22:33:44:55:66:77' });
    nf.attach(lan, { interface: 'lan0', ips: ['10.2.0.5/24'], defaultRoute: ['10.2.0.1'] });
    nf.attach(vf, { interface: 'n3' });
    return app;
  }

  test('an App with an UncheckedPlugin and ExternalNetworks, external NADs declared with --external', () => {
    const app = escapeHatchApp();
    const objects = synthesized(app);
    expect(errorsOf(lintObjects(objects, { external: externalsOf(app) }))).toEqual([]);
    // the same output without the declarations: lint names each external NAD (the test can fail)
    expect(lintObjects(objects).findings.filter((f) => f.severity === Severity.ERROR).map((f) => f.value)).toEqual(['macvlan-conf', 'sriov-n3']);
  });
});
