import * as fs from 'fs';
import * as path from 'path';

/**
 * Every link of the README, of docs/*.md and of the examples' READMEs that stays in the repository
 * resolves: `#anchor` links name a heading (GitHub's slugs), relative links and images name a file
 * or folder of the checkout (and a heading of a Markdown file, when they have an anchor).
 */

const ROOT = path.join(__dirname, '..', '..');
const DOCUMENTS = [
  'README.md',
  ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  ...fs.readdirSync(path.join(ROOT, 'examples')).map((d) => `examples/${d}/README.md`).filter((f) => fs.existsSync(path.join(ROOT, f))),
].sort();

/** The text outside fenced code blocks. */
function prose(markdown: string): string {
  return markdown.split(/^\s*```[^\n]*\n[\s\S]*?^\s*```\s*$/m).join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function headings(markdown: string): string[] {
  return [...prose(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]));
}

function localLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

describe('README links', () => {
  test('the helpers: slugs as GitHub makes them, links outside code only', () => {
    expect(slug('Renderings (preview): DRA claims and OVN-Kubernetes user-defined networks'))
      .toBe('renderings-preview-dra-claims-and-ovn-kubernetes-user-defined-networks');
    expect(slug('The `cdk8s-nfv` command: lint and verify')).toBe('the-cdk8s-nfv-command-lint-and-verify');
    expect(localLinks('[a](#x) [b](https://e.org) ![c](d/e.svg)\n```\n[f](g)\n```\n')).toEqual(['#x', 'd/e.svg']);
  });

  test('the documents include the README, the docs and the examples\' READMEs', () => {
    expect(DOCUMENTS).toEqual(expect.arrayContaining(['README.md', 'docs/development.md', 'examples/kustomize/README.md']));
  });

  test.each(DOCUMENTS)('every local link of %s resolves to a heading or a file', (doc) => {
    const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    const anchors = new Set(headings(text));
    const links = localLinks(text);
    if (doc === 'README.md') expect(links.length).toBeGreaterThan(5);
    const broken = links.filter((link) => {
      if (link.startsWith('#')) return !anchors.has(link.slice(1));
      const [file, fragment] = link.split('#');
      const target = path.join(ROOT, path.dirname(doc), decodeURIComponent(file));
      if (!fs.existsSync(target)) return true;
      return fragment !== undefined && target.endsWith('.md') && !headings(fs.readFileSync(target, 'utf8')).includes(fragment);
    });
    expect(broken).toEqual([]);
  });
});
