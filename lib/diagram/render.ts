import { Diagram, DiagramEdge, DiagramFunction, DiagramNetwork } from './model';

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
  lines.push(`ns: ${n.namespaces.join(', ')}`);
  return lines;
}

/** The text lines of a function node: kind and name, namespace, replicas. */
export function functionLabel(f: DiagramFunction): string[] {
  return [
    `${f.kind} ${f.name}`,
    `ns: ${f.namespace}`,
    f.replicas === undefined ? 'one pod per node' : `replicas: ${f.replicas}`,
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

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

/**
 * Graphviz DOT text. Laid out left to right with every network in one middle column and the
 * functions alternately on its left and right, so fifty functions stay readable: the picture
 * grows in height, not in crossing edges.
 */
export function toDot(d: Diagram): string {
  const out: string[] = [];
  out.push('graph topology {');
  out.push('  graph [rankdir=LR, ranksep=1.6, nodesep=0.3, fontname="Helvetica", fontsize=11, bgcolor="white", pad=0.3];');
  out.push('  node [fontname="Helvetica", fontsize=10, shape=box, penwidth=1.2];');
  out.push('  edge [fontname="Helvetica", fontsize=9, color="#475569", fontcolor="#1e293b"];');
  for (const n of d.networks) {
    const style = n.external ? 'style="rounded,dashed,filled", fillcolor="#f1f5f9", color="#64748b"' : 'style="rounded,filled", fillcolor="#dbeafe", color="#1e40af"';
    out.push(`  ${n.id} [${style}, label=${dotLabel(networkLabel(n))}, tooltip=${dotString(`network ${n.name}`)}];`);
  }
  if (d.networks.length > 1) out.push(`  { rank=same; ${d.networks.map((n) => n.id).join('; ')}; }`);
  for (const f of d.functions) {
    out.push(`  ${f.id} [style=filled, fillcolor="#fef3c7", color="#92400e", label=${dotLabel(functionLabel(f))}, tooltip=${dotString(`${f.kind} ${f.namespace}/${f.name}`)}];`);
  }
  const side = new Map(d.functions.map((f, i) => [f.id, i % 2 === 0 ? 'left' : 'right']));
  for (const e of d.edges) {
    const attrs = [`label=${dotLabel(edgeLabel(e))}`];
    if (e.defaultNetwork) attrs.push('style=bold');
    // ranks come from edge direction: left functions are tails, right functions heads
    const pair = side.get(e.from) === 'left' ? `${e.from} -- ${e.to}` : `${e.to} -- ${e.from}`;
    out.push(`  ${pair} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function mermaidText(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function mermaidLabel(lines: readonly string[]): string {
  return `"${lines.map(mermaidText).join('<br/>')}"`;
}

/** A Mermaid flowchart (left to right): networks as hexagons, functions as boxes. */
export function toMermaid(d: Diagram): string {
  const out: string[] = ['flowchart LR'];
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
  return svg.slice(start).replace(/\r\n/g, '\n');
}

/** Renders the picture in a format. */
export async function renderDiagram(d: Diagram, format: DiagramFormat): Promise<string> {
  switch (format) {
    case DiagramFormat.MERMAID: return toMermaid(d);
    case DiagramFormat.DOT: return toDot(d);
    case DiagramFormat.SVG: return dotToSvg(toDot(d));
    default:
      throw new Error(`'format' is not a diagram format: got ${JSON.stringify(format)}; use svg, mermaid or dot`);
  }
}
