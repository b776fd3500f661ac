import { Diagram, DiagramEdge, DiagramFunction, DiagramNetwork } from './model';
import { escapeControlCharacters } from './text';

/** The picture formats. */
export enum DiagramFormat {
  /** SVG, laid out by Graphviz (compiled to WebAssembly, no system package). */
  SVG = 'svg',
  /** A Mermaid flowchart (renders on GitHub and in many Markdown viewers). */
  MERMAID = 'mermaid',
  /** Graphviz DOT text. */
  DOT = 'dot',
}

/** The file extension of each format. */
export const DIAGRAM_EXTENSIONS: Readonly<Record<DiagramFormat, string>> = {
  [DiagramFormat.SVG]: 'svg',
  [DiagramFormat.MERMAID]: 'mmd',
  [DiagramFormat.DOT]: 'dot',
};

/** The text lines of a network node: name, plugin and uplink, subnets, namespaces. */
export function networkLabel(n: DiagramNetwork): string[] {
  const lines = [n.name];
  const plugin = n.plugins.length > 0 ? n.plugins.join(' + ') : n.external ? 'external (not in the inputs)' : 'config on the node';
  lines.push(plugin);
  const host = [n.uplink, n.vlan !== undefined ? `vlan ${n.vlan}` : undefined, n.resourceName ? `resource ${n.resourceName}` : undefined]
    .filter((x): x is string => x !== undefined);
  if (host.length > 0) lines.push(host.join(' · '));
  if (n.subnets.length > 0 || n.ipam) {
    lines.push([n.subnets.join(', '), n.ipam ? `(${n.ipam})` : ''].filter((x) => x !== '').join(' '));
  }
  // namespaces three to a line, so a network used by many tenants stays narrow
  for (let i = 0; i < n.namespaces.length; i += 3) {
    lines.push(`${i === 0 ? 'ns: ' : ''}${n.namespaces.slice(i, i + 3).join(', ')}${i + 3 < n.namespaces.length ? ',' : ''}`);
  }
  return lines;
}

/** The text lines of a function node: name, kind and replicas, namespace. */
export function functionLabel(f: DiagramFunction): string[] {
  return [
    f.name,
    `${f.kind} · ${f.replicas === undefined ? 'one pod per node' : `replicas: ${f.replicas}`}`,
    `ns: ${f.namespace}`,
  ];
}

/** The text lines of an attachment: interface, addresses, MAC, route notes. */
export function edgeLabel(e: DiagramEdge): string[] {
  const lines = [e.defaultNetwork ? `${e.interface} (default network)` : e.interface];
  if (e.addresses.length > 0) lines.push(e.addresses.join(', '));
  if (e.mac) lines.push(e.mac);
  if (e.defaultRoute) lines.push('default route');
  return lines;
}

// Every text of the picture comes from the inputs: control characters are written as visible
// \uXXXX escapes first (an SVG holding U+0001 is not XML; a newline would end a Mermaid line).

function dotString(text: string): string {
  return `"${escapeControlCharacters(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function html(text: string): string {
  return escapeControlCharacters(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An HTML-like node label: the first line bold, the others plain. */
function dotNodeLabel(lines: readonly string[]): string {
  const [title, ...rest] = lines;
  return `<<B>${html(title)}</B>${rest.map((l) => `<BR/>${html(l)}`).join('')}>`;
}

/**
 * A function node as an HTML-like table: a header (name, kind, replicas, namespace) and one row
 * per attachment (interface, addresses, notes), each row a port its edge leaves from.
 */
function dotFunctionLabel(f: DiagramFunction, edges: readonly DiagramEdge[]): string {
  const [title, ...rest] = functionLabel(f);
  const rows = [`<TR><TD BGCOLOR="#fde68a"><B>${html(title)}</B>${rest.map((l) => `<BR/>${html(l)}`).join('')}</TD></TR>`];
  edges.forEach((e, i) => {
    const [ifname, ...more] = edgeLabel(e);
    rows.push(`<TR><TD PORT="p${i}" ALIGN="LEFT" BALIGN="LEFT"><B>${html(ifname)}</B>${more.map((l) => `<BR/>${html(l)}`).join('')}</TD></TR>`);
  });
  return `<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" COLOR="#92400e" BGCOLOR="#fef3c7">${rows.join('')}</TABLE>>`;
}

