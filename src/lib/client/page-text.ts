// The words of a page, for "Read this page aloud": the text a person sees in the page's main part,
// in order, one item per heading, paragraph, list item, label or hint (so each ends a sentence).
// Buttons, fields and their values, the skip links and anything hidden or only for screen readers
// are left out: the page's own Read aloud buttons read cards and key points, with their labels.
import type { ReadItem } from '$lib/domain/read-aloud';

/** Elements whose words are one item: what ends a sentence when read. */
const BLOCKS = 'h1,h2,h3,h4,h5,h6,p,li,dt,dd,label,legend,summary,caption,th,td,blockquote,figcaption,.hint';
/** Left out, with everything inside them. */
const SKIP =
  'script,style,template,noscript,button,select,option,textarea,input,nav,.skip-links,.visually-hidden,[hidden],[aria-hidden="true"],[data-read-aloud="skip"]';

function shown(el: Element): boolean {
  if (typeof el.checkVisibility === 'function') return el.checkVisibility();
  return el.getClientRects().length > 0;
}

/** The page's words, from `root` (the page's <main>, by default). */
export function pageReadItems(root: Element | null = document.querySelector('main')): ReadItem[] {
  if (!root) return [];
  const items: ReadItem[] = [];
  let block: Element | null = null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const words = (node.nodeValue ?? '').replace(/\s+/g, ' ');
    if (!parent || !words.trim() || parent.closest(SKIP) || !shown(parent)) continue;
    const home = parent.closest(BLOCKS) ?? parent;
    if (home === block && items.length) items[items.length - 1].text += words;
    else items.push({ text: words });
    block = home;
  }
  return items.map((i) => ({ text: i.text.trim() })).filter((i) => i.text);
}
