// Words for the core's codes, and the downloadable reports (JSON and CSV).

// The core's categories (Finding.category), in plain words: filled from the module's
// categories() when the workers start.
export const CATEGORY_LABELS = {};

export function setCategoryLabels(categories) {
  for (const { name, label } of categories || []) CATEGORY_LABELS[name] = label;
}

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
// page knows beyond it (verdict, error, the de-identification's results), written in pieces
// (head, one entry per file, tail) so a long list never becomes one huge string. `full` is
// {summary, findings} of the file, read again for the report (null when unreadable).
export function jsonReportHead(context) {
  const head = {
    tool: 'dicom-leakcheck (web page)',
    version: context.version,
    options: context.options,
    note: 'This report lists the identifying values that were found: keep it as private as the files.',
  };
  return JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "files": [\n');
}

export const JSON_REPORT_TAIL = '\n  ]\n}\n';

export function jsonReportEntry(item, full, first) {
  const entry = {
    path: item.path,
    ok: Boolean(item.summary),
    verdict: item.status,
    size: item.blob.size,
  };
  if (item.summary) {
    entry.summary = full ? full.summary : item.summary;
    entry.transfer_syntax = item.transferSyntax;
    entry.warnings = item.warnings || [];
    entry.findings = full ? full.findings : [];
  }
  if (item.error) entry.error = item.error;
  // A damaged file: whom the part before the damage names.
  if (item.damaged) entry.damaged = item.damaged;
  if (item.deid) {
    entry.deidentified = {
      name: item.deid.name,
      // Where it is in the last zip saved: the mapping from old to new paths is here only.
      path_in_zip: item.deid.zipPath || null,
      size: item.deid.blob.size,
      changes: item.deid.changes,
      residual: item.deid.residual,
      warnings: item.deid.warnings,
      sop_instance_uid: item.deid.sopInstanceUid,
    };
  }
  return `${first ? '' : ',\n'}    ${JSON.stringify(entry)}`;
}

const CSV_COLUMNS = ['file', 'verdict', 'tag', 'path', 'keyword', 'vr', 'value', 'action', 'table_action', 'category', 'reason', 'effect', 'private_creator', 'offset', 'length'];

// A spreadsheet must not take a value for a formula (CSV injection).
function csvCell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-?[0-9.]+$/.test(text))) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (row) => row.map(csvCell).join(',') + '\r\n';

export const CSV_REPORT_HEAD = csvLine(CSV_COLUMNS);

// One row per flagged element; files with nothing flagged get one row with their verdict.
export function csvReportRows(item, full) {
  const flagged = full ? full.findings : [];
  if (flagged.length === 0) return csvLine([item.path, item.status, '', '', '', '', item.error || '', '', '', '', '', '', '', '', '']);
  return flagged.map((f) => csvLine([item.path, item.status, f.tag, f.path, f.keyword, f.vr, f.value, f.action, f.table_action, f.category, f.reason, f.effect, f.private_creator, f.offset, f.length])).join('');
}
