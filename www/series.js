// A series opened as one: its verdicts rolled up, one viewer over its slices (preview-viewer.js
// with `slices`), one table of the patient information found in its files, saying which
// values differ between slices, and its files (each opens on its own card).

import { h, clear, plural } from './dom.js';
import { verdictBadge } from './views.js';
import { seriesTitle, seriesVerdict, seriesSentence, groupOf } from './studies.js';
import { viewOf, loadInfo } from './preview-state.js';
import { buildViewer } from './preview-viewer.js';

// Distinct values kept per element (the rest are only counted).
const VALUES_KEPT = 50;
const FILES_SHOWN = 200;

// What is kept while a series is open: the viewer's state over its slices and the table.
// `series`: from studies.js (key, number, description, kind, items).
export function openSeries(series, id) {
  return { id, key: series.key, identity: series.identity, path: seriesTitle(series), slices: series.items, modality: groupOf(series.items[0]).modality, table: null, reading: null };
}

// ctx: {request (the preview's worker), readFindings(item) -> Promise<[finding]>, lanes,
// onOpenFile(item), onClean(items), busy}
export function seriesCard(series, open, ctx) {
  if (open.slices.length !== series.items.length) {
    // Files were added to the series: slice numbers moved, the table misses some.
    Object.assign(open, { view: undefined, table: null, reading: null });
  }
  open.slices = series.items;
  const headingId = `series-h-${open.id}`;
  const verdict = seriesVerdict(series);
  const first = series.items[0].summary;
  const group = groupOf(series.items[0]);
  const article = h('article', { class: 'detail series', 'aria-labelledby': headingId, id: `detail-${open.id}`, 'data-testid': 'series-card' });
  article.append(
    h('div', { class: 'detail-head' }, h('h3', { id: headingId, tabindex: '-1' }, seriesTitle(series)), verdictBadge(verdict.status)),
    h('p', { class: 'summary-text', 'data-testid': 'series-summary' }, `${seriesSentence(series)}.`),
  );
  const facts = [
    ['Patient', first.patient_name || (group.patient_name_placeholder ? `name already removed (“${group.patient_name_placeholder}”)` : null)],
    ['Patient ID', first.patient_id],
    ['What it is', group.kind],
    ['Study date', group.study_date],
    ['Study', group.study_description],
    ['Images', series.items.length.toLocaleString('en')],
  ].filter(([, v]) => v);
  article.append(h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
  article.append(
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-focus': 'clean-series', disabled: ctx.busy, onclick: () => ctx.onClean(series.items) }, `Remove patient information and download this series (${plural(series.items.length, 'file')}, zip)`),
    ),
  );
  article.append(viewerPanel(open, ctx), findingsPanel(series, open, ctx), filesPanel(series, ctx));
  return article;
}

function viewerPanel(open, ctx) {
  const uid = `pv${open.id}`;
  const body = h('div', { class: 'pv-body' }, h('p', { class: 'fine' }, 'Loading the images…'));
  const section = h('section', { class: 'preview', 'aria-labelledby': `${uid}-h`, 'data-testid': 'preview' }, h('h4', { id: `${uid}-h` }, 'The images, slice by slice'), body);
  const view = viewOf(open);
  loadInfo(open, ctx)
    .then(() => {
      if (view.error || !view.info) {
        clear(body).append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, `The images cannot be shown: ${view.error || 'this series has no image'}`));
        return;
      }
      buildViewer(open, ctx, body, uid);
    })
    .catch((e) => {
      if (e.name !== 'CancelledError') clear(body).append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, `The images cannot be shown: ${e.message}`));
    });
  return section;
}

// ---- one table of findings for the whole series ------------------------------------------

// Adds one file's flagged elements to the tally: per element path, how many files have it
// and its distinct values.
function tally(rows, findings) {
  for (const f of findings) {
    let row = rows.get(f.path);
    if (!row) {
      row = { f, files: 0, values: new Map(), more: 0 };
      rows.set(f.path, row);
    }
    row.files += 1;
    const value = f.value === '' ? '(empty)' : f.value;
    if (row.values.has(value)) row.values.set(value, row.values.get(value) + 1);
    else if (row.values.size < VALUES_KEPT) row.values.set(value, 1);
    else row.more += 1;
  }
}

