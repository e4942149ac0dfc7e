// Synthetic DICOM files for the page's tests, written here byte by byte (Explicit VR Little
// Endian, PS3.5 7.1.2; Part 10 files, PS3.10 7.1): CT series of a made-up patient, a
// structured report, and a DICOMDIR whose records point at them (PS3.3 F.3). Every name, ID
// and date is invented; nothing here comes from a real file.

const LONG_LENGTH = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

function pad(buffer, byte) {
  return buffer.length % 2 ? Buffer.concat([buffer, Buffer.from([byte])]) : buffer;
}

function valueBytes(vr, value) {
  if (Buffer.isBuffer(value)) return pad(value, 0);
  if (vr === 'SQ') return Buffer.concat(value.map((item) => itemBytes(item)));
  const numbers = Array.isArray(value) ? value : [value];
  const sized = { US: [2, 'writeUInt16LE'], SS: [2, 'writeInt16LE'], UL: [4, 'writeUInt32LE'], SL: [4, 'writeInt32LE'], FL: [4, 'writeFloatLE'], FD: [8, 'writeDoubleLE'] }[vr];
  if (sized) {
    const out = Buffer.alloc(sized[0] * numbers.length);
    numbers.forEach((n, i) => out[sized[1]](n, i * sized[0]));
    return out;
  }
  return pad(Buffer.from(String(value), 'latin1'), vr === 'UI' ? 0 : 0x20);
}

function header(tag, vr, length) {
  const head = Buffer.alloc(LONG_LENGTH.has(vr) ? 12 : 8);
  head.writeUInt16LE(tag >>> 16, 0);
  head.writeUInt16LE(tag & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  if (LONG_LENGTH.has(vr)) head.writeUInt32LE(length, 8);
  else head.writeUInt16LE(length, 6);
  return head;
}

// [[tag, vr, value]]: value a string, a number or numbers, a Buffer, or (SQ) a list of items,
// each a list of elements. Elements are written in the order given (give them in tag order).
export function elementsBytes(elements) {
  return Buffer.concat(elements.flatMap(([tag, vr, value]) => {
    const bytes = valueBytes(vr, value);
    return [header(tag, vr, bytes.length), bytes];
  }));
}

function itemBytes(elements) {
  const body = elementsBytes(elements);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0xfffe, 0);
  head.writeUInt16LE(0xe000, 2);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

// Preamble, "DICM", the File Meta Information (PS3.10 7.1), then the data set.
export function part10(sopClassUid, sopInstanceUid, dataset) {
  const meta = elementsBytes([
    [0x00020001, 'OB', Buffer.from([0, 1])],
    [0x00020002, 'UI', sopClassUid],
    [0x00020003, 'UI', sopInstanceUid],
    [0x00020010, 'UI', EXPLICIT_LE],
    [0x00020012, 'UI', '2.25.1234567890'],
  ]);
  const groupLength = elementsBytes([[0x00020000, 'UL', meta.length]]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, meta, elementsBytes(dataset)]);
}

// A made-up CT slice: `side`×`side` 16-bit values in Hounsfield units (rescale −1024), a
// disc whose size changes with the instance number, so slices differ.
// {patient: {name, id, birthDate}, study: {uid, date, description}, series: {uid, number,
// description}, instance, side, burnedIn (Burned In Annotation YES)}
// `text`: optional coverage (0–255 per pixel, `side`×`side`) of text to burn in, written as
// bright as bone over the anatomy (as a viewer's export writes its labels).
export function ctSlice({ patient, study, series, instance, side = 32, burnedIn = false, text = null }) {
  const sop = `${series.uid}.${instance}`;
  const pixels = Buffer.alloc(side * side * 2);
  const r = side * (0.22 + 0.18 * ((instance % 10) / 10));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const d = Math.hypot(x - side / 2, y - side / 2);
      // Air outside, soft tissue inside the body (a smooth shading: stripes would look like
      // text to the text finder), bone in a disc.
      const body = d < r ? 700 : d < side * 0.45 ? 40 + Math.round(20 * (y / side)) : -1000;
      const ink = text ? text[y * side + x] / 255 : 0;
      const hu = Math.round(body * (1 - ink) + 2000 * ink);
      pixels.writeUInt16LE(hu + 1024, (y * side + x) * 2);
    }
  }
  const dataset = [
    [0x00080005, 'CS', 'ISO_IR 100'],
    [0x00080008, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'],
    [0x00080016, 'UI', CT_IMAGE_STORAGE],
    [0x00080018, 'UI', sop],
    [0x00080020, 'DA', study.date],
    [0x00080060, 'CS', 'CT'],
    [0x00080080, 'LO', 'ST. ELSEWHERE GENERAL HOSPITAL'],
    [0x00081030, 'LO', study.description],
    [0x0008103e, 'LO', series.description],
    [0x00100010, 'PN', patient.name],
    [0x00100020, 'LO', patient.id],
    [0x00100030, 'DA', patient.birthDate],
    [0x0020000d, 'UI', study.uid],
    [0x0020000e, 'UI', series.uid],
    [0x00200011, 'IS', String(series.number)],
    [0x00200013, 'IS', String(instance)],
    [0x00200032, 'DS', `0\\0\\${instance * 5}`],
    [0x00280002, 'US', 1],
    [0x00280004, 'CS', 'MONOCHROME2'],
    [0x00280010, 'US', side],
    [0x00280011, 'US', side],
    [0x00280100, 'US', 16],
    [0x00280101, 'US', 12],
    [0x00280102, 'US', 11],
    [0x00280103, 'US', 0],
    [0x00280301, 'CS', burnedIn ? 'YES' : 'NO'],
    [0x00281050, 'DS', '40'],
    [0x00281051, 'DS', '400'],
    [0x00281052, 'DS', '-1024'],
    [0x00281053, 'DS', '1'],
    [0x7fe00010, 'OW', pixels],
  ];
  return { sopInstanceUid: sop, sopClassUid: CT_IMAGE_STORAGE, bytes: part10(CT_IMAGE_STORAGE, sop, dataset) };
}

