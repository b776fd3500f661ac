/**
 * Problems found by a check, as data. Every check of the library returns problems in this one
 * shape; constructs turn them into synth errors and the command line into report lines.
 *
 * The rendered form is always:
 *   '<field>' <what is wrong>: got <value>; <how to fix>
 */

/** How bad a problem is. */
export enum Severity {
  /** The real consumer (Kubernetes, Multus, a CNI plugin) would reject or misbehave. */
  ERROR = 'error',
  /** Works, but probably not what was meant (e.g. a nearly exhausted address pool). */
  WARNING = 'warning',
}

/** One problem found by a check. */
export interface Problem {
  /** The field at fault, as a path from the checked object (e.g. `plugins[0].ipam.ranges[0][0].subnet`). */
  readonly field: string;
  /** What is wrong, lowercase, without the value (e.g. `has host bits set`). */
  readonly message: string;
  /** The offending value. */
  readonly value: unknown;
  /** How to fix it, lowercase (e.g. `use the network address 10.1.0.0/24`). */
  readonly fix: string;
  /** @default Severity.ERROR */
  readonly severity: Severity;
  /** Where the checked object lives: a construct path, or a file and object for the command line. */
  readonly path?: string;
}

/** Renders a value for a message: strings quoted, NaN and Infinity as such, functions as `a function`, everything else as JSON. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return value.toString();
  // JSON would write NaN and Infinity as null, and a function as nothing
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    return String(value);
  }
}

/** Renders a problem in the library's one error style. */
export function formatProblem(p: Problem): string {
  const where = p.path ? `[${p.path}] ` : '';
  return `${where}'${p.field}' ${p.message}: got ${renderValue(p.value)}; ${p.fix}`;
}

/** Prefixes the field of each problem, e.g. to place a plugin's problems under `plugins[2]`. */
export function nestProblems(prefix: string, problems: readonly Problem[]): Problem[] {
  if (!prefix) return [...problems];
  return problems.map((p) => ({ ...p, field: joinField(prefix, p.field) }));
}

/** Joins two field paths: `a` + `b` = `a.b`; `a` + `[0]` = `a[0]`. */
export function joinField(prefix: string, field: string): string {
  if (!prefix) return field;
  if (!field) return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

/** Sets the path of problems that have none. */
export function atPath(path: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => (p.path ? p : { ...p, path }));
}

/** Collects problems; the one place where problems are created. */
export class ProblemSink {
  private readonly store: Problem[];

  constructor(private readonly prefix: string = '', store?: Problem[]) {
    this.store = store ?? [];
  }

  /** Records an error. */
  public error(field: string, message: string, value: unknown, fix: string): void {
    this.store.push({ field: joinField(this.prefix, field), message, value, fix, severity: Severity.ERROR });
  }

  /** Records a warning. */
  public warn(field: string, message: string, value: unknown, fix: string): void {
    this.store.push({ field: joinField(this.prefix, field), message, value, fix, severity: Severity.WARNING });
  }

  /** Adds problems found elsewhere, under a field prefix. */
  public addAll(problems: readonly Problem[], prefix: string = ''): void {
    const base = joinField(this.prefix, prefix);
    for (const p of problems) this.store.push({ ...p, field: joinField(base, p.field) });
  }

  /** A sink that records into the same list under a longer field prefix. */
  public child(prefix: string): ProblemSink {
    return new ProblemSink(joinField(this.prefix, prefix), this.store);
  }

  public get problems(): Problem[] {
    return [...this.store];
  }

  public get hasErrors(): boolean {
    return this.store.some((p) => p.severity === Severity.ERROR);
  }
}

/** Throws one `Error` listing every error among the problems; warnings are not thrown. */
export function throwIfErrors(problems: readonly Problem[], context?: string): void {
  const errors = problems.filter((p) => p.severity === Severity.ERROR);
  if (errors.length === 0) return;
  const lines = errors.map(formatProblem);
  const head = context ? `${context}: ` : '';
  throw new Error(lines.length === 1 ? `${head}${lines[0]}` : `${head}${lines.length} problems:\n  ${lines.join('\n  ')}`);
}

/**
 * Reports problems found while building an object: errors are thrown as one `Error` (warnings are
 * not). Checks that must gather problems instead (parsing, lint) take a {@link ProblemSink}.
 */
export function reportProblems(problems: readonly Problem[], context?: string): void {
  throwIfErrors(problems, context);
}

/**
 * Reports problems found while building an object: into the sink when one is given (nothing is
 * thrown; this is how parsing gathers every problem of a config in one pass, through the checks
 * the constructors run), else as {@link reportProblems} does.
 */
export function reportProblemsTo(sink: ProblemSink | undefined, problems: readonly Problem[], context?: string): void {
  if (sink) sink.addAll(problems);
  else reportProblems(problems, context);
}

/**
 * The problem of an object whose construction threw after (or instead of) reporting its problems:
 * `'<field>' could not be built: got <the thrown message>; fix the fields above`.
 */
export function notBuiltProblem(e: unknown): Problem {
  return { field: '', message: 'could not be built', value: e instanceof Error ? e.message : String(e), fix: 'fix the fields above', severity: Severity.ERROR };
}
