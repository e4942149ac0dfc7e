// Rendering one file: the plain card first, then the DICOM detail (element table, hex view)
// and, once cleaned, the before/after comparison.

import { h, clear, plural, formatBytes } from './dom.js';
import { CATEGORY_LABELS, ACTION_NAMES, VERDICT_TEXT } from './reports.js';

export function verdictBadge(status) {
  const symbol = { leaks: '!', clean: '✓', error: '×', skipped: '–', stopped: '–', queued: '…' }[status] || '';
  return h('span', { class: `badge badge-${status}` }, h('span', { 'aria-hidden': 'true', class: 'badge-symbol' }, symbol), VERDICT_TEXT[status] || status);
}

// The card's facts: [label, value from the summary].
const FACTS = [
  ['Patient', (s) => s.patient_name || (s.patient_name_placeholder ? `Name already removed (it reads “${s.patient_name_placeholder}”)` : null)],
  ['Patient ID', (s) => s.patient_id],
  ['Born', (s) => s.birth_date],
  ['Sex', (s) => s.sex],
  ['Age', (s) => s.age],
  ['Hospital', (s) => s.institution],
  ['Device', (s) => s.device],
  ['Study date', (s) => s.study_date],
  // The core's plain words ("Structured report"), the DICOM code after them.
  ['What it is', (s) => (s.kind && s.modality && s.kind !== s.modality ? `${s.kind} (${s.modality})` : s.kind || s.modality)],
  ['Description', (s) => s.study_description],
];

// Parts of the patient's name or ID that also appear in the file's name or folders.
export function nameLeaks(item) {
  const summary = item.summary || (item.report && item.report.summary);
  if (!summary) return [];
  const path = item.path.toLowerCase();
  const words = [];
  if (summary.patient_name) words.push(...summary.patient_name.split(/[\s^,]+/));
  if (summary.patient_id) words.push(summary.patient_id);
  return [...new Set(words.filter((w) => w.length >= 3 && path.includes(w.toLowerCase())))];
}

// A damaged file: whom the part before the damage names, the values that say so, and what
// cleaning can and cannot do (the core's words).
function damagedPart(damaged) {
  const facts = FACTS.map(([label, value]) => [label, value(damaged.summary)]).filter(([, value]) => value);
  const named = damaged.findings.filter((f) => f.category === 'direct-identifier');
  return h(
    'div',
    { class: 'damaged', 'data-testid': 'damaged' },
    h('p', { class: 'warning' }, damaged.text),
    facts.length ? h('dl', { class: 'facts' }, facts.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value)))) : null,
    named.length
      ? h('details', {}, h('summary', {}, `The ${plural(named.length, 'value')} that name the patient, before the damage`), h('ul', {}, named.map((f) => h('li', {}, h('code', {}, f.tag), ` ${f.keyword}: `, f.value))))
      : null,
  );
}

