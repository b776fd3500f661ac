import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { App, Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { ManifestObject } from '../../lib/cli/manifests';
import { CheckKind, EmulatedEngine, EngineContext, VerifyEngine, VerifyOptions, VerifyReport, verifyObjects } from '../../lib/cli/verify';
import { multusEngine } from '../../lib/cli/verify/multus-engine';
import { ApiEndpoint } from '../../lib/toolchain/kube-client';

/**
 * Helpers of the two-engine tests: inputs (examples, the real-world corpus), a recorder that
 * reads every pod namespace's addresses and routes once the attach phase is over, and a run of
 * both engines on the same input with what differs between them.
 */

/** What one pod interface holds after the attach phase. */
export interface Observed {
  readonly addresses: string[];
  readonly routes: string[];
}

/** Observations by `<pod display>:<ifname>`. */
export type Observations = Map<string, Observed>;

function ipJson(args: string[]): any[] {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout || '[]');
  } catch {
    return [];
  }
}

/** Wraps an engine factory: before the pings, every planned interface's addresses and routes are recorded. */
export function recording(factory: (c: EngineContext) => VerifyEngine, sink: Observations): (c: EngineContext) => VerifyEngine {
  return (context) => {
    const engine = factory(context);
    let planned: Array<{ display: string; index: number; ifnames: string[] }> = [];
    return {
      unsupported: (a) => engine.unsupported(a),
      setup: async (plan, runnable) => {
        planned = plan.pods.map((p) => ({ display: p.display, index: p.index, ifnames: p.attachments.map((a) => a.ifname) }));
        return engine.setup(plan, runnable);
      },
      attach: (a) => engine.attach(a),
      settle: async () => {
        for (const p of planned) {
          const ns = `${context.prefix}-pod${p.index}`;
          if (!fs.existsSync(path.join('/var/run/netns', ns))) continue;
          const links = ipJson(['-n', ns, '-j', 'addr', 'show']);
          const routes = ipJson(['-n', ns, '-j', 'route', 'show', 'table', 'all']);
          for (const ifname of p.ifnames) {
            const link = links.find((l) => l.ifname === ifname);
            if (!link) continue;
            sink.set(`${p.display}:${ifname}`, {
              addresses: (link.addr_info ?? []).filter((x: any) => x.scope !== 'link').map((x: any) => `${x.local}/${x.prefixlen}`).sort(),
              routes: routes.filter((r: any) => r.dev === ifname && r.type !== 'local' && r.type !== 'broadcast' && r.type !== 'multicast' && r.dst !== 'fe80::/64')
                .map((r: any) => `${r.table ?? 'main'} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}`).sort(),
            });
          }
        }
        return engine.settle();
      },
      ping: (jobs) => engine.ping(jobs),
      detach: (a, o) => engine.detach(a, o),
      teardown: () => engine.teardown(),
      cancel: () => engine.cancel(),
      stats: () => engine.stats(),
    };
  };
}

/** The objects of every example chart, by chart id. */
export function exampleInputs(): Array<{ name: string; objects: ManifestObject[] }> {
  const app: App = Testing.app();
  buildExamples(app);
  return app.charts.map((c) => ({ name: `example ${c.node.id}`, objects: c.toJson().map((object: unknown, index: number) => ({ file: c.node.id, index, object })) }));
}

/** The objects of every test/corpus/<folder>/upstream.yaml. */
export function corpusInputs(): Array<{ name: string; objects: ManifestObject[] }> {
  const root = path.resolve(__dirname, '..', 'corpus');
  return fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().map((folder) => {
    const file = path.join(root, folder, 'upstream.yaml');
    const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS()).filter((o) => o !== null && o !== undefined)
      .map((object, index) => ({ file, index, object }));
    return { name: `corpus ${folder}`, objects };
  });
}

/** The binaries of the Multus engine and the API server it uses. */
export interface MultusSetup {
  readonly multus: string;
  readonly apiServer: ApiEndpoint;
}

/** A row's identity and what both engines must agree on. */
export function rowKey(c: VerifyReport['checks'][number]): string {
  return `${c.check} ${c.from} -> ${c.to} (${c.network})`;
}

/** What a row must equal across engines: the result, and for a passed attach row its addresses. */
export function rowValue(c: VerifyReport['checks'][number]): string {
  return c.check === CheckKind.ATTACH && c.result === 'passed' ? `${c.result} ${c.reason}` : c.result;
}

/** One difference between the engines. */
export interface Divergence {
  readonly input: string;
  readonly what: string;
  readonly emulated: string;
  readonly multus: string;
}

/** Both engines on the same objects (same plugins), with their reports, observations and differences. */
export async function runBoth(name: string, objects: readonly ManifestObject[], setup: MultusSetup, options: VerifyOptions = {}): Promise<{
  emulated: VerifyReport; multus: VerifyReport; divergences: Divergence[];
}> {
  const seenE: Observations = new Map();
  const seenM: Observations = new Map();
  const emulated = await verifyObjects(objects, { ...options, engine: recording((c) => new EmulatedEngine(c), seenE) });
  const multus = await verifyObjects(objects, { ...options, engine: recording(multusEngine({ multus: setup.multus, apiServer: setup.apiServer }), seenM) });
  const divergences: Divergence[] = [];
  const rowsE = new Map(emulated.checks.map((c) => [rowKey(c), c]));
  const rowsM = new Map(multus.checks.map((c) => [rowKey(c), c]));
  for (const k of [...new Set([...rowsE.keys(), ...rowsM.keys()])].sort()) {
    const e = rowsE.get(k);
    const m = rowsM.get(k);
    const ve = e ? rowValue(e) : 'absent';
    const vm = m ? rowValue(m) : 'absent';
    if (ve !== vm) divergences.push({ input: name, what: k, emulated: `${ve}${e?.reason && e.result !== 'passed' ? `: ${e.reason}` : ''}`, multus: `${vm}${m?.reason && m.result !== 'passed' ? `: ${m.reason}` : ''}` });
  }
  for (const k of [...new Set([...seenE.keys(), ...seenM.keys()])].sort()) {
    const e = seenE.get(k);
    const m = seenM.get(k);
    for (const field of ['addresses', 'routes'] as const) {
      const ve = e ? e[field].join(', ') : 'absent';
      const vm = m ? m[field].join(', ') : 'absent';
      if (ve !== vm) divergences.push({ input: name, what: `${field} of ${k}`, emulated: ve, multus: vm });
    }
  }
  return { emulated, multus, divergences };
}
