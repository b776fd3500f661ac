import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** One Kubernetes object read from a file, with where it came from. */
export interface ManifestObject {
  /** The file ('-' for standard input). */
  readonly file: string;
  /** Position of the document in the file, from 0. */
  readonly index: number;
  readonly object: any;
}

/** A problem reading input. */
export interface ReadProblem {
  readonly file: string;
  readonly message: string;
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Lists the manifest files under the given paths (folders recursively), sorted for determinism. */
export function listManifestFiles(inputs: readonly string[]): { files: string[]; problems: ReadProblem[] } {
  const files: string[] = [];
  const problems: ReadProblem[] = [];
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      problems.push({ file: p, message: 'no such file or folder' });
      return;
    }
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        const child = path.join(p, entry);
        if (fs.statSync(child).isDirectory() || EXTENSIONS.includes(path.extname(entry))) walk(child);
      }
    } else {
      files.push(p);
    }
  };
  for (const input of inputs) {
    if (input === '-') files.push('-');
    else walk(input);
  }
  return { files, problems };
}

/** Parses YAML or JSON text (many documents, `kind: List` expanded) into objects. */
export function parseManifests(text: string, file: string): { objects: ManifestObject[]; problems: ReadProblem[] } {
  const objects: ManifestObject[] = [];
  const problems: ReadProblem[] = [];
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text);
  } catch (e) {
    return { objects, problems: [{ file, message: `cannot be parsed: ${(e as Error).message}` }] };
  }
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      problems.push({ file, message: `document ${index} cannot be parsed: ${doc.errors[0].message}` });
      return;
    }
    const o = doc.toJSON();
    if (o === null || o === undefined) return;
    if (typeof o !== 'object' || Array.isArray(o)) {
      problems.push({ file, message: `document ${index} is not a Kubernetes object` });
      return;
    }
    if (o.kind === 'List' && Array.isArray(o.items)) {
      for (const item of o.items) objects.push({ file, index, object: item });
    } else {
      objects.push({ file, index, object: o });
    }
  });
  return { objects, problems };
}

/** Reads every manifest under the inputs ('-' reads standard input). */
export function readManifests(inputs: readonly string[], stdin?: () => string): { objects: ManifestObject[]; problems: ReadProblem[] } {
  const { files, problems } = listManifestFiles(inputs);
  const objects: ManifestObject[] = [];
  for (const file of files) {
    const text = file === '-' ? (stdin ? stdin() : fs.readFileSync(0, 'utf8')) : fs.readFileSync(file, 'utf8');
    const r = parseManifests(text, file);
    objects.push(...r.objects);
    problems.push(...r.problems);
  }
  return { objects, problems };
}

/** `Kind namespace/name` for messages. */
export function describeObject(o: any): string {
  const ns = o?.metadata?.namespace;
  return `${o?.kind ?? '?'} ${ns ? `${ns}/` : ''}${o?.metadata?.name ?? '?'}`;
}