// ctx: {onDownload(item), onClean(item), onShowCleaned(item), pixelCleaning() -> bool,
//       loadBytes(item) -> Promise<Uint8Array>, busy,
//       preview(item) -> element, cleanedPreview(item) -> element | null}
export function fileDetail(item, ctx) {
  const headingId = `detail-h-${item.id}`;
  const article = h('article', { class: 'detail', 'aria-labelledby': headingId, id: `detail-${item.id}` });
  article.append(
    h('div', { class: 'detail-head' }, h('h3', { id: headingId, tabindex: '-1' }, item.path), verdictBadge(item.status)),
  );
  if (item.status === 'error' || item.status === 'skipped' || item.status === 'stopped') {
    article.append(h('p', { class: 'summary-text' }, item.error || VERDICT_TEXT[item.status]));
    if (item.damaged) article.append(damagedPart(item.damaged));
    return article;
  }
  // The full summary comes with the report; until it is read again, the list's few facts.
  const summary = (item.report && item.report.summary) || item.summary;
  if (!summary) {
    article.append(h('p', {}, 'Not checked yet.'));
    return article;
  }
  if (summary.text) article.append(h('p', { class: 'summary-text', 'data-testid': 'summary-text' }, summary.text));

  const facts = FACTS.map(([label, value]) => [label, value(summary)]).filter(([, value]) => value);
  if (facts.length) {
    article.append(h('dl', { class: 'facts' }, facts.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value)))));
  }
  // A DICOMDIR names its patients in its records, not at its top (PS3.3 F.5.1).
  if (summary.is_dicomdir && summary.patients && summary.patients.length) {
    const who = (p) => [p.name || 'a patient', p.id ? `ID ${p.id}` : null, p.birth_date ? `born ${p.birth_date}` : null].filter(Boolean).join(', ');
    article.append(
      h('p', { class: 'found-intro' }, `This index names ${summary.patients.length === 1 ? '1 patient' : `${summary.patients.length} patients`}:`),
      h('ul', { class: 'categories', 'data-testid': 'dicomdir-patients' }, summary.patients.map((p) => h('li', {}, who(p)))),
    );
  }
  const categories = Object.entries(summary.by_category || {});
  if (categories.length) {
    article.append(
      h('p', { class: 'found-intro' }, `${plural(summary.flagged, 'element')} would be removed or changed:`),
      h('ul', { class: 'categories' }, categories.sort((a, b) => b[1] - a[1]).map(([name, n]) => h('li', {}, h('strong', {}, String(n)), ' ', CATEGORY_LABELS[name] || name))),
    );
  }
  const leaks = nameLeaks(item);
  if (leaks.length) {
    article.append(
      h('p', { class: 'warning' }, `The file's name or folder contains “${leaks.join('”, “')}”, from the patient's name or ID. Cleaned copies get neutral names (the zip: P001/ST001/SE001/IM0001…) unless you keep the names (Settings).`),
    );
  }
  const warnings = [...((item.report && item.report.warnings) || item.warnings || [])];
  if (summary.says_deidentified) warnings.push('The file says it was already de-identified; it was checked anyway.');
  if (warnings.length) {
    article.append(h('ul', { class: 'notes', 'aria-label': 'Notes about this file' }, warnings.map((w) => h('li', {}, w))));
  }

  article.append(pixelVerdictLine(item));

  // The image preview (preview.js), when the page gives one; it needs the full report (the
  // burned-in text part), which a batch reads again when the file is opened.
  if (ctx.preview && item.report) article.append(ctx.preview(item));
  // A structured report's content as text (sr.js), when the file is one.
  const content = ctx.reportContent && item.report ? ctx.reportContent(item) : null;
  if (content) article.append(content);

  article.append(
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-focus': 'clean-file', onclick: () => ctx.onClean(item), disabled: ctx.busy }, 'Remove patient information and download this file'),
      // Blacking out burned-in text changes the picture: let the user look before saving.
      ctx.onShowCleaned && ctx.textCleaning && ctx.textCleaning(item) !== 'none' && item.report && item.report.pixel_data
        ? h('button', { type: 'button', onclick: () => ctx.onShowCleaned(item), disabled: ctx.busy, 'data-testid': 'show-cleaned', 'data-focus': 'show-cleaned' }, 'Show the cleaned image first')
        : null,
    ),
  );
  if (item.deid && item.deid.unsaved) {
    article.append(h('p', { class: 'warning', role: 'status', 'data-testid': 'not-saved' }, 'Not saved yet: check the image, then download.'));
  }
  // Batches keep only summaries: the details are fetched when the file is opened.
  if (!item.report || (item.deid && !item.deid.after)) {
    article.append(h('p', { class: 'fine', 'data-testid': 'detail-loading' }, item.detailError ? `The details could not be read: ${item.detailError}` : 'Reading the details…'));
    return article;
  }
  if (item.deid) {
    const diff = diffView(item);
    const cleaned = ctx.cleanedPreview ? ctx.cleanedPreview(item) : null;
    if (cleaned) diff.insertBefore(cleaned, diff.querySelector('.table-wrap'));
    article.append(diff);
  }

  article.append(elementTable(item, ctx));
  article.append(hexPanel(item, ctx));
  if (typeof item.inspectMs === 'number') {
    article.append(h('p', { class: 'fine', 'data-inspect-ms': item.inspectMs.toFixed(1) }, `${formatBytes(item.blob.size)}, ${item.report.transfer_syntax}; checked in ${item.inspectMs.toFixed(1)} ms.`));
  }
  return article;
}