/**
 * Graphviz DOT text. Laid out left to right with every network in one middle column and the
 * functions alternately on its left and right; each function lists its interfaces (name and
 * addresses) as rows, and each attachment's edge leaves from its row. Fifty functions stay
 * readable: the picture grows in height, and no label sits in the middle of crossing edges.
 */
export function toDot(d: Diagram, title: string = diagramTitle(d)): string {
  const out: string[] = [];
  out.push('graph topology {');
  out.push(`  graph [rankdir=LR, ranksep=2.2, nodesep=0.25, fontname="Helvetica", bgcolor="white", pad=0.3, labelloc=t, labeljust=l, fontsize=14, label=${dotNodeLabel([title])}];`);
  out.push('  node [fontname="Helvetica", fontsize=10, penwidth=1.2, margin="0.25,0.1"];');
  out.push('  edge [color="#475569", penwidth=1.1];');
  for (const n of d.networks) {
    const style = n.external ? 'style="rounded,dashed,filled", fillcolor="#f1f5f9", color="#64748b"' : 'style="rounded,filled", fillcolor="#dbeafe", color="#1e40af"';
    out.push(`  ${n.id} [shape=box, ${style}, label=${dotNodeLabel(networkLabel(n))}, tooltip=${dotString(`network ${n.name}`)}];`);
  }
  if (d.networks.length > 1) out.push(`  { rank=same; ${d.networks.map((n) => n.id).join('; ')}; }`);
  const edgesOf = new Map<string, DiagramEdge[]>(d.functions.map((f) => [f.id, []]));
  for (const e of d.edges) edgesOf.get(e.from)?.push(e);
  const networkName = new Map(d.networks.map((n) => [n.id, n.name]));
  d.functions.forEach((f, i) => {
    out.push(`  ${f.id} [shape=plain, label=${dotFunctionLabel(f, edgesOf.get(f.id) ?? [])}, tooltip=${dotString(`${f.kind} ${f.namespace}/${f.name}`)}];`);
    // ranks come from edge direction: functions on the left are tails, on the right heads
    const left = i % 2 === 0;
    (edgesOf.get(f.id) ?? []).forEach((e, j) => {
      const attrs = [`tooltip=${dotString(`${f.name} ${e.interface} on ${networkName.get(e.to)}${e.addresses.length > 0 ? ` ${e.addresses.join(', ')}` : ''}`)}`];
      if (e.defaultNetwork) attrs.push('style=bold');
      out.push(left ? `  ${f.id}:p${j}:e -- ${e.to} [${attrs.join(', ')}];` : `  ${e.to} -- ${f.id}:p${j}:w [${attrs.join(', ')}];`);
    });
  });
  out.push(`  legend [shape=plain, label=${dotLegend(d)}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The default title of a picture: what it shows, counted. */
export function diagramTitle(d: Diagram): string {
  const n = d.networks.length;
  const f = d.functions.length;
  return `Networks and attachments: ${n} network${n === 1 ? '' : 's'}, ${f} workload${f === 1 ? '' : 's'}`;
}

/** The legend: what each shape and line stands for (only the shapes the picture uses). */
function dotLegend(d: Diagram): string {
  const row = (swatch: string, text: string) => `<TR><TD ${swatch} WIDTH="28"> </TD><TD ALIGN="LEFT">${html(text)}</TD></TR>`;
  const rows = [
    '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>',
    row('BGCOLOR="#dbeafe" COLOR="#1e40af" STYLE="ROUNDED"', 'network (NAD): plugin, uplink, subnets, namespaces'),
    row('BGCOLOR="#fde68a" COLOR="#92400e"', 'workload: kind, replicas, namespace; one row per interface'),
  ];
  if (d.networks.some((n) => n.external)) rows.push(row('BGCOLOR="#f1f5f9" COLOR="#64748b"', 'external network (NAD not in the input)'));
  if (d.edges.some((e) => e.defaultNetwork)) rows.push(row('', 'bold line: the pod\'s default network (Multus default-network override)'));
  return `<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="4" CELLPADDING="4" COLOR="#94a3b8" BGCOLOR="#ffffff">${rows.join('')}</TABLE>>`;
}

function mermaidText(text: string): string {
  return escapeControlCharacters(text).replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function mermaidLabel(lines: readonly string[]): string {
  return `"${lines.map(mermaidText).join('<br/>')}"`;
}

/** A Mermaid flowchart (left to right): networks as hexagons, functions as boxes. */
export function toMermaid(d: Diagram, title: string = diagramTitle(d)): string {
  const out: string[] = ['---', `title: ${JSON.stringify(escapeControlCharacters(title))}`, '---', 'flowchart LR'];
  for (const n of d.networks) out.push(`  ${n.id}{{${mermaidLabel(networkLabel(n))}}}`);
  for (const f of d.functions) out.push(`  ${f.id}[${mermaidLabel(functionLabel(f))}]`);
  for (const e of d.edges) out.push(`  ${e.from} ---|${mermaidLabel(edgeLabel(e))}| ${e.to}`);
  out.push('  classDef network fill:#dbeafe,stroke:#1e40af,color:#0f172a');
  out.push('  classDef external fill:#f1f5f9,stroke:#64748b,stroke-dasharray:4 3,color:#0f172a');
  out.push('  classDef function fill:#fef3c7,stroke:#92400e,color:#0f172a');
  const declared = d.networks.filter((n) => !n.external).map((n) => n.id);
  const external = d.networks.filter((n) => n.external).map((n) => n.id);
  if (declared.length > 0) out.push(`  class ${declared.join(',')} network`);
  if (external.length > 0) out.push(`  class ${external.join(',')} external`);
  if (d.functions.length > 0) out.push(`  class ${d.functions.map((f) => f.id).join(',')} function`);
  return `${out.join('\n')}\n`;
}

type VizModule = typeof import('@viz-js/viz');
let viz: ReturnType<VizModule['instance']> | undefined;

/**
 * Renders DOT text to SVG with Graphviz compiled to WebAssembly (`@viz-js/viz`): no browser, no
 * system package. The XML prolog and the generator comment are dropped, so the text starts with
 * `<svg` and does not change with the Graphviz build.
 */
export async function dotToSvg(dot: string): Promise<string> {
  if (!viz) {
    const mod = require('@viz-js/viz') as VizModule; // loaded on first use: 1 MB of WebAssembly
    viz = mod.instance();
  }
  const svg = (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error(`'dot' could not be rendered: got ${JSON.stringify(svg.slice(0, 120))}; check the DOT text`);
  return fitText(svg.slice(start).replace(/\r\n/g, '\n'));
}

/**
 * How much smaller text is drawn than it was laid out. Graphviz sizes boxes with its own
 * Helvetica metrics; viewers substitute the fonts they have, and DejaVu Sans (Debian's default) is
 * up to 15% wider, so text laid out at 10 points spilled past box borders. Text drawn at 85% of
 * the size it was laid out for fits with any of the usual sans fonts (tested with DejaVu Sans's own
 * advance widths in test/diagram/fit.test.ts).
 */
export const TEXT_SCALE = 0.85;

/** Draws every text of a Graphviz SVG at {@link TEXT_SCALE} of its layout size. */
export function fitText(svg: string): string {
  return svg.replace(/font-size="([0-9.]+)"/g, (_m, size: string) => `font-size="${(Number(size) * TEXT_SCALE).toFixed(2)}"`);
}

/** Renders the picture in a format. */
export async function renderDiagram(d: Diagram, format: DiagramFormat, title: string = diagramTitle(d)): Promise<string> {
  switch (format) {
    case DiagramFormat.MERMAID: return toMermaid(d, title);
    case DiagramFormat.DOT: return toDot(d, title);
    case DiagramFormat.SVG: return dotToSvg(toDot(d, title));
    default:
      throw new Error(`'format' is not a diagram format: got ${JSON.stringify(format)}; use svg, mermaid or dot`);
  }
}
