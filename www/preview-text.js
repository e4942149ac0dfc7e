// What was read in the image, under it: each box with the text the core's reader read there and
// whom it identifies in plain words ("the patient's name"), whether cleaning blacks it out, and
// a control for how this file's burned-in text is cleaned (PS3.15 E.3.1): the identifying text
// (the default when there is some), all text found, or none. The boxes are the core's
// (`burned_in.regions`) and the user's; the page finds none of its own.

import { h, clear } from './dom.js';
import { boxesOf, cleanedWhen } from './preview-state.js';

const SOURCE_WORDS = { detector: 'found by the text finder', ocr: 'found by the text reader', signature: 'a known screen layout', user: 'drawn by you' };
const PATTERN_WORDS = { date: 'a date', label: 'a label such as Name or ID', number: 'a long number', name: 'a name written as LAST, FIRST' };
const CHOICES = [
  ['identifying', 'Black out the text that identifies someone (and known screen layouts)'],
  ['all', 'Black out all text found'],
  ['none', 'Leave the image as it is'],
];

// What a box's text identifies, in plain words: "the patient's name, the patient's ID".
export function identifiesWords(box, words) {
  const said = (box.identifies || []).map((k) => (words[k] || k).replace(/^The /, 'the '));
  if (said.length) return said.join(', ');
  return box.pattern ? `looks identifying: ${PATTERN_WORDS[box.pattern] || box.pattern}` : '';
}

// ctx: {textCleaning(item), setTextCleaning(item, how), identifiedWords}; `onRemove(box)`.
export function textPanel(item, ctx, onRemove) {
  const uid = `tx${item.id}`;
  const list = h('ul', { class: 'pv-boxlist', 'data-testid': 'box-list' });
  const radios = CHOICES.map(([value, label]) => {
    const input = h('input', { type: 'radio', name: `${uid}-how`, id: `${uid}-${value}`, value, 'data-testid': `text-cleaning-${value}` });
    input.addEventListener('change', () => {
      if (input.checked) {
        ctx.setTextCleaning(item, value);
        refresh();
      }
    });
    return { value, input, row: h('span', { class: 'check' }, input, ' ', h('label', { for: `${uid}-${value}` }, label)) };
  });
  const panel = h(
    'div',
    { class: 'pv-text', 'data-testid': 'text-panel' },
    h('fieldset', { class: 'pv-how' }, h('legend', {}, 'When cleaning, in this image'), ...radios.map((r) => r.row)),
    list,
  );

  function refresh() {
    const how = ctx.textCleaning(item);
    panel.dataset.cleaning = how;
    for (const r of radios) r.input.checked = r.value === how;
    clear(list);
    const boxes = boxesOf(item, null);
    list.hidden = boxes.length === 0;
    boxes.forEach((b, i) => {
      const identifies = identifiesWords(b, ctx.identifiedWords || {});
      const cleaned = cleanedWhen(item, b, how);
      const read = b.text ? `“${b.text}”` : b.source === 'user' || b.source === 'signature' ? '' : 'not read';
      list.append(
        h(
          'li',
          { 'data-key': b.key, 'data-identifies': (b.identifies || []).join(' '), 'data-cleaned': String(Boolean(cleaned)) },
          h('strong', {}, `Box ${i + 1}`),
          ` (${SOURCE_WORDS[b.source] || b.source}${b.frame === null ? ', every frame' : `, frame ${b.frame + 1}`}): `,
          read ? h('span', { class: 'pv-read' }, read) : null,
          identifies ? h('span', { class: 'pill pill-phi' }, identifies) : null,
          h('span', { class: 'fine' }, cleaned ? ' · blacked out when cleaning' : ' · left as it is'),
          ' ',
          h('button', { type: 'button', class: 'linkish', 'aria-label': `Remove box ${i + 1}`, onclick: () => onRemove(b) }, 'Remove'),
        ),
      );
    });
  }
  refresh();
  return { panel, refresh };
}