// The pixel search's verdict (header first, pixels second: it arrives after the file's
// verdict, and app.js replaces this line when it does).
const RISK_WORD = { high: 'high', medium: 'medium', low: 'low' };
export function pixelVerdictLine(item) {
  const p = item.pixels;
  const state = item.hasPixels ? (p ? p.state : 'waiting') : 'none';
  let text = '';
  if (state === 'waiting' || state === 'pending') text = 'Searching the image for burned-in text…';
  else if (state === 'error') text = `The image could not be searched for burned-in text: ${p.error}`;
  else if (state === 'stopped') text = 'The image was not searched for burned-in text (stopped).';
  else if (state === 'done' && !p.checked) text = `The image could not be searched for burned-in text; from the header, the risk is ${RISK_WORD[p.risk] || p.risk}.`;
  else if (state === 'done' && p.identifying) text = `Text that identifies someone is written in the image: ${plural(p.identifying, 'region')}; it is blacked out when cleaning (risk ${RISK_WORD[p.risk] || p.risk}).`;
  else if (state === 'done' && p.regions && !p.read) text = `Text-like marks found in the image (${plural(p.regions, 'region')}), not read: the text reader is not loaded (risk ${RISK_WORD[p.risk] || p.risk}).`;
  else if (state === 'done' && p.regions) text = `Text found burned into the image: ${plural(p.regions, 'region')} (risk ${RISK_WORD[p.risk] || p.risk}).`;
  else if (state === 'done') text = `Image searched: no burned-in text found (risk ${RISK_WORD[p.risk] || p.risk}).`;
  return h('p', { class: state === 'done' && (p.regions || p.risk === 'high') ? 'warning' : 'fine', 'data-testid': 'pixel-verdict', 'data-state': state, 'data-risk': p && p.risk ? p.risk : null, hidden: state === 'none' }, text);
}

// ---- before / after ---------------------------------------------------------------------------

function shown(value) {
  return value === '' ? '(empty)' : value;
}

// The check after cleaning, on the written output: its header (`residual`) AND its pixels,
// searched and read again (`pixelsAfter`: the core's verdict on the output). Green "nothing
// identifying is left" only when both were checked and are clean; otherwise amber, saying what
// is left and where (PS3.15 E.3.1: the header's cleaning does not touch the pixels).
function afterCheck(deid) {
  const residual = deid.residual || [];
  const left = [];
  if (residual.length) left.push(`${plural(residual.length, 'element')} may still identify someone: ${residual.map((f) => `${f.tag} ${f.keyword}`).join(', ')}.`);
  const image = Boolean(deid.after && deid.after.pixel_data);
  const p = deid.pixelsAfter;
  let readNote = null;
  let unreadNote = null;
  if (image && !p) left.push('The cleaned image was not searched again for burned-in text.');
  else if (image && !p.pixels_checked) left.push('The cleaned image could not be searched for burned-in text, so text may still be written in it.');
  else if (image) {
    const found = (p.regions || []).filter((r) => r.source === 'detector' || r.source === 'ocr');
    const named = (p.reasons || []).filter((r) => r.code === 'identifying-text-in-pixels' || r.code === 'identifying-looking-text-in-pixels');
    // The core's own sentences ("The patient's name DOE JANE is written in the image (lower
    // right)."), said as what is still there.
    for (const r of named) left.push(r.text.replace(' is written in the image', ' is still written in the image'));
    const unread = (p.reasons || []).some((r) => r.code === 'text-not-read');
    if (!p.text_read && (found.length || unread)) {
      const where = found.slice(0, 3).map((r) => `at x ${r.x}, y ${r.y}${r.all_frames ? '' : ` (frame ${r.frame + 1})`}`).join('; ');
      left.push(`Text-like marks are still in the image${where ? ` (${where})` : ''} and could not be read: the text reader is not loaded, so whether they name someone is not known.`);
    } else if (!named.length && found.length) {
      readNote = `Text still in the image, read and naming no one: ${found.slice(0, 5).map((r) => `“${r.text || '?'}”`).join(', ')}.`;
    }
    // Marks the reader could not read (`unconfirmed`): nothing identifying was read in them,
    // but the core keeps Burned In Annotation from saying NO while any is left; said here too.
    const unconfirmed = p.unconfirmed || [];
    if (p.text_read && unconfirmed.length) {
      const where = unconfirmed.slice(0, 3).map((r) => `at x ${r.x}, y ${r.y}${r.all_frames ? '' : ` (frame ${r.frame + 1})`}`).join('; ');
      unreadNote = `${plural(unconfirmed.length, 'mark')} that may be text could not be read (${where}): whether text is left there is not known, and the core does not write Burned In Annotation NO.`;
    }
  }
  if (left.length) {
    return h('div', { class: 'warning after-check', 'data-testid': 'residual', 'data-state': 'left', role: 'status' }, h('p', {}, h('strong', {}, 'Checked again after cleaning: something identifying may be left.')), h('ul', {}, left.map((t) => h('li', {}, t))), unreadNote ? h('p', { class: 'fine' }, unreadNote) : null);
  }
  const what = image ? 'the header and the image (its text searched and read again)' : 'the header';
  return h('div', { class: 'ok after-check', 'data-testid': 'residual', 'data-state': 'clean', role: 'status' }, h('p', {}, `Checked again after cleaning: nothing identifying is left (${what}).`), readNote ? h('p', { class: 'fine' }, readNote) : null, unreadNote ? h('p', { class: 'fine' }, unreadNote) : null);
}