const code = (value, meaning, scheme = 'DCM') => [
  [0x00080100, 'SH', value],
  [0x00080102, 'SH', scheme],
  [0x00080104, 'LO', meaning],
];

function contentItem(relationship, valueType, concept, more) {
  return [[0x0040a010, 'CS', relationship], [0x0040a040, 'CS', valueType], [0x0040a043, 'SQ', [code('99', concept)]], ...more];
}

// A made-up Comprehensive SR (PS3.3 A.35.3) of the patient: an observer's name, a finding that
// names the patient, a measurement, a coded impression and a date of birth in a section.
export function structuredReport({ patient, study, uid = '2.25.4242424242.1' }) {
  const dataset = [
    [0x00080005, 'CS', 'ISO_IR 100'],
    [0x00080016, 'UI', COMPREHENSIVE_SR],
    [0x00080018, 'UI', uid],
    [0x00080020, 'DA', study.date],
    [0x00080060, 'CS', 'SR'],
    [0x00081030, 'LO', study.description],
    [0x00100010, 'PN', patient.name],
    [0x00100020, 'LO', patient.id],
    [0x00100030, 'DA', patient.birthDate],
    [0x0020000d, 'UI', study.uid],
    [0x0020000e, 'UI', `${uid}.9`],
    [0x00200011, 'IS', '99'],
    [0x00200013, 'IS', '1'],
    [0x0040a040, 'CS', 'CONTAINER'],
    [0x0040a043, 'SQ', [code('18748-4', 'Diagnostic imaging report', 'LN')]],
    [0x0040a050, 'CS', 'SEPARATE'],
    [
      0x0040a730,
      'SQ',
      [
        contentItem('HAS OBS CONTEXT', 'PNAME', 'Person Observer Name', [[0x0040a123, 'PN', 'HOUSE^GREGORY']]),
        contentItem('CONTAINS', 'TEXT', 'Finding', [[0x0040a160, 'UT', `No acute findings. Discussed with ${patient.name.replace('^', ' ')} and his wife on the ward.`]]),
        contentItem('CONTAINS', 'NUM', 'Diameter', [[0x0040a300, 'SQ', [[[0x004008ea, 'SQ', [code('mm', 'millimeter', 'UCUM')]], [0x0040a30a, 'DS', '12.5']]]]]),
        contentItem('CONTAINS', 'CODE', 'Impression', [[0x0040a168, 'SQ', [code('17621005', 'Normal', 'SCT')]]]),
        contentItem('CONTAINS', 'CONTAINER', 'Patient details', [
          [0x0040a050, 'CS', 'SEPARATE'],
          [0x0040a730, 'SQ', [contentItem('CONTAINS', 'DATE', 'Date of birth', [[0x0040a121, 'DA', patient.birthDate]])]],
        ]),
      ],
    ],
  ];
  return { sopInstanceUid: uid, sopClassUid: COMPREHENSIVE_SR, bytes: part10(COMPREHENSIVE_SR, uid, dataset) };
}

