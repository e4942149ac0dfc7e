// Files grouped as a patient's CD holds them: patient → study → series (PS3.3 C.7.1–C.7.3:
// Patient ID and Name, Study Instance UID, Series Instance UID), with counts and each series'
// verdicts rolled up ("Series 3 (120 images): names the patient; 2 images have burned-in
// text"). Pure functions over the page's compact per-file records; no DOM.

import { plural } from './dom.js';

// What each file keeps for the grouping, from the core's summary: one record shared by every
// file of a series (kind, UIDs, descriptions, numbers), its own Instance Number and burned-in
// risk. For 10,000 files the shared records are a handful: a file costs two fields more.
const groups = new Map();
const NO_GROUP = Object.freeze({});

export function groupingKeys(summary, report, intern) {
  const s = summary;
  const fields = [
    s.kind, s.modality, s.study_instance_uid, s.series_instance_uid, s.study_date, s.study_description,
    s.series_description, Number.isFinite(s.series_number) ? s.series_number : null, s.patient_name_placeholder,
  ].map((v) => (v === undefined || v === '' ? null : v));
  const key = fields.join('\u0000');
  let group = groups.get(key);
  if (!group) {
    const [kind, modality, studyUid, seriesUid, studyDate, studyDescription, seriesDescription, seriesNumber, placeholder] = fields.map(intern);
    group = Object.freeze({ kind, modality, study_instance_uid: studyUid, series_instance_uid: seriesUid, study_date: studyDate, study_description: studyDescription, series_description: seriesDescription, series_number: seriesNumber, patient_name_placeholder: placeholder });
    if (groups.size < 100000) groups.set(key, group);
  }
  return {
    group,
    instance_number: Number.isFinite(s.instance_number) ? s.instance_number : null,
    burned_in_risk: intern((report && report.burned_in && report.burned_in.risk) || null),
  };
}

// The shared records are kept until the list is cleared.
export function forgetGroups() {
  groups.clear();
}

// A file's shared record (kind, study and series UIDs, descriptions, numbers).
export function groupOf(item) {
  return (item.summary && item.summary.group) || NO_GROUP;
}

const SEP = '\u0000';

// One collator for every comparison (String.localeCompare makes its own each time).
const collator = new Intl.Collator('en', { numeric: true });
const compareText = (a, b) => collator.compare(String(a || ''), String(b || ''));

// Nested maps, keyed by the values themselves: no key string is made per file (for 10,000
// files, joining their UIDs into keys on every redraw was most of the time, and garbage).

// Which series a file is in: patient (ID, name), Study and Series Instance UIDs. A file
// without a Series Instance UID is a series of its own.
export function seriesIdentity(item) {
  const s = item.summary;
  const g = groupOf(item);
  return { patientId: s.patient_id || '', patientName: s.patient_name || '', study: g.study_instance_uid || '', series: g.series_instance_uid || null, file: g.series_instance_uid ? null : item.id };
}

function inSeries(item, id) {
  const s = item.summary;
  const g = groupOf(item);
  return (s.patient_id || '') === id.patientId && (s.patient_name || '') === id.patientName && (g.study_instance_uid || '') === id.study && (id.series ? g.series_instance_uid === id.series : item.id === id.file);
}

const readable = (item) => item.summary && (item.status === 'leaks' || item.status === 'clean');

const byNumberThenText = (a, b, number, text) => {
  const na = number(a);
  const nb = number(b);
  if (na !== nb) return na === null ? 1 : nb === null ? -1 : na - nb;
  return compareText(text(a), text(b));
};