export function diffView(item) {
  const { deid } = item;
  const before = deid.before.elements.filter((e) => !e.in_meta);
  const after = deid.after.elements.filter((e) => !e.in_meta);
  const afterByPath = new Map(after.map((e) => [e.path, e]));
  const beforePaths = new Set(before.map((e) => e.path));
  const rows = [];
  for (const b of before) {
    if (!b.flagged || b.is_sequence) continue;
    const a = afterByPath.get(b.path);
    rows.push({ e: b, before: shown(b.value), after: a ? shown(a.value) : '(removed)', kind: a ? (a.value === b.value ? 'same' : 'changed') : 'removed' });
  }
  for (const a of after) {
    if (!beforePaths.has(a.path) && !a.is_sequence) rows.push({ e: a, before: '(none)', after: shown(a.value), kind: 'added' });
  }
  const c = deid.changes;
  const counts = [
    [c.removed, 'removed'],
    [c.emptied, 'emptied'],
    [c.replaced, 'replaced with dummy values'],
    [c.uids_replaced, 'UIDs replaced'],
    [c.dates_shifted, 'dates shifted'],
    [c.cleaned, 'cleaned'],
    [c.frames_cleaned, c.frames_cleaned === 1 ? 'frame with burned-in text blacked out' : 'frames with burned-in text blacked out'],
  ].filter(([n]) => n > 0);
  const residual = deid.residual || [];
  return h(
    'section',
    { class: 'diff', 'aria-labelledby': `diff-h-${item.id}` },
    h('h4', { id: `diff-h-${item.id}` }, 'Before and after cleaning'),
    h('p', {}, counts.length ? `Done: ${counts.map(([n, what]) => `${n} ${what}`).join(', ')}.` : 'Nothing needed to change.'),
    afterCheck(deid),
    (deid.warnings || []).length ? h('ul', { class: 'notes' }, deid.warnings.map((w) => h('li', {}, w))) : null,
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Values before and after cleaning' },
      h(
        'table',
        { class: 'grid diff-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Element'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              { class: `diff-${r.kind}` },
              h('td', { 'data-label': 'Element' }, h('code', {}, r.e.path), ' ', r.e.keyword || (r.e.private_creator ? `private (${r.e.private_creator})` : '')),
              h('td', { class: 'value', 'data-label': 'Before' }, r.before),
              h('td', { class: 'value', 'data-label': 'After' }, r.after),
            ),
          ),
        ),
      ),
    ),
  );
}

// ---- the element table ------------------------------------------------------------------------

function elementName(e) {
  if (e.keyword === 'PrivateCreator') return `Private creator`;
  if (e.keyword) return e.keyword;
  if (e.private_creator) return 'Private element';
  return 'Unknown element';
}

function whatHappens(e) {
  const parts = [h('span', {}, e.effect)];
  if (e.action) {
    const table = e.table_action && e.table_action !== e.action ? ` (table: ${e.table_action})` : '';
    parts.push(h('span', { class: 'fine code-line' }, `PS3.15 action ${e.action}${ACTION_NAMES[e.action] ? ` (${ACTION_NAMES[e.action]})` : ''}${table}`));
  }
  return parts;
}

