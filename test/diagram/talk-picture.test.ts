import * as fs from 'fs';
import * as path from 'path';
import { DOMParser, Element } from '@xmldom/xmldom';

/**
 * The talk's picture, as committed and shown in the README (test/topology-diagram.test.ts keeps it
 * equal to what `npm run diagrams` draws): the talk's function, ubuntu-host, is a box connected by
 * a line to the network it attaches to, lan01, and to no other; the other two networks stand alone.
 */

const SVG = path.join(__dirname, '..', '..', 'docs', 'diagrams', 'talk.svg');

interface Box { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }
interface DrawnNode { readonly id: string; readonly label: string; readonly texts: string[]; readonly box: Box }
interface DrawnEdge { readonly from: string; readonly to: string; readonly label: string; readonly start: [number, number]; readonly end: [number, number] }

function points(d: string): [number, number][] {
  return (d.match(/-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?/g) ?? []).map((p) => p.split(',').map(Number) as [number, number]);
}

function boxOf(ps: [number, number][]): Box {
  const xs = ps.map((p) => p[0]);
  const ys = ps.map((p) => p[1]);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

function childText(g: Element, tag: string): string {
  return g.getElementsByTagName(tag)[0]?.textContent ?? '';
}

function linkTitle(g: Element): string {
  return g.getElementsByTagName('a')[0]?.getAttribute('xlink:title') ?? '';
}

/** The boxes and lines of a Graphviz SVG: nodes by their id, edges by the ids they join. */
function readPicture(svg: string): { title: string; nodes: Map<string, DrawnNode>; edges: DrawnEdge[] } {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const groups = Array.from(doc.getElementsByTagName('g'));
  const nodes = new Map<string, DrawnNode>();
  for (const g of groups.filter((x) => x.getAttribute('class') === 'node')) {
    const shapes = [...Array.from(g.getElementsByTagName('polygon')), ...Array.from(g.getElementsByTagName('path'))];
    const ps = shapes.flatMap((s) => points(s.getAttribute('points') ?? s.getAttribute('d') ?? ''));
    const id = childText(g, 'title');
    nodes.set(id, { id, label: linkTitle(g), texts: Array.from(g.getElementsByTagName('text')).map((t) => t.textContent ?? ''), box: boxOf(ps) });
  }
  const edges: DrawnEdge[] = [];
  for (const g of groups.filter((x) => x.getAttribute('class') === 'edge')) {
    const [from, to] = childText(g, 'title').split('--').map((end) => end.split(':')[0]);
    const ps = points(g.getElementsByTagName('path')[0]?.getAttribute('d') ?? '');
    edges.push({ from, to, label: linkTitle(g), start: ps[0], end: ps[ps.length - 1] });
  }
  const graph = groups.find((x) => x.getAttribute('class') === 'graph')!;
  const title = Array.from(graph.childNodes).filter((n): n is Element => (n as Element).tagName === 'text').map((t) => t.textContent).join(' ');
  return { title, nodes, edges };
}

/** Whether a point lies on a box's border or inside it (Graphviz ends lines at the border). */
function touches(p: [number, number], b: Box, slack = 1.5): boolean {
  return p[0] >= b.left - slack && p[0] <= b.right + slack && p[1] >= b.top - slack && p[1] <= b.bottom + slack;
}

/** The networks a function's box is joined to by a line that starts on its box and ends on theirs. */
function networksOf(picture: ReturnType<typeof readPicture>, functionLabel: string): string[] {
  const fn = [...picture.nodes.values()].find((n) => n.label === functionLabel);
  if (!fn) return [];
  return picture.edges
    .filter((e) => e.from === fn.id || e.to === fn.id)
    .map((e) => {
      const other = picture.nodes.get(e.from === fn.id ? e.to : e.from)!;
      const [mine, theirs] = e.from === fn.id ? [e.start, e.end] : [e.end, e.start];
      return touches(mine, fn.box) && touches(theirs, other.box) ? other.label : `(not touching) ${other.label}`;
    })
    .sort();
}

describe('the talk picture (docs/diagrams/talk.svg)', () => {
  const svg = fs.readFileSync(SVG, 'utf8');
  const picture = readPicture(svg);

  test('has the three networks and the function, and says so in its title', () => {
    const labels = [...picture.nodes.values()].map((n) => n.label).filter((l) => l !== '').sort();
    expect(labels).toEqual(['Deployment default/ubuntu-host', 'network ipvlan-eth0', 'network lan01', 'network macvlan-eth0']);
    expect(picture.title).toBe('talk: 3 networks, 1 workload');
  });

  test('the function box names the workload and its interface net-eth0', () => {
    const fn = [...picture.nodes.values()].find((n) => n.label === 'Deployment default/ubuntu-host')!;
    expect(fn.texts).toEqual(expect.arrayContaining(['ubuntu-host', 'net-eth0']));
  });

  test('ubuntu-host is connected to lan01 by a line from its box to the network\'s box, and to nothing else', () => {
    expect(networksOf(picture, 'Deployment default/ubuntu-host')).toEqual(['network lan01']);
    expect(picture.edges).toHaveLength(1);
    expect(picture.edges[0].label).toBe('ubuntu-host net-eth0 on lan01');
  });

  test('the check sees a missing or detached line', () => {
    const withoutEdge = svg.replace(/<g id="edge1" class="edge">[\s\S]*?<\/g>\n<\/g>/, '');
    expect(withoutEdge).not.toBe(svg);
    expect(networksOf(readPicture(withoutEdge), 'Deployment default/ubuntu-host')).toEqual([]);
    // the same line moved far to the left of both boxes
    const detached = svg.replace(/(<g id="edge1" class="edge">[\s\S]*?<path[^>]* d=")([^"]+)"/, (_m, head: string, d: string) =>
      `${head}${d.replace(/-?\d+(?:\.\d+)?,(-?\d+(?:\.\d+)?)/g, (_p, y: string) => `${-1000},${y}`)}"`);
    expect(networksOf(readPicture(detached), 'Deployment default/ubuntu-host')).toEqual(['(not touching) network lan01']);
  });
});