// Reads the findings of every file of the series (several at a time, in the workers), then
// draws the table. Kept on `open` so a redraw does not read them again.
function findingsPanel(series, open, ctx) {
  const section = h('section', { class: 'series-findings', 'aria-labelledby': `sf-h-${open.id}` }, h('h4', { id: `sf-h-${open.id}` }, 'Patient information in this series'));
  const note = h('p', { class: 'fine', 'data-testid': 'series-findings-progress' });
  const place = h('div');
  section.append(note, place);
  const n = series.items.length;
  const draw = () => {
    if (open.table) {
      note.textContent = `${plural(open.table.rows.size, 'element')} would be removed or changed, read from all ${plural(n, 'file')}${open.table.failed ? ` (${open.table.failed} could not be read)` : ''}.`;
      clear(place).append(findingsTable(open.table, n));
      section.dataset.ready = 'true';
    } else {
      note.textContent = `Reading the details of ${n.toLocaleString('en')} files… ${open.reading ? open.reading.done.toLocaleString('en') : 0} done.`;
    }
  };
  // The card may be drawn again while the files are read: the newest drawing is told.
  open.drawFindings = draw;
  if (!open.table && !open.reading) {
    const reading = { done: 0, rows: new Map(), failed: 0 };
    open.reading = reading;
    let next = 0;
    const lane = async () => {
      while (next < n && open.reading === reading) {
        const item = series.items[next++];
        try {
          tally(reading.rows, await ctx.readFindings(item));
        } catch (e) {
          // A stopped request (the user pressed Stop) counts as not read.
          reading.failed += 1;
        }
        reading.done += 1;
        if (reading.done % 10 === 0 && open.reading === reading) open.drawFindings();
      }
    };
    Promise.all(Array.from({ length: Math.min(n, ctx.lanes) }, lane)).then(() => {
      if (open.reading !== reading) return;
      open.table = { rows: reading.rows, failed: reading.failed };
      open.reading = null;
      open.drawFindings();
    });
  }
  draw();
  return section;
}

function findingsTable(table, n) {
  const rows = [...table.rows.values()];
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Patient information in the files of this series' },
    h(
      'table',
      { class: 'grid series-table', 'data-testid': 'series-findings' },
      h('thead', {}, h('tr', {}, ['Element', 'Value', 'In images', 'What will happen', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        rows.map(({ f, files, values, more }) => {
          const distinct = values.size + more;
          const differs = distinct > 1;
          const shown = [...values.keys()].slice(0, 3);
          return h(
            'tr',
            { class: differs ? 'differs' : null, 'data-path': f.path },
            h('td', { 'data-label': 'Element' }, h('code', {}, f.tag), ' ', f.keyword || (f.private_creator ? `private (${f.private_creator})` : 'private')),
            h(
              'td',
              { class: 'value', 'data-label': 'Value' },
              differs
                ? [h('span', { class: 'pill pill-differs' }, `differs between slices: ${more ? `more than ${VALUES_KEPT}` : distinct.toLocaleString('en')} values`), ' ', shown.join(', '), distinct > shown.length ? ', …' : '']
                : shown[0],
            ),
            h('td', { 'data-label': 'In images' }, files === n ? `all ${n.toLocaleString('en')}` : `${files.toLocaleString('en')} of ${n.toLocaleString('en')}`),
            h('td', { 'data-label': 'What will happen' }, f.effect || ''),
            h('td', { class: 'why', 'data-label': 'Why' }, f.reason || ''),
          );
        }),
      ),
    ),
  );
}

function filesPanel(series, ctx) {
  const n = series.items.length;
  return h(
    'details',
    { class: 'dicom-detail series-files' },
    h('summary', {}, `The ${plural(n, 'file')} of this series, one by one`),
    h('p', { class: 'fine' }, 'Open a file to see all its elements, its bytes and its own image tools.'),
    h(
      'ol',
      { class: 'series-file-list' },
      series.items.slice(0, FILES_SHOWN).map((item) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => ctx.onOpenFile(item) }, item.path), item.deid ? h('span', { class: 'pill pill-ok' }, 'cleaned') : null)),
    ),
    n > FILES_SHOWN ? h('p', { class: 'fine' }, `and ${(n - FILES_SHOWN).toLocaleString('en')} more (choose “every file on its own row” in the list to see them all).`) : null,
  );
}
