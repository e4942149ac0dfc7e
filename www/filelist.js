// The list of files and the overview above it. By default the list groups files as a CD holds
// them: patient → study → series (studies.js), a series of several images as one row with a
// thumbnail and its verdicts rolled up, a file alone in its series as its own row. The list
// shows one page of rows at a time (a list of thousands of rows would make every redraw
// slow); a filter picks which files, or every file on its own row.

import { h, clear, byId, plural } from './dom.js';
import { baseName } from './intake.js';
import { verdictBadge } from './views.js';
import { formatSeconds } from './batch.js';
import { groupItems, patientLabel, studyLabel, seriesTitle, seriesVerdict } from './studies.js';

const PAGE_SIZE = 200;
const FILTERS = {
  all: () => true,
  files: () => true,
  leaks: (i) => i.status === 'leaks',
  clean: (i) => i.status === 'clean',
  error: (i) => i.status === 'error',
  skipped: (i) => i.status === 'skipped',
};

// {state, onSelect(item), onSelectSeries(series), thumbnails: {get(series), want(series,
// ready)}} -> {render(), setFilter(status), wire(), verdictText()}
export function createFileList({ state, onSelect, onSelectSeries, thumbnails }) {
  const listView = { filter: 'all', page: 0 };
  let overviewText = { run: '', headline: '' };

  function renderOverview() {
    const box = clear(byId('overview'));
    const items = state.items;
    const counts = {};
    const patients = new Map();
    let flagged = 0;
    for (const item of items) {
      counts[item.status] = (counts[item.status] || 0) + 1;
      // A damaged file's patient counts too: the file names him all the same.
      const s = item.summary || (item.damaged && item.damaged.summary);
      if (!s) continue;
      if (item.summary) flagged += s.flagged;
      const named = s.is_dicomdir && s.patients ? s.patients.map((p) => ({ patient_name: p.name, patient_id: p.id })) : [s];
      for (const p of named) {
        if (!p.patient_name && !p.patient_id) continue;
        const label = [p.patient_name, p.patient_id ? `ID ${p.patient_id}` : null].filter(Boolean).join(', ');
        patients.set(label, (patients.get(label) || 0) + 1);
      }
    }
    const count = (s) => counts[s] || 0;
    const leaks = count('leaks');
    const checked = leaks + count('clean');
    const headline = leaks
      ? `Patient information found in ${leaks.toLocaleString('en')} of ${plural(checked, 'file')}.`
      : checked
        ? `Nothing identifying found in ${plural(checked, 'file')}.`
        : 'No DICOM file checked yet.';
    const run = state.lastRun ? `Checked ${plural(state.lastRun.files, 'file')} in ${formatSeconds(state.lastRun.seconds)}.` : '';
    overviewText = { run, headline };
    const parts = [
      [count('clean'), 'with nothing identifying'],
      [count('skipped'), 'skipped (not DICOM)'],
      [count('error'), 'could not be read'],
      [count('stopped'), 'not checked (stopped)'],
      [count('queued'), 'waiting to be checked'],
    ].filter(([n]) => n > 0);
    const patientList = [...patients.entries()].slice(0, 8);
    box.append(
      h('p', { class: 'headline', 'data-testid': 'overview' }, headline),
      run ? h('p', { class: 'run-line', 'data-testid': 'run-line' }, run) : null,
      h(
        'ul',
        { class: 'overview-facts' },
        h('li', {}, plural(flagged, 'element'), ' that would be removed or changed'),
        h('li', {}, plural(patients.size, 'patient'), patients.size ? ': ' : '', patientList.map(([label, n], i) => [i ? '; ' : '', h('strong', {}, label), n > 1 ? ` (${n.toLocaleString('en')} files)` : ''])),
        patients.size > 8 ? h('li', {}, `and ${(patients.size - 8).toLocaleString('en')} more patients`) : null,
        parts.length ? h('li', {}, parts.map(([n, what]) => `${plural(n, 'file')} ${what}`).join('; ')) : null,
      ),
    );
    // For tests and tools: the totals, whatever page of the list is shown.
    const list = byId('file-list');
    list.dataset.total = String(items.length);
    list.dataset.counts = JSON.stringify(counts);
  }

  // What the live region says when a check finishes: the run and its verdict.
  function verdictText() {
    return [overviewText.run, overviewText.headline].filter(Boolean).join(' ');
  }

  function setFilter(filter) {
    listView.filter = filter;
    listView.page = 0;
    byId('list-filter').value = filter;
    render();
    byId('file-list').focus();
  }

  // ---- rows: each {key, sig, make() -> li}; a redraw during a batch replaces only the rows
  // whose look changed (rebuilding 200 rows every second would keep the page's thread busy).

  function fileRow(item) {
    const s = item.summary;
    const who = s && s.patients && s.patients.length ? `names ${plural(s.patients.length, 'patient')}` : s && s.patient_name;
    const damagedWho = item.damaged && item.damaged.summary.patient_name ? `damaged, names ${item.damaged.summary.patient_name}` : null;
    const extra = s ? [who, s.flagged ? `${s.flagged} to remove or change` : null].filter(Boolean).join(' · ') : damagedWho || item.error || '';
    const current = state.selected === item;
    const pixels = pixelState(item);
    return {
      key: `file ${item.id}`,
      sig: `${item.status}\n${extra}\n${item.deid ? 1 : 0}\n${current}\n${pixels.key}`,
      make: () =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'file-row', 'aria-current': current ? 'true' : null, 'data-status': item.status, 'data-path': item.path, onclick: () => onSelect(item) },
            verdictBadge(item.status),
            h('span', { class: 'file-name' }, item.path),
            baseName(item.path).toUpperCase() === 'DICOMDIR' ? h('span', { class: 'pill' }, 'index of the folder') : null,
            h('span', { class: 'file-extra' }, extra),
            pixels.pill,
            item.deid ? h('span', { class: 'pill pill-ok' }, 'cleaned') : null,
          ),
        ),
    };
  }

  // The pixel verdict as the row shows it (it arrives after the header verdict).
  function pixelState(item) {
    const p = item.pixels;
    if (!item.hasPixels || !p) return { key: 'none', pill: null };
    const key = p.state === 'done' ? `done-${p.risk}-${p.regions}` : p.state;
    if (p.state === 'pending') return { key, pill: h('span', { class: 'pill', 'data-pixels': 'pending' }, 'searching the image…') };
    if (p.state === 'done' && p.regions) return { key, pill: h('span', { class: 'pill pill-phi', 'data-pixels': p.risk }, 'text in the image') };
    if (p.state === 'done' && p.risk === 'high') return { key, pill: h('span', { class: 'pill pill-phi', 'data-pixels': p.risk }, 'image may carry text') };
    return { key, pill: h('span', { hidden: true, 'data-pixels': p.state === 'done' ? p.risk : p.state }) };
  }

  function seriesRow(series) {
    const verdict = seriesVerdict(series);
    const n = series.items.length;
    const thumb = thumbnails.get(series);
    const current = state.selectedSeries === series.key;
    const allCleaned = verdict.cleaned === n;
    return {
      key: `series ${series.key}`,
      sig: `${n}\n${verdict.text}\n${allCleaned}\n${thumb ? 1 : 0}\n${current}`,
      make() {
        if (thumb === undefined) thumbnails.want(series);
        return h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'file-row series-row', 'aria-current': current ? 'true' : null, 'data-status': verdict.status, 'data-series': series.key, onclick: () => onSelectSeries(series) },
            thumb ? h('img', { class: 'thumb', src: thumb, alt: '', width: 48, height: 48 }) : h('span', { class: 'thumb thumb-none', 'aria-hidden': 'true' }),
            h(
              'span',
              { class: 'series-text' },
              verdictBadge(verdict.status),
              h('span', { class: 'file-name' }, seriesTitle(series)),
              series.kind ? h('span', { class: 'pill' }, series.kind) : null,
              allCleaned ? h('span', { class: 'pill pill-ok' }, 'cleaned') : null,
              h('span', { class: 'file-extra', 'data-testid': 'series-verdict' }, `${plural(n, 'image')}: ${verdict.text}`),
            ),
          ),
        );
      },
    };
  }

  function headRow(key, level, title, note) {
    return {
      key,
      sig: `${title}\n${note}`,
      make: () => h('li', { class: `group-head group-${level === 'h4' ? 'patient' : 'study'}` }, h(level, {}, title), h('span', { class: 'fine' }, note)),
    };
  }

  // Leaves (series and file rows) with the groups they sit under, in the list's order. Rows
  // are made only for the leaves on the page (there may be 10,000).
  const patientHead = (p) => headRow(`patient ${p.key}`, 'h4', patientLabel(p), `${plural(p.studies.length, 'study', 'studies')}, ${plural(p.files, 'file')}`);
  const studyHead = (st) => headRow(`study ${st.key}`, 'h5', studyLabel(st), `${plural(st.series.length, 'series', 'series')}, ${plural(st.files, 'file')}`);
  function groupedLeaves() {
    const { patients, others, waiting } = groupItems(state.items);
    const leaves = [];
    let grouped = 0;
    for (const patient of patients) {
      for (const study of patient.studies) {
        const heads = [patient, study];
        for (const series of study.series) {
          if (series.items.length > 1) grouped += 1;
          leaves.push({ heads, make: series.items.length > 1 ? () => seriesRow(series) : () => fileRow(series.items[0]) });
        }
      }
    }
    const otherHeads = patients.length ? [{ key: 'others', files: others.length }] : [];
    for (const item of others) leaves.push({ heads: otherHeads, make: () => fileRow(item) });
    if (waiting) {
      const note = `${plural(waiting, 'file')} waiting to be checked`;
      leaves.push({ heads: [], make: () => ({ key: 'waiting', sig: note, make: () => h('li', { class: 'group-note fine' }, note) }) });
    }
    return { leaves, grouped };
  }
  const headOf = (group, level) =>
    group.key === 'others'
      ? headRow('others', 'h4', 'Other files', `${plural(group.files, 'file')}: not images of a patient, skipped or unreadable`)
      : level === 0
        ? patientHead(group)
        : studyHead(group);

  let shownRows = [];

  function render() {
    renderOverview();
    const list = byId('file-list');
    let leaves;
    let grouped = 0;
    if (listView.filter === 'all') {
      ({ leaves, grouped } = groupedLeaves());
    } else {
      const shownItems = listView.filter === 'files' ? state.items : state.items.filter(FILTERS[listView.filter] || FILTERS.all);
      leaves = shownItems.map((item) => ({ heads: [], make: () => fileRow(item) }));
    }
    const pages = Math.max(1, Math.ceil(leaves.length / PAGE_SIZE));
    listView.page = Math.min(listView.page, pages - 1);
    const first = listView.page * PAGE_SIZE;
    const onPage = leaves.slice(first, first + PAGE_SIZE);
    const rows = [];
    let heads = [];
    for (const leaf of onPage) {
      leaf.heads.forEach((group, i) => {
        if (heads[i] !== group) {
          rows.push(headOf(group, i));
          heads = [...heads.slice(0, i), group];
        }
      });
      rows.push(leaf.make());
    }
    const same = rows.length === shownRows.length && rows.every((r, i) => shownRows[i].key === r.key) && list.children.length === rows.length;
    if (same) {
      shownRows = shownRows.map((old, i) => {
        const fresh = rows[i];
        if (fresh.sig === old.sig) return old;
        const li = fresh.make();
        const hadFocus = old.li.contains(document.activeElement);
        old.li.replaceWith(li);
        if (hadFocus && li.firstChild && li.firstChild.focus) li.firstChild.focus();
        return { ...fresh, li };
      });
    } else {
      clear(list);
      shownRows = rows.map((r) => ({ ...r, li: r.make() }));
      list.append(...shownRows.map((r) => r.li));
    }
    const paged = leaves.length > PAGE_SIZE;
    byId('list-tools').hidden = state.items.length <= PAGE_SIZE && listView.filter === 'all' && !grouped;
    byId('list-pager').hidden = !paged;
    byId('list-page-info').textContent = leaves.length
      ? `Rows ${(first + 1).toLocaleString('en')}–${(first + onPage.length).toLocaleString('en')} of ${leaves.length.toLocaleString('en')}`
      : 'No file to show';
    byId('list-prev').disabled = listView.page === 0;
    byId('list-next').disabled = listView.page >= pages - 1;
    const readableCount = state.items.filter((i) => i.summary).length;
    byId('clean-btn').disabled = readableCount === 0 || state.busy;
    byId('clean-btn').textContent = readableCount > 1 ? 'Remove patient information and download all (zip)' : 'Remove patient information and download';
  }

  function wire() {
    byId('list-filter').addEventListener('change', (e) => setFilter(e.target.value));
    byId('list-prev').addEventListener('click', () => {
      listView.page = Math.max(0, listView.page - 1);
      render();
    });
    byId('list-next').addEventListener('click', () => {
      listView.page += 1;
      render();
    });
  }

  return { render, setFilter, wire, verdictText };
}
