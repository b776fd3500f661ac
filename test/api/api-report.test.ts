import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as root from '../../lib';
import * as kit from '../../lib/plugin-kit';
import { apiReports, ENTRY_POINTS } from '../../scripts/api-report';

/**
 * The public surface is deliberate: the API reports of the entry points (api/*.api.md, written by
 * API Extractor from the declarations) must equal the committed ones, and the root exports what
 * users write with, not the model's internals.
 */

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('public API surface', () => {
  test('the API reports equal the committed ones (run `npm run api` to accept a deliberate change)', () => {
    expect(apiReports(true)).toEqual([]);
  }, 300_000);

  test('every entry point of package.json has a report, types for every resolution, and a source module', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(subpaths).toEqual(['.', './plugin-kit', './pulumi']);
    expect(ENTRY_POINTS.map(([, entry]) => entry)).toEqual(['lib/index', 'lib/plugin-kit', 'lib/pulumi/index']);
    for (const [i, sub] of subpaths.entries()) {
      const entry = ENTRY_POINTS[i][1];
      expect(pkg.exports[sub]).toEqual({ types: `./build/${entry}.d.ts`, default: `./build/${entry}.js` });
      if (sub !== '.') expect(pkg.typesVersions['*'][sub.slice(2)]).toEqual([`build/${entry}.d.ts`]);
      expect(fs.existsSync(path.join(__dirname, '..', '..', 'api', `${ENTRY_POINTS[i][0]}.api.md`))).toBe(true);
    }
  });

  test.each([
    'str', 'int', 'bool', 'field', 'checkFields', 'registerPlugin', 'registerIpam', 'ip', 'cidr', 'mac',
    'modelChanged', 'modelRevision', 'reportProblems', 'collectProblems', 'toDot', 'toMermaid',
    'CALICO_NODE_RULES', 'CILIUM_RULES', 'FLANNEL_CLUSTER_ROLE_RULES', 'KUBE_ROUTER_CLUSTER_ROLE_RULES', 'WHEREABOUTS_RBAC_RULES',
    'checkTopology', 'selectionElementProblems', 'isCidrText', 'poolCapacity',
    'draResourceCounts', 'injectRuntimeConfig', 'POD_TEMPLATE_POINTERS', 'networkClaimProblems', 'udnObjectProblems', 'cniVersionsProblems',
  ])('the root does not export the internal helper %s', (name) => {
    expect(Object.prototype.hasOwnProperty.call(root, name)).toBe(false);
  });

  test.each(['str', 'int', 'bool', 'field', 'checkFields', 'registerPlugin', 'registerIpam', 'ProblemSink', 'nestProblems'])(
    'plugin authors find %s in cdk8s-nfv/plugin-kit', (name) => {
      expect(typeof (kit as Record<string, unknown>)[name]).toBe('function');
    });

  test('the root exports the constructs, the model classes and the parsers users write with', () => {
    for (const name of ['NetworkAttachmentDefinition', 'Network', 'NetworkFunction', 'ExternalNetwork', 'MultiNetworkPolicy',
      'TopologyValidation', 'ReachabilityExpectation', 'CniConfig', 'MacvlanPlugin', 'HostLocalIpam', 'PluginsProfile',
      'parseCniConfig', 'lintCniConfig', 'parseNetworksAnnotation', 'Multus', 'CniPlugins', 'PreinstalledCniPlugins',
      'Fog05Entity', 'writeTopologyDiagram', 'IpAddress', 'Cidr']) {
      expect(typeof (root as Record<string, unknown>)[name]).toBe('function');
    }
    // fewer names than the 310 the root had when it re-exported every module whole (the attach
    // facility, the typed third-party plugins and the DRA/OVN-K builders added since; their checks
    // serve lint and stay internal)
    expect(Object.keys(root).length).toBeLessThan(260);
  });
});

describe('API reference', () => {
  const repo = path.join(__dirname, '..', '..');

  function listFiles(dir: string, base = dir): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
      ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]).sort();
  }

  test('docs/api is what `npm run docs` writes from the JSDoc now: one page per entry point', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-docs-'));
    try {
      const r = spawnSync(process.execPath,
        [path.join(repo, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', 'typedoc.config.mjs', '--out', out],
        { cwd: repo, encoding: 'utf8' });
      expect(r.status).toBe(0);
      // no links into what is not documented (every {@link} of the public JSDoc resolves)
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/warning/);
      const committed = path.join(repo, 'docs', 'api');
      expect(listFiles(committed)).toEqual(listFiles(out));
      expect(listFiles(out)).toEqual(['README.md', 'index/README.md', 'index/namespaces/nad.md', 'plugin-kit.md', 'pulumi.md']);
      for (const f of listFiles(out)) expect(fs.readFileSync(path.join(committed, f), 'utf8')).toBe(fs.readFileSync(path.join(out, f), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
