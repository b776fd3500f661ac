import * as fs from 'fs';
import * as path from 'path';
import * as jsYaml from 'js-yaml';
import * as YAML from 'yaml';
import { renderValue } from '../cni/problem';
import { escapeControlCharacters } from '../diagram/text';

/**
 * Reading Kubernetes YAML and JSON from anywhere (Helm output, vendor files), as `lint`, `verify`
 * and `diagram` do. The inputs are untrusted, so reading has stated limits
 * ({@link MANIFEST_LIMITS}) and reads only what it was pointed at:
 *
 * - regular files only: FIFOs, devices and sockets are refused by name (a `.yaml` FIFO or a link to
 *   `/dev/zero` neither hangs nor fills memory), and each file is read with a bounded read;
 * - inside a folder, symbolic links are followed only when they resolve inside that folder; a
 *   dangling link, a loop or an unreadable file is a problem of that file, and the rest of the
 *   folder is still read;
 * - documents are parsed one at a time (a 50 MB file never becomes one YAML tree), and nesting
 *   is checked on the parser's tokens, without recursion, before anything recursive touches it.
 */

/** One Kubernetes object read from a file, with where it came from. */
export interface ManifestObject {
  /** The file ('-' for standard input). */
  readonly file: string;
  /** Position of the document in the file, from 0. */
  readonly index: number;
  readonly object: any;
  /**
   * Why strict YAML parsing refused the document, when it was read the lenient way kubectl reads
   * it instead (lint reports it as a warning).
   * @default - read as strict YAML
   */
  readonly readNote?: string;
}

/** A problem reading input. */
export interface ReadProblem {
  readonly file: string;
  readonly message: string;
}

/** The limits of reading, each refused with a problem that names the file (and the document). */
export const MANIFEST_LIMITS = {
  /** Bytes per file (and for standard input): 64 MiB. */
  maxFileBytes: 64 * 1024 * 1024,
  /** Objects per file (the items of a `kind: List` count one each). */
  maxObjectsPerFile: 100_000,
  /** Nesting of maps and lists in a YAML or JSON document, and in a NAD's `spec.config` JSON. */
  maxNestingDepth: 100,
} as const;

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A file to read: the name reported, and the resolved path read (undefined for standard input). */
interface FileEntry {
  readonly file: string;
  readonly real?: string;
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' ? code : String((e as Error)?.message ?? e);
}

const CODE_TEXT: Readonly<Record<string, string>> = {
  ELOOP: 'ELOOP: a loop of symbolic links',
  ENOENT: 'ENOENT: no such file or folder',
  EACCES: 'EACCES: permission denied',
  EPERM: 'EPERM: operation not permitted',
  ENOTDIR: 'ENOTDIR: a path component is not a folder',
  ENAMETOOLONG: 'ENAMETOOLONG: the name is too long',
};

function codeText(code: string): string {
  return Object.hasOwn(CODE_TEXT, code) ? CODE_TEXT[code] : code;
}

/** What a non-regular, non-folder file is, for messages. */
function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function notRegular(file: string, st: fs.Stats): ReadProblem {
  return { file, message: `'file' is ${kindOf(st)}, not a regular file: got ${renderValue(file)}; manifests are read from regular files only: copy the content into a file` };
}