// A DICOMDIR (PS3.3 F.3, PS3.10 8.6) for `files` ({path: 'DICOM/…' with '/' between folders,
// patient, study, series, file: {sopClassUid, sopInstanceUid}}): PATIENT → STUDY → SERIES →
// IMAGE records, the offsets to next and lower records in bytes from the start of the file.
export function dicomdir(files, fileSetId = 'LEAKCHECK_CD') {
  const patients = new Map();
  for (const f of files) {
    if (!patients.has(f.patient.id)) patients.set(f.patient.id, { patient: f.patient, studies: new Map() });
    const p = patients.get(f.patient.id);
    if (!p.studies.has(f.study.uid)) p.studies.set(f.study.uid, { study: f.study, series: new Map() });
    const s = p.studies.get(f.study.uid);
    if (!s.series.has(f.series.uid)) s.series.set(f.series.uid, { series: f.series, images: [] });
    s.series.get(f.series.uid).images.push(f);
  }
  // Records in the order they are written (depth first), each with its children.
  const records = [];
  const add = (type, fields, children) => {
    const record = { type, fields, children: [] };
    records.push(record);
    for (const child of children()) record.children.push(child);
    return record;
  };
  const roots = [...patients.values()].map((p) =>
    add('PATIENT', [[0x00100010, 'PN', p.patient.name], [0x00100020, 'LO', p.patient.id]], () =>
      [...p.studies.values()].map((s) =>
        add('STUDY', [[0x00080020, 'DA', s.study.date], [0x00080030, 'TM', '101500'], [0x00080050, 'SH', ''], [0x00081030, 'LO', s.study.description], [0x0020000d, 'UI', s.study.uid], [0x00200010, 'SH', 'S1']], () =>
          [...s.series.values()].map((se) =>
            add('SERIES', [[0x00080060, 'CS', se.images[0].modality || 'CT'], [0x0020000e, 'UI', se.series.uid], [0x00200011, 'IS', String(se.series.number)]], () =>
              se.images.map((f) =>
                add(f.recordType || 'IMAGE', [
                  [0x00041500, 'CS', f.path.split('/').join('\\')],
                  [0x00041510, 'UI', f.file.sopClassUid],
                  [0x00041511, 'UI', f.file.sopInstanceUid],
                  [0x00041512, 'UI', EXPLICIT_LE],
                  [0x00200013, 'IS', String(f.instance || 1)],
                ], () => []),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  const next = new Map();
  const linkSiblings = (list) => list.forEach((r, i) => next.set(r, list[i + 1] || null));
  linkSiblings(roots);
  for (const r of records) linkSiblings(r.children);
  const recordElements = (r, offsets) => [
    [0x00041400, 'UL', offsets.get(next.get(r)) || 0],
    [0x00041410, 'US', 0xffff],
    [0x00041420, 'UL', offsets.get(r.children[0]) || 0],
    [0x00041430, 'CS', r.type],
    ...r.fields,
  ];
  const build = (offsets) =>
    part10(MEDIA_STORAGE_DIRECTORY, '2.25.99887766', [
      [0x00041130, 'CS', fileSetId],
      [0x00041200, 'UL', offsets.get(roots[0]) || 0],
      [0x00041202, 'UL', offsets.get(roots[roots.length - 1]) || 0],
      [0x00041212, 'US', 0],
      [0x00041220, 'SQ', records.map((r) => recordElements(r, offsets))],
    ]);
  // Offsets do not change any length (UL is 4 bytes): measure with zeros, then write them.
  const zeros = new Map();
  const draft = build(zeros);
  const firstItem = draft.length - records.reduce((n, r) => n + 8 + elementsBytes(recordElements(r, zeros)).length, 0);
  const offsets = new Map();
  let at = firstItem;
  for (const r of records) {
    offsets.set(r, at);
    at += 8 + elementsBytes(recordElements(r, zeros)).length;
  }
  return build(offsets);
}

// A made-up patient's CD in `dir`: DICOMDIR at the top, DICOM/S<n>/ per series. `series`:
// [{number, description, slices, burnedIn: [instance numbers]}] of one study of ROE^RICHARD,
// then his structured report, and a one-slice series of a patient whose name was already
// replaced by "Anonymized". Returns [{path, bytes}], the DICOMDIR first.
export const CD_PATIENT = { name: 'ROE^RICHARD', id: 'RR-4711', birthDate: '19650412' };
export const CD_STUDY = { uid: '2.25.31415926535.1', date: '20240517', description: 'CT CHEST' };
export const CD_ANONYMIZED = { name: 'Anonymized', id: 'ANON-0042', birthDate: '19800101' };

export function cdFiles(series) {
  const files = [];
  const add = (path, entry) => files.push({ path, ...entry });
  for (const s of series) {
    const meta = { uid: `${CD_STUDY.uid}.${s.number}`, number: s.number, description: s.description };
    for (let i = 1; i <= s.slices; i++) {
      const file = ctSlice({ patient: CD_PATIENT, study: CD_STUDY, series: meta, instance: i, burnedIn: (s.burnedIn || []).includes(i) });
      add(`DICOM/S${s.number}/IM${String(i).padStart(4, '0')}.dcm`, { patient: CD_PATIENT, study: CD_STUDY, series: meta, file, instance: i, bytes: file.bytes });
    }
  }
  const report = structuredReport({ patient: CD_PATIENT, study: CD_STUDY });
  add('DICOM/SR/REPORT.dcm', { patient: CD_PATIENT, study: CD_STUDY, series: { uid: `${report.sopInstanceUid}.9`, number: 99 }, file: report, recordType: 'SR', modality: 'SR', bytes: report.bytes });
  const otherStudy = { uid: '2.25.27182818.1', date: '20230102', description: 'CT HEAD' };
  const other = { uid: '2.25.27182818.2', number: 1, description: 'HEAD' };
  const anonymized = ctSlice({ patient: CD_ANONYMIZED, study: otherStudy, series: other, instance: 1 });
  add('DICOM/ANON/IM0001.dcm', { patient: CD_ANONYMIZED, study: otherStudy, series: other, file: anonymized, instance: 1, bytes: anonymized.bytes });
  return [{ path: 'DICOMDIR', bytes: dicomdir(files) }, ...files];
}
