// The briefing's PDF layout, in Typst. The document (src/lib/domain/briefing-document.ts) comes in
// as JSON through `sys.inputs`, never as Typst source, so whatever people typed (`*`, `#`, `=`,
// `<script>`) is printed as words. Titled and in English for PDF/UA; easy read is set large.
export const BRIEFING_TYPST = String.raw`
#let doc = json(bytes(sys.inputs.doc))
#let easy = doc.version == "easy"
#set document(title: doc.title)
#set text(lang: "en", region: "gb", font: ("Liberation Sans", "DejaVu Sans", "Libertinus Serif"), size: if easy { 16pt } else { 11pt }, fallback: true)
#set par(leading: if easy { 0.9em } else { 0.65em }, spacing: if easy { 1.1em } else { 0.9em }, justify: false)
#set page(paper: "a4", margin: (x: 2cm, y: 2cm), numbering: "1", footer: context align(center, text(size: 9pt)[#doc.title · page #counter(page).display()]))
#show heading.where(level: 1): set text(size: if easy { 28pt } else { 20pt })
#show heading.where(level: 2): set text(size: if easy { 22pt } else { 15pt })
#show heading.where(level: 3): set text(size: if easy { 18pt } else { 12.5pt })
#show heading: set block(above: if easy { 1.6em } else { 1.3em }, below: 0.7em)
#set list(spacing: if easy { 1em } else { 0.6em })
#set enum(spacing: if easy { 1em } else { 0.6em })

#heading(level: 1, doc.title)
#text(fill: rgb("#505a5f"), doc.subtitle)

#let item(i) = {
  i.text
  for d in i.details {
    linebreak()
    text(size: 0.9em, fill: rgb("#383f43"), d)
  }
}

#for b in doc.blocks {
  if b.kind == "heading" {
    heading(level: b.level, b.text)
  } else if b.kind == "paragraph" {
    let tone = b.at("tone", default: none)
    if tone == "strong" { par(strong(b.text)) } else if tone == "note" { par(emph(b.text)) } else { par(b.text) }
  } else if b.kind == "list" {
    if b.ordered { enum(..b.items.map(item)) } else { list(..b.items.map(item)) }
  } else if b.kind == "table" {
    figure(
      caption: b.caption,
      table(
        columns: b.head.len(),
        align: left,
        inset: 5pt,
        table.header(..b.head.map(h => strong(h))),
        ..b.rows.flatten()
      )
    )
  }
}
`;