function unreadable(file: string, e: unknown): ReadProblem {
  return { file, message: `'file' cannot be read (${codeText(errorCode(e))}): got ${renderValue(file)}; fix the file or its permissions, or leave it out` };
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Checks the inputs of a reading entry point for callers without a type checker: a list of
 * non-empty strings (a single string would otherwise be read character by character).
 */
export function checkInputs(inputs: unknown, name: string = 'inputs'): asserts inputs is readonly string[] {
  if (!Array.isArray(inputs)) {
    throw new Error(`'${name}' must be a list of files or folders: got ${renderValue(inputs)}; pass e.g. ['manifests/'] (or ['-'] for standard input)`);
  }
  inputs.forEach((x, i) => {
    if (typeof x !== 'string' || x === '') {
      throw new Error(`'${name}[${i}]' must be a non-empty path: got ${renderValue(x)}; pass a file or folder name, or '-' for standard input`);
    }
  });
}

/**
 * A read problem's message is text for a terminal: a control character in it (from a file name)
 * is written as a \uXXXX escape. The file stays as given: it names the file.
 */
function printable(p: ReadProblem): ReadProblem {
  return { file: p.file, message: escapeControlCharacters(p.message) };
}

/** Lists the files to read (folders recursively, sorted for determinism), with the problems found. */
function listEntries(inputs: readonly string[]): { entries: FileEntry[]; problems: ReadProblem[] } {
  checkInputs(inputs);
  const entries: FileEntry[] = [];
  const problems: ReadProblem[] = [];

  // a folder's content: links are followed only when they resolve inside `root`
  const walk = (dir: string, real: string, root: string, seen: Set<string>) => {
    if (seen.has(real)) return;
    seen.add(real);
    let names: string[];
    try {
      names = fs.readdirSync(real).sort();
    } catch (e) {
      problems.push({ file: dir, message: `'folder' cannot be read (${codeText(errorCode(e))}): got ${renderValue(dir)}; fix its permissions, or leave it out` });
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const shown = path.join(dir, name);
      const wanted = EXTENSIONS.includes(path.extname(name));
      let st: fs.Stats;
      let target = path.join(real, name);
      try {
        st = fs.lstatSync(target);
      } catch (e) {
        if (wanted) problems.push(unreadable(shown, e));
        continue;
      }
      if (st.isSymbolicLink()) {
        try {
          target = fs.realpathSync(target);
          st = fs.statSync(target);
        } catch (e) {
          if (wanted) {
            problems.push({ file: shown, message: `'file' is a symbolic link that cannot be followed (${codeText(errorCode(e))}): got ${renderValue(shown)}; fix or remove the link` });
          }
          continue;
        }
        if (!isInside(root, target)) {
          if (wanted || st.isDirectory()) {
            problems.push({ file: shown, message: `'file' is a symbolic link out of the folder read: got ${renderValue(shown)}; links are followed only inside the folder: name its target on the command line instead` });
          }
          continue;
        }
      }
      if (st.isDirectory()) walk(shown, target, root, seen);
      else if (!wanted) continue;
      else if (st.isFile()) entries.push({ file: shown, real: target });
      else problems.push(notRegular(shown, st));
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      entries.push({ file: '-' });
      continue;
    }
    let st: fs.Stats;
    let real: string;
    try {
      fs.lstatSync(input);
    } catch {
      problems.push({ file: input, message: 'no such file or folder' });
      continue;
    }
    try {
      // a path named on the command line may be a link: that is the user's choice
      real = fs.realpathSync(input);
      st = fs.statSync(real);
    } catch (e) {
      problems.push({ file: input, message: `'file' is a symbolic link that cannot be followed (${codeText(errorCode(e))}): got ${renderValue(input)}; fix or remove the link` });
      continue;
    }
    if (st.isDirectory()) walk(input, real, real, new Set());
    else if (st.isFile()) entries.push({ file: input, real });
    else problems.push(notRegular(input, st));
  }
  return { entries, problems: problems.map(printable) };
}

/** Lists the manifest files under the given paths (folders recursively), sorted for determinism. */
export function listManifestFiles(inputs: readonly string[]): { files: string[]; problems: ReadProblem[] } {
  const { entries, problems } = listEntries(inputs);
  return { files: entries.map((e) => e.file), problems };
}

function tooLarge(file: string, size: number | string): ReadProblem {
  return {
    file,
    message: `'file' is larger than the limit of ${MANIFEST_LIMITS.maxFileBytes} bytes (64 MiB): got ${typeof size === 'number' ? `${size} bytes` : size}; split it into smaller files`,
  };
}

/** Reads at most `max + 1` bytes from a file descriptor. */
function readBounded(fd: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, max + 1 - total), null);
    } catch (e) {
      if (errorCode(e) === 'EAGAIN') continue;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > max) break;
  }
  return Buffer.concat(chunks, total);
}

