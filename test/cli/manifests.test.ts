import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeObject, listManifestFiles, parseManifests, readInputText, readManifests, visitManifests } from '../../lib/cli/manifests';
import { lintManifests } from '../../lib/cli/lint';
import { Severity } from '../../lib/cni/problem';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-manifests-'));
  const write = (p: string, text = 'kind: ConfigMap\n') => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  };
  write('b.yaml');
  write('a.yml');
  write('c.json', '{"kind": "Secret"}');
  write('notes.txt');
  write('README.md');
  write('sub/z.yaml');
  write('sub/deeper/y.yaml');
  write('.hidden/x.yaml');
  write('.dotfile.yaml');
  write('node_modules/pkg/m.yaml');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('listManifestFiles', () => {
  test('walks folders recursively, sorted, only .yaml, .yml and .json, skipping hidden entries and node_modules', () => {
    const r = listManifestFiles([dir]);
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual([
      'a.yml', 'b.yaml', 'c.json', path.join('sub', 'deeper', 'y.yaml'), path.join('sub', 'z.yaml'),
    ]);
  });

  test('a file named directly is kept whatever its extension; - stands for standard input', () => {
    const notes = path.join(dir, 'notes.txt');
    expect(listManifestFiles([notes, '-']).files).toEqual([notes, '-']);
  });

  test('keeps the order of the inputs', () => {
    const r = listManifestFiles([path.join(dir, 'sub'), path.join(dir, 'a.yml')]);
    expect(r.files.map((f) => path.basename(f))).toEqual(['y.yaml', 'z.yaml', 'a.yml']);
  });

  test('fails on a missing path, reported and the others still listed', () => {
    const missing = path.join(dir, 'missing.yaml');
    const r = listManifestFiles([missing, path.join(dir, 'b.yaml')]);
    expect(r.problems).toEqual([{ file: missing, message: 'no such file or folder' }]);
    expect(r.files).toEqual([path.join(dir, 'b.yaml')]);
  });
});

describe('parseManifests', () => {
  test('multi-document YAML: one object per document with its index; empty documents skipped', () => {
    const text = 'kind: A\nmetadata: {name: a}\n---\n---\n# only a comment\n---\nkind: B\n';
    const r = parseManifests(text, 'f.yaml');
    expect(r.problems).toEqual([]);
    expect(r.objects).toEqual([
      { file: 'f.yaml', index: 0, object: { kind: 'A', metadata: { name: 'a' } } },
      { file: 'f.yaml', index: 3, object: { kind: 'B' } },
    ]);
  });

  test('kind: List is expanded into its items, all at the index of the list', () => {
    const text = 'kind: X\n---\napiVersion: v1\nkind: List\nitems:\n- {kind: Pod, metadata: {name: p}}\n- {kind: Service}\n';
    const r = parseManifests(text, 'l.yaml');
    expect(r.objects.map((o) => [o.index, o.object.kind])).toEqual([[0, 'X'], [1, 'Pod'], [1, 'Service']]);
  });

  test('JSON input', () => {
    const r = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } }), 'c.json');
    expect(r.problems).toEqual([]);
    expect(r.objects).toEqual([{ file: 'c.json', index: 0, object: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } } }]);
  });

  test('fails on a YAML syntax error, naming the document index; other documents still read', () => {
    const r = parseManifests('kind: Good\n---\nkind: [unclosed\n', 'bad.yaml');
    expect(r.objects.map((o) => o.object)).toEqual([{ kind: 'Good' }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].file).toBe('bad.yaml');
    expect(r.problems[0].message).toMatch(/^document 1 cannot be parsed: .+/);
  });

  test('fails on a document that is not an object', () => {
    const r = parseManifests('- a\n- b\n---\njust text\n', 's.yaml');
    expect(r.objects).toEqual([]);
    expect(r.problems.map((p) => p.message)).toEqual(['document 0 is not a Kubernetes object', 'document 1 is not a Kubernetes object']);
  });
});

describe('readManifests', () => {
  test('reads every file and standard input through the given function', () => {
    const r = readManifests([path.join(dir, 'c.json'), '-'], () => 'kind: FromStdin\n');
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => [path.basename(o.file), o.object.kind])).toEqual([['c.json', 'Secret'], ['-', 'FromStdin']]);
  });
});