function elementTable(item, ctx) {
  const { report } = item;
  const uid = `t${item.id}`;
  const filter = h('input', { type: 'search', id: `${uid}-filter`, placeholder: 'name, tag or value', autocomplete: 'off', spellcheck: false });
  const onlyPhi = h('input', { type: 'checkbox', id: `${uid}-phi`, role: 'switch', checked: true });
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const collapsed = new Set();
  const rows = [];
  const tbody = h('tbody');

  for (const e of report.elements) {
    const toggle = e.is_sequence
      ? h('button', { type: 'button', class: 'seq-toggle', 'aria-expanded': 'true', 'aria-label': `Hide the items of ${e.keyword || e.tag}` }, '▾')
      : null;
    const canShowBytes = !report.offsets_in_inflated || e.in_meta;
    const row = h(
      'tr',
      { class: [e.flagged ? 'flagged' : '', e.in_meta ? 'meta' : ''].join(' ').trim() || null },
      h(
        'td',
        { class: 'tag', 'data-label': 'Tag' },
        toggle,
        h('code', {}, e.tag),
        ' ',
        h('span', { class: 'vr', title: 'Value Representation' }, e.vr),
        canShowBytes ? h('button', { type: 'button', class: 'link bytes-link', onclick: () => ctx.showBytes(item, e.offset), 'aria-label': `Show the bytes of ${e.tag}, from byte ${e.offset}`, title: 'Show these bytes in the hex view' }, `byte ${e.offset}`) : null,
      ),
      h(
        'td',
        { class: 'name', 'data-label': 'Element' },
        h('span', { class: 'indent' }, elementName(e)),
        e.flagged ? h('span', { class: 'pill pill-phi' }, 'patient info') : null,
        e.in_meta ? h('span', { class: 'pill' }, 'file header') : null,
        e.private_creator ? h('span', { class: 'pill' }, `vendor: ${e.private_creator}`) : null,
      ),
      h('td', { class: 'value', 'data-label': 'Value' }, e.value),
      h('td', { class: 'what', 'data-label': 'What will happen' }, whatHappens(e)),
      h('td', { class: 'why', 'data-label': 'Why' }, e.reason || ''),
    );
    row.querySelector('.indent').style.setProperty('--depth', String(Math.min(e.depth, 8)));
    const haystack = [e.tag, e.path, e.keyword, e.value, e.reason, e.private_creator, e.vr].join(' ').toLowerCase();
    const entry = { e, row, haystack };
    if (toggle) {
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', String(!open));
        toggle.textContent = open ? '▸' : '▾';
        toggle.setAttribute('aria-label', `${open ? 'Show' : 'Hide'} the items of ${e.keyword || e.tag}`);
        if (open) collapsed.add(e.path);
        else collapsed.delete(e.path);
        apply();
      });
    }
    rows.push(entry);
    tbody.append(row);
  }

  function apply() {
    const text = filter.value.trim().toLowerCase();
    let visible = 0;
    for (const { e, row, haystack } of rows) {
      let show = (!onlyPhi.checked || e.flagged) && (!text || haystack.includes(text));
      if (show && !text && collapsed.size) {
        for (const path of collapsed) {
          if (e.path.startsWith(`${path}[`)) {
            show = false;
            break;
          }
        }
      }
      row.hidden = !show;
      if (show) visible += 1;
    }
    count.textContent = `Showing ${visible} of ${rows.length} elements`;
  }
  filter.addEventListener('input', apply);
  onlyPhi.addEventListener('change', apply);
  apply();

  return h(
    'details',
    { class: 'dicom-detail', 'data-testid': 'element-table', 'data-from-held': item.detailFromHeld ? 'true' : 'false' },
    h('summary', {}, `All ${rows.length} elements, with the reasons (DICOM detail)`),
    h(
      'div',
      { class: 'table-tools' },
      h('label', { for: `${uid}-filter` }, 'Filter ', filter),
      h('label', { class: 'switch', for: `${uid}-phi` }, onlyPhi, ' Show only patient information'),
      count,
    ),
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'DICOM elements of this file' },
      h(
        'table',
        { class: 'grid elements' },
        h(
          'thead',
          {},
          h('tr', {}, ['Tag', 'Element', 'Value', 'What will happen', 'Why'].map((t) => h('th', { scope: 'col' }, t))),
        ),
        tbody,
      ),
    ),
  );
}

// ---- the hex view -----------------------------------------------------------------------------

const HEX_WINDOW = 16 * 1024;

