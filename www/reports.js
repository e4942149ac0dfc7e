// Words for the core's codes, and the downloadable reports (JSON and CSV).

// The core's categories (Finding.category), in plain words.
export const CATEGORY_LABELS = {
  'direct-identifier': 'names or identifies a person',
  'date-time': 'dates and times',
  uid: 'unique identifiers (UIDs)',
  'free-text': 'free text',
  device: 'about the device',
  institution: 'about the hospital',
  private: 'vendor (private) elements',
  other: 'other details that can help recognise someone',
};

// PS3.15 action codes, for the detail columns.
export const ACTION_NAMES = {
  X: 'remove',
  Z: 'empty or dummy',
  D: 'dummy value',
  K: 'keep',
  C: 'clean',
  U: 'new UID',
};

export const VERDICT_TEXT = {
  queued: 'Waiting',
  leaks: 'Patient information found',
  clean: 'Nothing identifying found',
  error: 'Could not be read',
  skipped: 'Skipped: not DICOM',
  stopped: 'Not checked (stopped)',
};

// The CLI's `inspect --json` shape ({files: [{path, ok, summary, findings}]}), plus what the
// page knows beyond it (verdict, error, the de-identification's results). Returned as parts of
// a Blob, one per file, so a long list never becomes one huge string. `findings` maps an item
// to {summary, transfer_syntax, warnings, findings}, read again for the report.
export function jsonReportParts(items, context, findings) {
  const head = {
    tool: 'dicom-leakcheck (web page)',
    version: context.version,
    options: context.options,
    note: 'This report lists the identifying values that were found: keep it as private as the files.',
  };
  const parts = [JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "files": [\n')];
  items.forEach((item, i) => {
    const entry = {
      path: item.path,
      ok: Boolean(item.summary),
      verdict: item.status,
      size: item.blob.size,
    };
    const full = findings.get(item);
    if (item.summary) {
      entry.summary = full ? full.summary : item.summary;
      entry.transfer_syntax = item.transferSyntax;
      entry.warnings = item.warnings || [];
      entry.findings = full ? full.findings : [];
    }
    if (item.error) entry.error = item.error;
    if (item.deid) {
      entry.deidentified = {
        name: item.deid.name,
        size: item.deid.blob.size,
        changes: item.deid.changes,
        residual: item.deid.residual,
        warnings: item.deid.warnings,
        sop_instance_uid: item.deid.sopInstanceUid,
      };
    }
    parts.push(`${i ? ',\n' : ''}    ${JSON.stringify(entry)}`);
  });
  parts.push('\n  ]\n}\n');
  return parts;
}

const CSV_COLUMNS = ['file', 'verdict', 'tag', 'path', 'keyword', 'vr', 'value', 'action', 'table_action', 'category', 'reason', 'effect', 'private_creator', 'offset', 'length'];

// A spreadsheet must not take a value for a formula (CSV injection).
function csvCell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-?[0-9.]+$/.test(text))) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// One row per flagged element; files with nothing flagged get one row with their verdict.
export function csvReportParts(items, findings) {
  const rows = [CSV_COLUMNS];
  for (const item of items) {
    const full = findings.get(item);
    const flagged = full ? full.findings : [];
    if (flagged.length === 0) {
      rows.push([item.path, item.status, '', '', '', '', item.error || '', '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const f of flagged) {
      rows.push([item.path, item.status, f.tag, f.path, f.keyword, f.vr, f.value, f.action, f.table_action, f.category, f.reason, f.effect, f.private_creator, f.offset, f.length]);
    }
  }
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n');
}
