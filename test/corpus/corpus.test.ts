import * as fs from 'fs';
import * as path from 'path';
import { ExternalNad, lintManifests } from '../../lib/cli/lint';
import { parseManifests } from '../../lib/cli/manifests';
import { FindingKind, LINT_FINDINGS } from './lint-findings';

/**
 * The real-world corpus (issues 13 and 14): every folder records what one public deployment
 * renders (its NADs and the workloads that select them), written from reading its source at a
 * named commit, upstream's text as upstream writes it. These tests keep the corpus honest, and
 * assert what lint reports on each (lint-findings.ts).
 */

const CORPUS = __dirname;
const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const DEFAULT_NETWORK = 'v1.multus-cni.io/default-network';
const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

const FOLDERS = fs.readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface Source {
  readonly repository?: string;
  readonly commit?: string;
  readonly filesRead: string[];
  /** `name` or `namespace/name` of networks the deployment selects but does not define. */
  readonly external: string[];
}

function readSource(folder: string): Source {
  const text = fs.readFileSync(path.join(CORPUS, folder, 'SOURCE.md'), 'utf8');
  const repository = /^- Repository: `([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)`/m.exec(text)?.[1];
  const commit = /^- Commit: `([0-9a-f]{40})`/m.exec(text)?.[1];
  const filesBlock = /^- Files read:\n((?: {2}- .*\n)+)/m.exec(text)?.[1] ?? '';
  const filesRead = [...filesBlock.matchAll(/^ {2}- `([^`]+)`/gm)].map((m) => m[1]);
  const externalLine = /^- External networks: (.*)$/m.exec(text)?.[1] ?? '';
  const external = [...externalLine.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  return { repository, commit, filesRead, external };
}

/** The objects of upstream.yaml, read as kubectl reads them (lib/cli/manifests.ts). */
function readObjects(folder: string): { objects: any[]; errors: string[] } {
  const file = path.join(CORPUS, folder, 'upstream.yaml');
  const { objects, problems } = parseManifests(fs.readFileSync(file, 'utf8'), file);
  return { objects: objects.map((o) => o.object), errors: problems.map((p) => p.message) };
}

/** The external networks of SOURCE.md, as lint takes them (a name alone is in `default`). */
function externalNads(source: Source): ExternalNad[] {
  return source.external.map((e) => {
    const slash = e.indexOf('/');
    return slash >= 0 ? { namespace: e.slice(0, slash), name: e.slice(slash + 1) } : { namespace: 'default', name: e };
  });
}

/** The pod template metadata of a workload (the object itself for a Pod). */
function podMetadata(o: any): any {
  switch (o.kind) {
    case 'Pod': return o.metadata;
    case 'CronJob': return o.spec?.jobTemplate?.spec?.template?.metadata;
    default: return o.spec?.template?.metadata;
  }
}

interface Selection {
  readonly name: string;
  readonly namespace?: string;
}

/**
 * Network names selected by a Multus annotation, read as Multus reads it: a JSON list when the text
 * starts with `[`, else comma-separated `[namespace/]name[@interface]` items (each trimmed).
 */
function selections(text: string): Selection[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const list = JSON.parse(trimmed) as Array<{ name: string; namespace?: string }>;
    return list.map((e) => ({ name: e.name, namespace: e.namespace }));
  }
  return trimmed.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => {
    const noIf = item.split('@')[0];
    const slash = noIf.indexOf('/');
    return slash >= 0 ? { namespace: noIf.slice(0, slash), name: noIf.slice(slash + 1) } : { name: noIf };
  });
}

function nadKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'default'}/${name}`;
}

function indexNames(): string[] {
  const text = fs.readFileSync(path.join(CORPUS, 'README.md'), 'utf8');
  return [...text.matchAll(/^\| \[([a-z0-9-]+)\]\(\1\/SOURCE\.md\) \|/gm)].map((m) => m[1]).sort();
}

describe('real-world corpus: the data', () => {
  test('there are at least 10 deployments', () => {
    expect(FOLDERS.length).toBeGreaterThanOrEqual(10);
  });

  test('the folders are exactly the index of README.md', () => {
    expect(indexNames()).toEqual(FOLDERS);
  });

  test('no two folders record the same repository at the same files', () => {
    const keys = FOLDERS.map((f) => { const s = readSource(f); return `${s.repository}:${[...s.filesRead].sort().join(',')}`; });
    expect(new Set(keys).size).toBe(keys.length);
  });

  describe.each(FOLDERS)('%s', (folder) => {
    const source = readSource(folder);

    test('SOURCE.md names a repository, a 40-hex commit and the files read', () => {
      expect(source.repository).toMatch(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.filesRead.length).toBeGreaterThan(0);
    });

    test('upstream.yaml reads as kubectl reads it, and holds NADs and workloads that select them', () => {
      const { objects, errors } = readObjects(folder);
      expect(errors).toEqual([]);
      expect(objects.every((o) => typeof o?.kind === 'string' && typeof o?.metadata?.name === 'string')).toBe(true);
      expect(objects.some((o) => o.kind === 'NetworkAttachmentDefinition')).toBe(true);
      expect(objects.some((o) => WORKLOAD_KINDS.includes(o.kind) && podMetadata(o)?.annotations?.[NETWORKS] !== undefined)).toBe(true);
    });

    test('every NAD spec.config (when present) is valid JSON naming a plugin', () => {
      const nads = readObjects(folder).objects.filter((o) => o.kind === 'NetworkAttachmentDefinition');
      for (const nad of nads) {
        const config = nad.spec?.config;
        if (config === undefined) continue;
        expect(typeof config).toBe('string');
        let parsed: any;
        expect(() => { parsed = JSON.parse(config); }).not.toThrow();
        const types = Array.isArray(parsed.plugins) ? parsed.plugins.map((p: any) => p.type) : [parsed.type];
        expect(types.every((t: unknown) => typeof t === 'string' && t !== '')).toBe(true);
      }
    });

    test('every selected network resolves to a NAD of the folder or is listed as external', () => {
      const { objects } = readObjects(folder);
      const nads = new Set(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition')
        .map((o) => nadKey(o.metadata.namespace, o.metadata.name)));
      const external = new Set(source.external);
      const unresolved: string[] = [];
      const usedExternal = new Set<string>();
      for (const o of objects.filter((x) => WORKLOAD_KINDS.includes(x.kind))) {
        const annotations = podMetadata(o)?.annotations ?? {};
        const namespace = o.metadata.namespace;
        const selected: Selection[] = [];
        if (typeof annotations[NETWORKS] === 'string') selected.push(...selections(annotations[NETWORKS]));
        if (typeof annotations[DEFAULT_NETWORK] === 'string') selected.push(...selections(annotations[DEFAULT_NETWORK]));
        // the corpus records only workloads that select a network
        if (selected.length === 0) unresolved.push(`${o.kind} ${o.metadata.name}: selects no network`);
        for (const s of selected) {
          const key = nadKey(s.namespace ?? namespace, s.name);
          const named = s.namespace !== undefined ? `${s.namespace}/${s.name}` : s.name;
          if (nads.has(key)) continue;
          if (external.has(named)) { usedExternal.add(named); continue; }
          if (external.has(key)) { usedExternal.add(key); continue; }
          unresolved.push(`${o.kind} ${o.metadata.name}: ${named}`);
        }
      }
      expect(unresolved).toEqual([]);
      // an external network listed but never selected is a stale entry
      expect(source.external.filter((e) => !usedExternal.has(e))).toEqual([]);
    });
  });
});

describe('real-world corpus: lint (in-process) reports exactly the expected findings', () => {
  const rows: Array<{ folder: string; objects: number; errors: number; warnings: number; bugs: number; disagreements: number }> = [];

  test('every folder has its expected findings, and nothing else is listed', () => {
    expect(Object.keys(LINT_FINDINGS).sort()).toEqual(FOLDERS);
  });

  test.each(FOLDERS)('%s', (folder) => {
    const file = path.join(CORPUS, folder, 'upstream.yaml');
    const r = lintManifests([file], { external: externalNads(readSource(folder)) });
    expect(r.readProblems).toEqual([]);
    expect(r.objects).toBe(readObjects(folder).objects.length);
    const expected = LINT_FINDINGS[folder] ?? [];
    expect(r.findings.map((f) => `${f.severity} ${f.object} ${f.field}: ${f.message}`)).toEqual(expected.map(([, text]) => text));
    expect(r.errors + r.warnings).toBe(r.findings.length);
    rows.push({
      folder, objects: r.objects, errors: r.errors, warnings: r.warnings,
      bugs: expected.filter(([kind]) => kind === FindingKind.UPSTREAM_BUG).length,
      disagreements: expected.filter(([kind]) => kind === FindingKind.LIBRARY_DISAGREES_WITH_MULTUS).length,
    });
  });

  test('every upstream bug SOURCE.md names as such is among the findings of its folder', () => {
    // the bugs the corpus author found reading the sources, and the finding that reports each
    const named: Array<[string, RegExp]> = [
      ['antrea-multus-cookbook', /ipam\.datastore: belongs to the etcd backend/],
      ['cnf-testbed-multus-sriov-gw', /Deployment multus-gw .*2 IPv4 default routes/],
      ['free5gc-helm', /free5gc-helm-free5gc-upf-iupf1 .*4 IPv4 default routes/],
      ['free5gc-helm', /\.gateway: is not a NetworkSelectionElement key, so Multus ignores it/],
      ['onap-starlingx-vfw-sriov', /spec\.config\.cniVersion: is missing, which the plugins read as 0\.1\.0/],
      ['onap-starlingx-vfw-sriov', /firewall-sriov .*2 IPv4 default routes/],
      ['sriov-device-plugin-examples', /sriov-dpdk-net2000 spec\.config\.cniVersion: is missing/],
      ['ovn-kubernetes-multihoming', /ips: is requested on an OVN-Kubernetes network that allocates from its subnets/],
      ['ovs-cni-demo', /samplepod-1 resources\.ovs-cni\.network\.kubevirt\.io\/br1: is requested 0 time\(s\)/],
    ];
    for (const [folder, finding] of named) {
      expect(LINT_FINDINGS[folder].filter(([kind, text]) => kind === FindingKind.UPSTREAM_BUG && finding.test(text)).length).toBeGreaterThan(0);
    }
  });

  afterAll(() => {
    if (rows.length === 0) return;
    const header = '| deployment | objects | errors | warnings | upstream bugs | library disagrees with Multus |';
    const lines = rows.map((r) => `| ${r.folder} | ${r.objects} | ${r.errors} | ${r.warnings} | ${r.bugs} | ${r.disagreements} |`);
    console.log(['lint findings on the real-world corpus:', header, '|---|---|---|---|---|---|', ...lines].join('\n'));
  });
});