function hexPanel(item, ctx) {
  const body = h('div', { class: 'hex-body' });
  const details = h(
    'details',
    { class: 'hex', id: `hex-${item.id}` },
    h('summary', {}, 'The bytes of the file, patient information highlighted (hex view)'),
    item.report.offsets_in_inflated
      ? h('p', { class: 'fine' }, 'This file is compressed (Deflated): only the file header can be highlighted here.')
      : null,
    body,
  );
  details.addEventListener('toggle', () => {
    if (details.open && !body.dataset.from) ctx.showBytes(item, 0, true);
  });
  return details;
}

function hex2(n) {
  return n.toString(16).padStart(2, '0');
}

// Shows HEX_WINDOW bytes around `offset` in the file's hex panel, flagged bytes marked.
export function renderHex(panel, item, bytes, offset) {
  const body = panel.querySelector('.hex-body');
  const { report } = item;
  const from = Math.max(0, Math.floor(offset / 16) * 16 - 256);
  const to = Math.min(bytes.length, from + HEX_WINDOW);
  body.dataset.from = String(from);
  const marks = new Uint8Array(to - from);
  const labels = new Map();
  for (const e of report.elements) {
    if (!e.flagged || (report.offsets_in_inflated && !e.in_meta)) continue;
    const s = Math.max(e.offset, from);
    const t = Math.min(e.offset + e.length, to);
    if (s >= t) continue;
    marks.fill(1, s - from, t - from);
    if (!e.is_sequence) labels.set(e.offset, `${e.tag} ${e.keyword || 'private'}`);
  }
  const pixel = report.pixel_data && !report.offsets_in_inflated && report.pixel_data.length > 256 ? report.pixel_data : null;
  const pre = h('pre', { class: 'hex-lines', tabindex: '0', 'aria-label': `Bytes ${from} to ${to} of ${bytes.length}` });
  let target = null;
  for (let off = from; off < to; off += 16) {
    if (pixel && off >= pixel.offset + 32 && off < pixel.offset + pixel.length - 16) {
      const skipTo = Math.min(to, Math.floor((pixel.offset + pixel.length) / 16) * 16);
      pre.append(h('span', { class: 'hex-skip' }, `          … ${formatBytes(skipTo - off)} of image pixels not shown …\n`));
      off = Math.max(off, skipTo - 16);
      continue;
    }
    const line = h('span', { class: 'hex-line', 'data-offset': String(off) });
    line.append(h('span', { class: 'hex-off' }, off.toString(16).padStart(8, '0')), '  ');
    const end = Math.min(off + 16, to);
    const hexPart = [];
    const asciiPart = [];
    for (let i = off; i < off + 16; i++) {
      if (i < end) {
        const b = bytes[i];
        hexPart.push([hex2(b) + (i - off === 7 ? '  ' : ' '), marks[i - from], i]);
        asciiPart.push([b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.', marks[i - from], i]);
      } else {
        hexPart.push([i - off === 7 ? '    ' : '   ', 0, i]);
      }
    }
    appendRuns(line, hexPart, labels, 'hex-h');
    line.append(' |');
    appendRuns(line, asciiPart, labels, 'hex-a');
    line.append('|\n');
    pre.append(line);
    if (off <= offset && offset < off + 16) target = line;
  }
  const nav = h('div', { class: 'hex-nav' });
  if (from > 0) nav.append(h('button', { type: 'button', onclick: () => renderHex(panel, item, bytes, Math.max(0, from - HEX_WINDOW + 256)) }, 'Earlier bytes'));
  if (to < bytes.length) nav.append(h('button', { type: 'button', onclick: () => renderHex(panel, item, bytes, to + 256) }, 'Later bytes'));
  nav.append(h('span', { class: 'fine' }, ` Bytes ${from.toLocaleString('en')}–${to.toLocaleString('en')} of ${bytes.length.toLocaleString('en')}. `), h('mark', {}, 'Highlighted'), h('span', { class: 'fine' }, ': patient information that cleaning removes or changes.'));
  clear(body).append(nav, pre);
  return target;
}

// Consecutive marked characters become one <mark>, titled with the element it starts.
function appendRuns(line, parts, labels, kind) {
  let run = null;
  for (const [text, marked, at] of parts) {
    if (marked) {
      if (!run) {
        run = h('mark', { class: kind });
        line.append(run);
      }
      if (labels.has(at)) run.title = labels.get(at);
      run.append(text);
    } else {
      run = null;
      line.append(text);
    }
  }
}
