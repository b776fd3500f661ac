import * as fs from 'fs';
import { DOMParser } from '@xmldom/xmldom';
import { App } from 'cdk8s';
import { FiveGChart } from '../../examples/five-g/chart';
import { Fog05Chart } from '../../examples/fog05/chart';
import { QuickstartChart } from '../../examples/quickstart/chart';
import { TalkChart } from '../../examples/talk/chart';
import { TEXT_SCALE } from '../../lib/diagram/render';
import { renderTopologyDiagram } from '../../lib/topology-diagram';
import { DiagramFormat } from '../../lib';

/**
 * Text stays inside its box when the picture is shown with DejaVu Sans, Debian's default sans font
 * (what a browser or rsvg on Debian substitutes for Helvetica): every text's width is measured with
 * the font's own advance widths (opentype.js reading the TTF) and must lie within the box of its
 * node. The same measurement of text drawn at its layout size (before the fit) finds spills, so
 * the check can fail.
 */

const REGULAR = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const haveFonts = fs.existsSync(REGULAR) && fs.existsSync(BOLD);
const required = process.env.CDK8S_NFV_REQUIRE_DATAPLANE === '1';

interface Font { getAdvanceWidth(text: string, fontSize: number): number }
const opentype = require('opentype.js') as { loadSync(file: string): Font };

interface Spill { readonly text: string; readonly by: number }

/** The texts of an SVG's nodes that end outside their node's box, measured with DejaVu Sans. */
function spills(svg: string, regular: Font, bold: Font): { checked: number; spills: Spill[] } {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const groups = Array.from(doc.getElementsByTagName('g')).filter((g) => g.getAttribute('class') === 'node');
  const out: Spill[] = [];
  let checked = 0;
  for (const g of groups) {
    const xs: number[] = [];
    for (const shape of [...Array.from(g.getElementsByTagName('polygon')), ...Array.from(g.getElementsByTagName('path'))]) {
      const coords = (shape.getAttribute('points') ?? shape.getAttribute('d') ?? '').match(/-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?/g) ?? [];
      for (const c of coords) xs.push(Number(c.split(',')[0]));
    }
    if (xs.length === 0) continue;
    const [left, right] = [Math.min(...xs), Math.max(...xs)];
    for (const t of Array.from(g.getElementsByTagName('text'))) {
      const text = t.textContent ?? '';
      const size = Number(t.getAttribute('font-size'));
      const width = (t.getAttribute('font-weight') === 'bold' ? bold : regular).getAdvanceWidth(text, size);
      const x = Number(t.getAttribute('x'));
      const anchor = t.getAttribute('text-anchor') ?? 'start';
      const [from, to] = anchor === 'middle' ? [x - width / 2, x + width / 2] : anchor === 'end' ? [x - width, x] : [x, x + width];
      checked++;
      const by = Math.max(left - from, to - right);
      if (by > 0.5) out.push({ text, by: Math.round(by * 10) / 10 });
    }
  }
  return { checked, spills: out };
}

const describeFonts = haveFonts || required ? describe : describe.skip;
describeFonts(`diagram text fits its boxes in DejaVu Sans${haveFonts || required ? '' : ' [skipped: fonts-dejavu-core is not installed]'}`, () => {
  const regular = opentype.loadSync(REGULAR);
  const bold = opentype.loadSync(BOLD);

  test.each([
    ['five-g', (app: App) => new FiveGChart(app, 'five-g')],
    ['quickstart', (app: App) => new QuickstartChart(app, 'quickstart')],
    ['talk', (app: App) => new TalkChart(app, 'talk')],
    ['fog05', (app: App) => new Fog05Chart(app, 'fog05')],
  ])('%s: every text inside its node', async (_id, make) => {
    const app = new App();
    make(app);
    const svg = await renderTopologyDiagram(app, DiagramFormat.SVG);
    const fitted = spills(svg, regular, bold);
    expect(fitted.checked).toBeGreaterThan(10);
    expect(fitted.spills).toEqual([]);
    // drawn at the size it was laid out for, the same text spills: the measurement can fail
    const unfitted = svg.replace(/font-size="([0-9.]+)"/g, (_m, s: string) => `font-size="${Number(s) / TEXT_SCALE}"`);
    expect(spills(unfitted, regular, bold).spills.length).toBeGreaterThan(0);
  });

  test('the picture has a title naming the chart and a legend', async () => {
    const app = new App();
    new FiveGChart(app, 'five-g');
    const svg = await renderTopologyDiagram(app, DiagramFormat.SVG);
    expect(svg).toContain('>five&#45;g: 4 networks, 5 workloads</text>');
    expect(svg).toContain('>Legend</text>');
    expect(svg).toContain('>network (NAD): plugin, uplink, subnets, namespaces</text>');
    expect(await renderTopologyDiagram(app, DiagramFormat.SVG, 'My core')).toContain('>My core</text>');
  });
});
