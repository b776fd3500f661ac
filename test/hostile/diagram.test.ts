import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOMParser } from '@xmldom/xmldom';
import { diagramOfManifests, drawManifests } from '../../lib/cli/diagram';
import { ExitCode } from '../../lib/cli/main';
import { CliResult, runCli } from '../util/cli';
import { buildDiagram } from '../../lib/diagram/model';
import { DiagramFormat, dotToSvg, toDot, toMermaid } from '../../lib/diagram/render';
import { hasControlCharacters } from '../../lib/diagram/text';

// diagram against hostile input (issue 12, item 6): control characters never make the picture
// invalid, and one invalid object is drawn in part or left out, named in a warning.

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-hostile-diagram-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function nad(name: string, config: unknown = { cniVersion: '1.0.0', name, type: 'bridge', bridge: 'br0' }, namespace = 'a'): Record<string, unknown> {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace },
    spec: { config: typeof config === 'string' ? config : JSON.stringify(config) },
  };
}

function pod(name: string, networks: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a', annotations: { [NETWORKS]: networks } }, ...extra };
}

function file(name: string, objects: unknown[]): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  return p;
}

function diagram(args: string[]): Promise<CliResult> {
  return runCli(['diagram', ...args]);
}

/** Code points XML 1.0 forbids, written raw or as character references. */
function xmlInvalid(text: string): string[] {
  const bad: string[] = [];
  const ok = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
  for (const ch of text) if (!ok(ch.codePointAt(0)!)) bad.push(ch);
  for (const [, dec, hex] of text.matchAll(/&#(?:(\d+)|x([0-9a-fA-F]+));/g)) {
    const c = dec !== undefined ? Number(dec) : parseInt(hex, 16);
    if (!ok(c)) bad.push(`&#${dec ?? `x${hex}`};`);
  }
  return bad;
}

/** Errors of parsing the text as XML (well-formedness), plus its forbidden characters. */
function xmlErrors(svg: string): string[] {
  const errors: string[] = [];
  new DOMParser({ onError: (level: string, msg: string) => { if (level !== 'warning') errors.push(msg); } }).parseFromString(svg, 'image/svg+xml');
  return [...errors, ...xmlInvalid(svg).map((c) => `forbidden character ${JSON.stringify(c)}`)];
}

const ctrl = (text: string) => hasControlCharacters(text.replace(/\n/g, ''));

describe('control characters in names: the picture stays valid', () => {
  const hostile: [string, string][] = [
    ['U+0001', 'p\u0001x'],
    ['an ANSI escape', 'p\u001b[31mx'],
    ['a newline', 'p\nx'],
    ['a bidi override', 'p\u202ex'],
    ['a C1 control', 'p\u0085x'],
    ['an unpaired surrogate', 'p\ud800x'],
    ['U+FFFF', 'p\uffffx'],
  ];

  test.each(hostile)('%s in a pod name: SVG that parses as XML, exit 0, the character shown as an escape', async (_what, name) => {
    const f = file(`svg-${Buffer.from(name).toString('hex')}.yaml`, [nad('good'), pod(name, 'good')]);
    const r = await diagram([f]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.err).toBe('');
    expect(xmlErrors(r.out)).toEqual([]);
    const escaped = `p\\u${name.charCodeAt(1).toString(16).padStart(4, '0')}`;
    expect(r.out).toContain(escaped);
  });

  test('the check itself: raw U+0001 from Graphviz would be caught', async () => {
    const svg = await dotToSvg('graph g { a [label="x\u0001y"]; }');
    expect(xmlErrors(svg)).toEqual(['forbidden character "\\u0001"']);
  });

  test('markup in a name is text in the SVG, not an element', async () => {
    const f = file('markup.yaml', [nad('good'), pod('x</text><script>alert(1)</script>', 'good')]);
    const r = await diagram([f]);
    expect(r.code).toBe(ExitCode.OK);
    expect(xmlErrors(r.out)).toEqual([]);
    expect(r.out).not.toMatch(/<script/);
    expect(r.out).toContain('x&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('Mermaid: a newline and a quote in a name cannot start a new statement', () => {
    const d = diagramOfManifests([{ file: 'm', index: 0, object: nad('good') }, { file: 'm', index: 1, object: pod('p\n  click f1 call evil()"', 'good') }]);
    const text = toMermaid(d);
    expect(ctrl(text)).toBe(false);
    expect(text.split('\n').filter((l) => l.includes('click'))).toEqual(['  f1["p\\u000a  click f1 call evil()#quot;<br/>Pod · replicas: 1<br/>ns: a"]']);
  });

  test('DOT: an escape and a quote in an interface name stay inside their string', () => {
    const d = diagramOfManifests([{ file: 'm', index: 0, object: nad('good') }, { file: 'm', index: 1, object: pod('p', '[{"name":"good","interface":"e\\u001b\\"];"}]') }]);
    const text = toDot(d);
    expect(ctrl(text)).toBe(false);
    expect(text).toContain('tooltip="p e\\\\u001b\\"]; on good"');
  });
});

describe('one invalid object: the rest is drawn, and the object is named', () => {
  test('a NAD with a bad CNI name is drawn from its raw config, with a warning (exit 0)', async () => {
    const f = file('bad-name.yaml', [nad('good'), nad('bad', { cniVersion: '1.0.0', name: 'bad name!', type: 'macvlan', master: 'eth1' }), pod('p', 'good,bad')]);
    const r = await diagram([f, '--format', 'mermaid']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.err).toBe(`cdk8s-nfv diagram: warning: ${f}: NetworkAttachmentDefinition a/bad: drawn from its raw config: 'name' is not a valid CNI network name: got "bad name!"; start with a letter or digit and use only letters, digits, "_", "." and "-"\n`);
    expect(r.out).toContain('n1{{"bad<br/>macvlan<br/>master eth1<br/>ns: a"}}');
    expect(r.out).toContain('n2{{"good<br/>bridge<br/>bridge br0<br/>ns: a"}}');
  });

  test.each([
    ['-5', -5, '-5'],
    ['"abc"', 'abc', '"abc"'],
  ])('a Deployment with replicas %s is left out, named in a warning; the pod beside it is drawn', async (_label, replicas, shown) => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'a' }, spec: { replicas, template: { metadata: { annotations: { [NETWORKS]: 'good' } } } } };
    const f = file(`replicas-${_label.replace(/\W/g, '')}.yaml`, [nad('good'), bad, pod('p', 'good')]);
    const r = await diagram([f, '--format', 'dot']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.err).toBe(`cdk8s-nfv diagram: warning: ${f}: Deployment a/d: not drawn: 'spec.replicas' must be a whole number from 0 to 2147483647: got ${shown}; write the number of pods, e.g. 3 (the workload is left out of the checks until then)\n`);
    expect(r.out.match(/^ {2}f\d+ /gm)).toEqual(['  f1 ']);
  });

  test('a selection element whose name is a number: that attachment is not drawn, the others are', async () => {
    const f = file('numeric-name.yaml', [nad('good'), pod('p', '[{"name": 5}, {"name": "good", "ips": "10.0.0.1/24"}]')]);
    const r = await drawManifests([f], DiagramFormat.MERMAID);
    expect(r.warnings).toEqual([`${f}: Pod a/p: attachment 0 not drawn: it names no network`]);
    expect(r.diagram.edges.map((e) => [e.interface, e.addresses])).toEqual([['net2', []]]);
  });

  test('a NAD whose config is not JSON is drawn by name (lint says why), no crash', async () => {
    const f = file('not-json.yaml', [nad('broken', '{not json'), pod('p', 'broken')]);
    const r = await diagram([f, '--format', 'mermaid']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.out).toContain('n1{{"broken<br/>config on the node<br/>ns: a"}}');
  });

  test('a NAD whose config nests 5,000 levels deep is drawn by name', async () => {
    const f = file('deep.yaml', [nad('deep', `{"type":"bridge","x":${'['.repeat(5000)}${']'.repeat(5000)}}`), nad('good'), pod('p', 'deep,good')]);
    const r = await diagram([f, '--format', 'mermaid']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.out).toContain('n1{{"deep<br/>config on the node<br/>ns: a"}}');
  });

  test('a pod whose annotation is a map is left out with a warning', async () => {
    const f = file('map-annotation.yaml', [nad('good'), pod('p', { name: 'good' }), pod('q', 'good')]);
    const r = await drawManifests([f], DiagramFormat.MERMAID);
    expect(r.warnings).toEqual([`${f}: Pod a/p: not drawn: 'metadata.annotations["${NETWORKS}"]' must be a string: got {"name":"good"}; quote the annotation value: Kubernetes annotations are strings`]);
    expect(r.diagram.functions.map((x) => x.name)).toEqual(['q']);
  });

  test('a raw config whose plugins and ipam have the wrong types is drawn without them', () => {
    const d = buildDiagram({ networks: [{ name: 'raw', namespace: 'a', rawConfig: { plugins: [5, null, { type: 7, ipam: 'x' }] } }], workloads: [] });
    expect(d.networks.map((n) => [n.plugins, n.subnets, n.ipam])).toEqual([[['?'], [], undefined]]);
  });

  test('a typed config that cannot be written back and has no raw JSON: drawn by name, with a note', () => {
    const config = { main: { toJson: () => { throw new Error('broken'); } }, plugins: [] } as any;
    const d = buildDiagram({ networks: [{ name: 'n', namespace: 'a', config, path: 'NAD a/n' }], workloads: [] });
    expect(d.notes).toEqual([{ of: 'network', object: 'NAD a/n', message: 'drawn from its raw config: broken' }]);
    expect(d.networks.map((n) => [n.name, n.plugins])).toEqual([['n', []]]);
  });

  test('a FIFO among the inputs: exit 2 with the read problem, nothing drawn', async () => {
    const dir = path.join(tmp, 'fifo-dir');
    fs.mkdirSync(dir);
    require('child_process').execFileSync('mkfifo', [path.join(dir, 'p.yaml')]);
    const r = await diagram([dir]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toBe(`cdk8s-nfv diagram: ${path.join(dir, 'p.yaml')}: 'file' is a FIFO, not a regular file: got ${JSON.stringify(path.join(dir, 'p.yaml'))}; manifests are read from regular files only: copy the content into a file\n`);
  });

  test('warnings print escaped: an escape sequence in the object name', async () => {
    const f = file('ansi-warning.yaml', [nad('good'), pod('p\u001b[2J', '[{"name": 5}]')]);
    const r = await diagram([f, '--format', 'dot']);
    expect(r.err).toBe(`cdk8s-nfv diagram: warning: ${f}: Pod a/p\\u001b[2J: attachment 0 not drawn: it names no network\n`);
  });
});

describe('entry points called without a type checker', () => {
  test.each([
    [undefined, '\'input\' must be {networks: [...], workloads: [...]}: got nothing; pass lists (empty ones when there is nothing)'],
    [{ networks: 'n1' }, '\'input\' must be {networks: [...], workloads: [...]}: got {"networks":"n1"}; pass lists (empty ones when there is nothing)'],
  ])('buildDiagram(%j) throws the house error', (input, message) => {
    expect(() => buildDiagram(input as any)).toThrow(message);
  });

  test('drawManifests with a string for the inputs rejects with the house error', async () => {
    await expect(drawManifests('x.yaml' as any, DiagramFormat.DOT)).rejects.toThrow('\'inputs\' must be a list of files or folders: got "x.yaml"; pass e.g. [\'manifests/\'] (or [\'-\'] for standard input)');
  });
});