/** Reads one regular file (opened without following a link, and without blocking on a FIFO). */
function readEntry(entry: FileEntry, stdin?: () => string): { text?: string; problem?: ReadProblem } {
  const max = MANIFEST_LIMITS.maxFileBytes;
  if (entry.real === undefined) {
    try {
      const text = stdin ? stdin() : readBounded(0, max).toString('utf8');
      if (Buffer.byteLength(text, 'utf8') > max) return { problem: tooLarge('-', 'more') };
      return { text };
    } catch (e) {
      return { problem: unreadable('-', e) };
    }
  }
  let fd: number;
  try {
    fd = fs.openSync(entry.real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { problem: unreadable(entry.file, e) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { problem: notRegular(entry.file, st) };
    if (st.size > max) return { problem: tooLarge(entry.file, st.size) };
    // one buffer of the size announced (no chunks to join: a 50 MB file costs 50 MB, not 100);
    // a file that grows meanwhile is read on in chunks, still bounded
    let bytes = Buffer.allocUnsafe(st.size + 1);
    let total = 0;
    for (let n = -1; n !== 0 && total < bytes.length;) {
      n = fs.readSync(fd, bytes, total, bytes.length - total, null);
      total += n;
    }
    if (total === bytes.length) bytes = Buffer.concat([bytes, readBounded(fd, max - total)]);
    else bytes = bytes.subarray(0, total);
    if (bytes.length > max) return { problem: tooLarge(entry.file, 'more') };
    return { text: bytes.toString('utf8') };
  } catch (e) {
    return { problem: unreadable(entry.file, e) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads one input named on the command line ('-' for standard input) as the manifest reader
 * does: a regular file (or a link to one), at most {@link MANIFEST_LIMITS}.maxFileBytes, never
 * blocking on a FIFO. Returns the text, or the problem.
 */
export function readInputText(input: string, stdin?: () => string): { text?: string; problem?: ReadProblem } {
  if (input === '-') return readEntry({ file: '-' }, stdin);
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(input);
    st = fs.statSync(real);
  } catch (e) {
    return { problem: printable(unreadable(input, e)) };
  }
  if (!st.isFile()) return { problem: printable(notRegular(input, st)) };
  const r = readEntry({ file: input, real }, stdin);
  return r.problem ? { problem: printable(r.problem) } : r;
}

/** Whether a CST token nests maps and lists deeper than `max` (checked with a stack, no recursion). */
function nestsDeeperThan(root: YAML.CST.Token | undefined, max: number): boolean {
  const stack: [YAML.CST.Token, number][] = [];
  if (root) stack.push([root, 1]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth > max) return true;
    for (const item of token.items as { key?: YAML.CST.Token | null; value?: YAML.CST.Token }[]) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return false;
}

/** The greatest nesting of `{` and `[` in JSON text (strings skipped), counted without parsing. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

function tooDeep(file: string, index: number): ReadProblem {
  return {
    file,
    message: `'document ${index}' nests maps and lists deeper than the limit of ${MANIFEST_LIMITS.maxNestingDepth} levels: got more than ${MANIFEST_LIMITS.maxNestingDepth} levels; flatten the document (Kubernetes objects nest a few levels deep)`,
  };
}

/**
 * The documents of `text` from the one that holds `pos` on, cut at their marker lines (`---`),
 * each with the line it starts on. Only for text strict parsing refused (a broken document's own
 * range ends where parsing gave up, and may swallow the documents after it).
 */
function* documentsFrom(text: string, pos: number): Generator<{ text: string; line: number }> {
  const marker = /^---[ \t]*(?:#.*)?$/gm;
  let start = 0;
  const cuts: number[] = [];
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (m.index <= pos) start = m.index + m[0].length;
    else cuts.push(m.index);
  }
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  for (const end of [...cuts, text.length]) {
    yield { text: text.slice(start, end), line: lineOf(start) };
    start = end + (text.slice(end).match(/^---[^\n]*/)?.[0].length ?? 0);
  }
}

/**
 * A document read the lenient way kubectl's YAML reader (and PyYAML, js-yaml) reads it, or
 * undefined when that fails too. Only for documents strict parsing refused; their nesting was
 * checked on the tokens already, and a stack overflow is caught all the same.
 */
function readLeniently(text: string): unknown {
  try {
    const docs = jsYaml.loadAll(text);
    return docs.length === 1 && docs[0] !== null && typeof docs[0] === 'object' && !Array.isArray(docs[0]) ? docs[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The documents of YAML (or JSON) text, parsed one at a time; a document nested too deep is a problem instead. */
function* documentsOf(text: string, file: string, lines: YAML.LineCounter): Generator<{ index: number; doc?: YAML.Document.Parsed; problem?: ReadProblem }> {
  const parser = new YAML.Parser(lines.addNewLine);
  const composer = new YAML.Composer();
  let index = 0;
  let skipping = false;
  for (const token of parser.parse(text)) {
    if (token.type === 'document') {
      skipping = false;
      if (nestsDeeperThan(token.value, MANIFEST_LIMITS.maxNestingDepth)) {
        for (const doc of composer.end()) yield { index: index++, doc };
        yield { index: index++, problem: tooDeep(file, index - 1) };
        skipping = true;
        continue;
      }
    } else if (skipping && token.type === 'doc-end') {
      continue;
    }
    for (const doc of composer.next(token)) yield { index: index++, doc };
  }
  for (const doc of composer.end()) yield { index: index++, doc };
}

/**
 * Parses YAML or JSON text (many documents, `kind: List` expanded) and hands each object to
 * `visit` as soon as its document is read; returns the problems. At most
 * {@link MANIFEST_LIMITS}.maxObjectsPerFile objects are handed over.
 */
export function visitParsedManifests(text: string, file: string, visit: (m: ManifestObject) => void): ReadProblem[] {
  if (typeof text !== 'string') throw new Error(`'text' must be a string of YAML or JSON: got ${renderValue(text)}; pass the file content as text`);
  const problems: ReadProblem[] = [];
  const max = MANIFEST_LIMITS.maxObjectsPerFile;
  let count = 0;
  const tooMany = () => problems.push({
    file,
    message: `'file' holds more objects than the limit of ${max}: got more than ${max}; split it into smaller files (the first ${max} objects were read)`,
  });
  const emit = (m: ManifestObject): boolean => {
    if (count >= max) {
      tooMany();
      return false;
    }
    count++;
    visit(m);
    return true;
  };
  /** One document: its object(s) handed over; false when the object limit is reached. */
  const take = (index: number, o: any, readNote?: string): boolean => {
    if (o === null || o === undefined) return true;
    if (typeof o !== 'object' || Array.isArray(o)) {
      problems.push({ file, message: `document ${index} is not a Kubernetes object` });
      return true;
    }
    const note = readNote ? { readNote } : {};
    if (o.kind === 'List' && Array.isArray(o.items)) {
      for (const item of o.items) if (!emit({ file, index, object: item, ...note })) return false;
      return true;
    }
    return emit({ file, index, object: o, ...note });
  };
  /** The documents of `part` (which starts on line `firstLine` of the file); false when stopped. */
  const read = (part: string, firstIndex: number, firstLine: number, lenient: boolean): { next: number; stopped: boolean; brokenAt?: number } => {
    const lines = new YAML.LineCounter();
    const at = (e: YAML.YAMLError) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return `${e.message.split('\n')[0]} (line ${line + firstLine - 1}, column ${col})`;
    };
    let next = firstIndex;
    for (const { index: i, doc, problem } of documentsOf(part, file, lines)) {
      const index = firstIndex + i;
      next = index + 1;
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (doc!.errors.length > 0) {
        // kubectl (and PyYAML, js-yaml) read some documents strict YAML refuses, e.g. a quoted
        // value whose continuation lines sit at the key's indentation: from here on the documents
        // are cut at their marker lines and each read strictly, or else as kubectl reads it
        if (!lenient) return { next: index, stopped: false, brokenAt: doc!.range[0] };
        const o = readLeniently(part);
        if (o === undefined) {
          problems.push({ file, message: `document ${index} cannot be parsed: ${at(doc!.errors[0])}` });
          continue;
        }
        if (!take(index, o, at(doc!.errors[0]))) return { next, stopped: true };
        continue;
      }
      let o: any;
      try {
        o = doc!.toJSON();
      } catch (e) {
        problems.push({ file, message: `document ${index} cannot be parsed: ${(e as Error).message}` });
        continue;
      }
      if (!take(index, o)) return { next, stopped: true };
    }
    return { next, stopped: false };
  };
  try {
    const strict = read(text, 0, 1, false);
    if (strict.brokenAt !== undefined) {
      let index = strict.next;
      for (const seg of documentsFrom(text, strict.brokenAt)) {
        const r = read(seg.text, index, seg.line, true);
        if (r.stopped) break;
        index = Math.max(r.next, index + 1);
      }
    }
  } catch (e) {
    problems.push({ file, message: `cannot be parsed: ${(e as Error).message}` });
  }
  return problems.map(printable);
}

/** Parses YAML or JSON text (many documents, `kind: List` expanded) into objects. */
export function parseManifests(text: string, file: string): { objects: ManifestObject[]; problems: ReadProblem[] } {
  const objects: ManifestObject[] = [];
  const problems = visitParsedManifests(text, file, (m) => objects.push(m));
  return { objects, problems };
}

/**
 * Reads every manifest under the inputs ('-' reads standard input) and hands each object to
 * `visit` as soon as it is read, so a caller that keeps only what it needs reads large inputs in
 * bounded memory. Returns the problems, in input order.
 */
export function visitManifests(inputs: readonly string[], visit: (m: ManifestObject) => void, stdin?: () => string): ReadProblem[] {
  const { entries, problems } = listEntries(inputs);
  for (const entry of entries) {
    const { text, problem } = readEntry(entry, stdin);
    if (problem) {
      problems.push(printable(problem));
      continue;
    }
    problems.push(...visitParsedManifests(text!, entry.file, visit));
  }
  return problems;
}

/** Reads every manifest under the inputs ('-' reads standard input). */
export function readManifests(inputs: readonly string[], stdin?: () => string): { objects: ManifestObject[]; problems: ReadProblem[] } {
  const objects: ManifestObject[] = [];
  const problems = visitManifests(inputs, (m) => objects.push(m), stdin);
  return { objects, problems };
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** `Kind namespace/name` for messages (`?` for what is missing or not a string). */
export function describeObject(o: any): string {
  const metadata = typeof o?.metadata === 'object' && o.metadata !== null ? o.metadata : undefined;
  const ns = textOf(metadata?.namespace);
  return `${textOf(o?.kind) ?? '?'} ${ns ? `${ns}/` : ''}${textOf(metadata?.name) ?? '?'}`;
}