describe('describeObject', () => {
  test('Kind namespace/name, or Kind name without a namespace', () => {
    expect(describeObject({ kind: 'Pod', metadata: { name: 'p', namespace: 'ns' } })).toBe('Pod ns/p');
    expect(describeObject({ kind: 'ClusterRole', metadata: { name: 'r' } })).toBe('ClusterRole r');
  });

  test('question marks for what is missing', () => {
    expect(describeObject({})).toBe('? ?');
    expect(describeObject(null)).toBe('? ?');
    expect(describeObject({ metadata: { name: 'x' } })).toBe('? x');
  });
});

describe('visitManifests', () => {
  test('hands over each object as it is read, in file order, and returns the problems', () => {
    const seen: string[] = [];
    const problems = visitManifests([path.join(dir, 'sub'), path.join(dir, 'missing.yaml')], (o) => seen.push(path.relative(dir, o.file)));
    expect(seen).toEqual([path.join('sub', 'deeper', 'y.yaml'), path.join('sub', 'z.yaml')]);
    expect(problems).toEqual([{ file: path.join(dir, 'missing.yaml'), message: 'no such file or folder' }]);
  });
});

describe('readInputText', () => {
  test('reads a regular file, or standard input through the given function', () => {
    expect(readInputText(path.join(dir, 'c.json'))).toEqual({ text: '{"kind": "Secret"}' });
    expect(readInputText('-', () => 'from stdin')).toEqual({ text: 'from stdin' });
  });

  test('fails on a folder, in the house style', () => {
    const sub = path.join(dir, 'sub');
    expect(readInputText(sub)).toEqual({ problem: { file: sub, message: `'file' is a folder, not a regular file: got ${JSON.stringify(sub)}; manifests are read from regular files only: copy the content into a file` } });
  });
});

describe('describeObject with values of the wrong type', () => {
  test('a name that is a map, a kind that is a list: question marks; a numeric name is shown', () => {
    expect(describeObject({ kind: ['Pod'], metadata: { name: { a: 1 }, namespace: 'ns' } })).toBe('? ns/?');
    expect(describeObject({ kind: 'Pod', metadata: { name: 42 } })).toBe('Pod 42');
    expect(describeObject({ kind: 'Pod', metadata: 'x' })).toBe('Pod ?');
  });
});

describe('documents strict YAML refuses but kubectl reads', () => {
  // the form of the SR-IOV device plugin's own example NAD (deployments/sriov-crd.yaml): the JSON
  // of a single-quoted spec.config continues at the key's indentation and closes at column 0
  const LOOSE = [
    'apiVersion: k8s.cni.cncf.io/v1',
    'kind: NetworkAttachmentDefinition',
    'metadata:',
    '  name: sriov-net1',
    'spec:',
    "  config: '{",
    '  \"type\": \"sriov\",',
    '  \"cniVersion\": \"0.3.1\",',
    '  \"name\": \"sriov-net1\"',
    "}'",
  ].join('\n');
  const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n';

  test('are read as kubectl reads them, each with the reason strict parsing gave', () => {
    const { objects, problems } = parseManifests(`${LOOSE}\n---\n${GOOD}`, 'loose.yaml');
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.index, o.object.metadata.name])).toEqual([[0, 'sriov-net1'], [1, 'after']]);
    expect(JSON.parse(objects[0].object.spec.config)).toEqual({ type: 'sriov', cniVersion: '0.3.1', name: 'sriov-net1' });
    expect(objects[0].readNote).toMatch(/^Missing closing 'quote \(line 6, column 13\)$/);
    expect(objects[1].readNote).toBeUndefined();
  });

  test('lint warns once per such document, naming it, and checks the object', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-loose-'));
    try {
      fs.writeFileSync(path.join(dir, 'loose.yaml'), `${GOOD}---\n${LOOSE}\n`);
      const report = lintManifests([dir]);
      expect(report.readProblems).toEqual([]);
      const notes = report.findings.filter((f) => /not strict YAML/.test(f.message));
      expect(notes).toEqual([{
        file: path.join(dir, 'loose.yaml'), object: 'NetworkAttachmentDefinition sriov-net1', field: 'document 1',
        message: 'is not strict YAML; it was read as kubectl reads it', value: "Missing closing 'quote (line 11, column 13)",
        fix: 'indent the continuation lines of quoted values (e.g. a multi-line spec.config) deeper than their key, so that every YAML tool reads it',
        severity: Severity.WARNING,
      }]);
      expect(report.objects).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('YAML no reader accepts is still a read problem', () => {
    const { objects, problems } = parseManifests("kind: [unclosed\nname: 'x\n", 'broken.yaml');
    expect(objects).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^document 0 cannot be parsed: /);
  });
});
