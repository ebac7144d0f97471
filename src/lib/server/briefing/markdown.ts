// The briefing as Markdown: the document's blocks (src/lib/domain/briefing-document.ts) as an
// mdast tree, serialised by mdast-util-to-markdown, which escapes every text, so words people
// typed ("# heading", "*", "<script>", "1. ") stay words when the file is read or rendered.
import type { List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table, TableRow } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import type { Block, BriefingDocument } from '$lib/domain/briefing-document';

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const paragraph = (value: string, tone?: 'note' | 'strong'): Paragraph => ({
  type: 'paragraph',
  children: [
    tone === 'strong'
      ? { type: 'strong', children: [text(value)] }
      : tone === 'note'
        ? { type: 'emphasis', children: [text(value)] }
        : text(value)
  ]
});

function list(ordered: boolean, items: { text: string; details: string[] }[]): List {
  return {
    type: 'list',
    ordered,
    spread: false,
    children: items.map((item): ListItem => ({
      type: 'listItem',
      spread: false,
      children: [
        paragraph(item.text),
        ...(item.details.length
          ? [
              list(
                false,
                item.details.map((d) => ({ text: d, details: [] }))
              )
            ]
          : [])
      ]
    }))
  };
}

// A table cell is one line: line breaks inside a cell become spaces.
const cell = (value: string) => ({ type: 'tableCell' as const, children: [text(value.replace(/\s*\n\s*/g, ' '))] });

function node(block: Block): RootContent[] {
  switch (block.kind) {
    case 'heading':
      return [{ type: 'heading', depth: block.level, children: [text(block.text)] }];
    case 'paragraph':
      return [paragraph(block.text, block.tone)];
    case 'list':
      return [list(block.ordered, block.items)];
    case 'table': {
      const rows: TableRow[] = [block.head, ...block.rows].map((r) => ({ type: 'tableRow', children: r.map(cell) }));
      const table: Table = { type: 'table', align: block.head.map(() => null), children: rows };
      return [paragraph(block.caption, 'note'), table];
    }
    default: {
      const never: never = block;
      return never;
    }
  }
}

export function briefingMarkdown(doc: BriefingDocument): string {
  const tree: Root = {
    type: 'root',
    children: [{ type: 'heading', depth: 1, children: [text(doc.title)] }, paragraph(doc.subtitle, 'note'), ...doc.blocks.flatMap(node)]
  };
  return toMarkdown(tree, { extensions: [gfmTableToMarkdown()], bullet: '-', listItemIndent: 'one' });
}