// The items in groups: {patients: [{key, name, id, files, studies: [{key, date, description,
// files, series: [{key, identity, number, description, kind, items}]}]}], others: [items not
// checked or not readable, or no part of a study], waiting: files not checked yet}. Series'
// items are in Instance Number order (then path).
export function groupItems(items) {
  const byPatient = new Map(); // id -> name -> patient
  const others = [];
  let waiting = 0;
  for (const item of items) {
    const s = item.summary;
    const g = groupOf(item);
    // Not checked, not readable, or no part of a study (a DICOMDIR): listed apart.
    if (!readable(item) || (!g.study_instance_uid && !g.series_instance_uid)) {
      if (item.status === 'queued') waiting += 1;
      else others.push(item);
      continue;
    }
    const id = s.patient_id || '';
    const name = s.patient_name || '';
    let names = byPatient.get(id);
    if (!names) byPatient.set(id, (names = new Map()));
    let patient = names.get(name);
    if (!patient) names.set(name, (patient = { key: `${id}${SEP}${name}`, name: s.patient_name, id: s.patient_id, placeholder: g.patient_name_placeholder, files: 0, studies: new Map() }));
    patient.files += 1;
    const studyUid = g.study_instance_uid || '';
    let study = patient.studies.get(studyUid);
    if (!study) patient.studies.set(studyUid, (study = { key: `${patient.key}${SEP}${studyUid}`, date: g.study_date, description: g.study_description, files: 0, series: new Map() }));
    study.files += 1;
    const seriesUid = g.series_instance_uid || item.id;
    let series = study.series.get(seriesUid);
    if (!series) study.series.set(seriesUid, (series = { key: `${study.key}${SEP}${g.series_instance_uid || `file ${item.id}`}`, identity: seriesIdentity(item), number: g.series_number, description: g.series_description, kind: g.kind, items: [] }));
    series.items.push(item);
  }
  const list = [...byPatient.values()].flatMap((names) => [...names.values()]);
  list.sort((a, b) => compareText(a.name || a.id || '\uffff', b.name || b.id || '\uffff'));
  for (const patient of list) {
    patient.studies = [...patient.studies.values()].sort((a, b) => compareText(a.date, b.date) || compareText(a.description, b.description));
    for (const study of patient.studies) {
      study.series = [...study.series.values()].sort((a, b) => byNumberThenText(a, b, (x) => x.number, (x) => x.description));
      for (const series of study.series) {
        if (series.items.length > 1) series.items.sort((a, b) => byNumberThenText(a, b, (x) => x.summary.instance_number, (x) => x.path));
      }
    }
  }
  return { patients: list, others, waiting };
}

// The items of the series `identity` (seriesIdentity) in Instance Number order.
export function seriesItems(items, identity) {
  const found = items.filter((item) => readable(item) && inSeries(item, identity));
  return found.sort((a, b) => byNumberThenText(a, b, (x) => x.summary.instance_number, (x) => x.path));
}

// A patient as the list names them.
export function patientLabel(patient) {
  if (patient.name) return patient.id ? `${patient.name} (ID ${patient.id})` : patient.name;
  if (patient.placeholder) return `Name already removed (“${patient.placeholder}”)${patient.id ? `, ID ${patient.id}` : ''}`;
  return patient.id ? `No name, ID ${patient.id}` : 'No patient named';
}

export function studyLabel(study) {
  const what = [study.date, study.description].filter(Boolean).join(', ');
  return what ? `Study of ${what}` : 'Study without date or description';
}

// "Series 3" or "Series: AXIAL 5MM" (the number is the series' own, PS3.3 C.7.3.1).
export function seriesTitle(series) {
  const number = series.number !== null && series.number !== undefined ? `Series ${series.number}` : 'Series';
  return series.description ? `${number}: ${series.description}` : number;
}

// The series' verdicts rolled up: {status: 'leaks' | 'clean', text, leaks, named, burned,
// maybeBurned, cleaned}. text: "names the patient; 2 images have burned-in text".
export function seriesVerdict(series) {
  const n = series.items.length;
  let leaks = 0;
  let named = 0;
  let burned = 0;
  let maybeBurned = 0;
  let cleaned = 0;
  let searching = 0;
  for (const item of series.items) {
    const s = item.summary;
    if (item.status === 'leaks') leaks += 1;
    if (s.patient_name) named += 1;
    // The pixel verdict once the image was searched (pixelpass.js), the header's until then.
    const p = item.pixels;
    const searched = p && p.state === 'done';
    const risk = searched ? p.risk : s.burned_in_risk;
    if ((searched && p.regions) || risk === 'high') burned += 1;
    else if (risk === 'medium') maybeBurned += 1;
    if (p && p.state === 'pending') searching += 1;
    if (item.deid) cleaned += 1;
  }
  const images = (k) => (k === n ? (n === 1 ? 'the image' : `all ${n.toLocaleString('en')} images`) : plural(k, 'image'));
  const parts = [];
  if (named === n) parts.push('names the patient');
  else if (named) parts.push(`${images(named)} ${named === 1 ? 'names' : 'name'} the patient`);
  if (leaks && named < n) parts.push(`${images(leaks)} ${leaks === 1 ? 'has' : 'have'} patient information`);
  if (!leaks) parts.push('nothing identifying found');
  if (burned) parts.push(`${images(burned)} ${burned === 1 ? 'has' : 'have'} burned-in text`);
  if (maybeBurned) parts.push(`${images(maybeBurned)} may have burned-in text`);
  if (searching) parts.push(`searching ${plural(searching, 'image')} for text`);
  return { status: leaks ? 'leaks' : 'clean', text: parts.join('; '), leaks, named, burned, maybeBurned, searching, cleaned };
}

// "Series 3 (120 images): names the patient; 2 images have burned-in text"
export function seriesSentence(series) {
  return `${seriesTitle(series)} (${plural(series.items.length, 'image')}): ${seriesVerdict(series).text}`;
}
