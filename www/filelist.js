// The list of files and the overview above it. The list shows one page of rows at a time (a
// list of thousands of rows would make every redraw slow); a filter picks which files.

import { h, clear, byId, plural } from './dom.js';
import { baseName } from './intake.js';
import { verdictBadge } from './views.js';

const PAGE_SIZE = 200;
const FILTERS = {
  all: () => true,
  leaks: (i) => i.status === 'leaks',
  clean: (i) => i.status === 'clean',
  error: (i) => i.status === 'error',
  skipped: (i) => i.status === 'skipped',
};

// {state, onSelect(item)} -> {render(), setFilter(status), wire()}
export function createFileList({ state, onSelect }) {
  const listView = { filter: 'all', page: 0 };

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

  function setFilter(filter) {
    listView.filter = filter;
    listView.page = 0;
    byId('list-filter').value = filter;
    render();
    byId('file-list').focus();
  }

  // The rows on screen, with what each shows: a redraw during a batch replaces only the rows
  // whose file changed (rebuilding 200 rows every second would keep the page's thread busy).
  let shownRows = [];

  function looks(item) {
    const s = item.summary;
    const who = s && s.patients && s.patients.length ? `names ${plural(s.patients.length, 'patient')}` : s && s.patient_name;
    const damagedWho = item.damaged && item.damaged.summary.patient_name ? `damaged, names ${item.damaged.summary.patient_name}` : null;
    const extra = s ? [who, s.flagged ? `${s.flagged} to remove or change` : null].filter(Boolean).join(' · ') : damagedWho || item.error || '';
    const current = state.selected === item;
    const pixels = pixelState(item);
    return { extra, current, pixels, sig: `${item.status}\n${extra}\n${item.deid ? 1 : 0}\n${current}\n${pixels.key}` };
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

  function rowFor(item, look = looks(item)) {
    const { extra, current, sig, pixels } = look;
    const li = h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'file-row',
          'aria-current': current ? 'true' : null,
          'data-status': item.status,
          onclick: () => onSelect(item),
        },
        verdictBadge(item.status),
        h('span', { class: 'file-name' }, item.path),
        baseName(item.path).toUpperCase() === 'DICOMDIR' ? h('span', { class: 'pill' }, 'index of the folder') : null,
        h('span', { class: 'file-extra' }, extra),
        pixels.pill,
        item.deid ? h('span', { class: 'pill pill-ok' }, 'cleaned') : null,
      ),
    );
    return { item, sig, li };
  }

  function render() {
    renderOverview();
    const list = byId('file-list');
    const shownItems = listView.filter === 'all' ? state.items : state.items.filter(FILTERS[listView.filter] || FILTERS.all);
    const pages = Math.max(1, Math.ceil(shownItems.length / PAGE_SIZE));
    listView.page = Math.min(listView.page, pages - 1);
    const first = listView.page * PAGE_SIZE;
    const rows = shownItems.slice(first, first + PAGE_SIZE);
    const same = rows.length === shownRows.length && rows.every((item, i) => shownRows[i].item === item) && list.children.length === rows.length;
    if (same) {
      shownRows = shownRows.map((old) => {
        const look = looks(old.item);
        if (look.sig === old.sig) return old;
        const fresh = rowFor(old.item, look);
        const hadFocus = old.li.contains(document.activeElement);
        old.li.replaceWith(fresh.li);
        if (hadFocus) fresh.li.firstChild.focus();
        return fresh;
      });
    } else {
      clear(list);
      shownRows = rows.map((item) => rowFor(item));
      list.append(...shownRows.map((r) => r.li));
    }
    const paged = shownItems.length > PAGE_SIZE;
    byId('list-tools').hidden = state.items.length <= PAGE_SIZE && listView.filter === 'all';
    byId('list-pager').hidden = !paged;
    byId('list-page-info').textContent = shownItems.length
      ? `Files ${(first + 1).toLocaleString('en')}–${(first + rows.length).toLocaleString('en')} of ${shownItems.length.toLocaleString('en')}`
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

  return { render, setFilter, wire };
}
