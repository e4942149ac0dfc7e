// A structured report's content, readable as text: the core's content tree (PS3.3 C.17.3,
// wasm `sr_content`), each item's concept name and value, the values that cleaning removes or
// changes marked as the element table marks them (the "patient info" pill, the reason).

import { h, clear, plural } from './dom.js';

// Items drawn at most (the core gives up to 20,000): a report is read, not scrolled for ever.
const MAX_SHOWN = 5000;

// Whether a file may be an SR document (a top-level Content Sequence): only those are sent to
// the core, which decides.
export function mayBeReport(report) {
  return Boolean(report && report.elements.some((e) => e.depth === 0 && e.tag === '(0040,A730)'));
}

// ctx: {request(type, payload)}; `options`: the chosen options (the flags depend on them).
export function reportPanel(item, ctx, options) {
  const uid = `sr${item.id}`;
  const body = h('div', { class: 'sr-body' }, h('p', { class: 'fine' }, 'Reading the report…'));
  const section = h('section', { class: 'sr', 'aria-labelledby': `${uid}-h`, 'data-testid': 'sr-content' }, h('h4', { id: `${uid}-h` }, 'What the report says'), body);
  ctx
    .request('srContent', { blob: item.blob, options })
    .then(({ tree }) => {
      if (!tree) {
        section.remove();
        return;
      }
      let shown = 0;
      let flagged = 0;
      const node = (n) => {
        shown += 1;
        if (n.flagged) flagged += 1;
        const label = [n.concept || n.value_type || 'Item', n.relationship && n.relationship !== 'CONTAINS' ? ` (${n.relationship.toLowerCase()})` : ''];
        const children = n.children.length && shown < MAX_SHOWN ? h('ul', {}, n.children.filter(() => shown < MAX_SHOWN).map(node)) : null;
        return h(
          'li',
          { class: n.flagged ? 'sr-item flagged' : 'sr-item', 'data-value-type': n.value_type, 'data-path': n.path || null },
          h('span', { class: 'sr-concept' }, label),
          n.value !== null && n.value !== undefined ? [': ', h('span', { class: 'sr-value' }, n.value)] : null,
          n.flagged ? h('span', { class: 'pill pill-phi' }, 'patient info') : null,
          n.flagged && n.reason ? h('span', { class: 'sr-why' }, n.reason) : null,
          children,
        );
      };
      const tree0 = h('ul', { class: 'sr-tree' }, node(tree.root));
      const more = tree.truncated || shown < tree.nodes ? ` Only the first ${shown.toLocaleString('en')} are shown.` : '';
      clear(body).append(
        h('p', { class: 'fine', 'data-testid': 'sr-count' }, `${plural(tree.nodes, 'item')}; ${plural(flagged, 'value')} marked “patient info” would be removed or changed by cleaning.${more}`),
        tree0,
      );
      section.dataset.ready = 'true';
    })
    .catch((e) => {
      if (e.name !== 'CancelledError') clear(body).append(h('p', { class: 'fine' }, `The report's content cannot be shown: ${e.message}`));
    });
  return section;
}
