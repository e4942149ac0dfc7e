// Turning what the user gives (dropped files and folders, picked files, a picked folder) into
// a flat list of {path, blob}. Folders are walked recursively; nothing is read yet.

// Reads all entries of a dropped folder (readEntries returns them in batches).
function readAllEntries(directory) {
  const reader = directory.createReader();
  const all = [];
  return new Promise((resolve, reject) => {
    const more = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          more();
        }
      }, reject);
    more();
  });
}

function entryFile(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walkEntry(entry, out, depth) {
  const path = entry.fullPath ? entry.fullPath.replace(/^\/+/, '') : entry.name;
  if (entry.isFile) {
    out.push({ path, blob: await entryFile(entry) });
  } else if (entry.isDirectory && depth < 64) {
    for (const child of await readAllEntries(entry)) await walkEntry(child, out, depth + 1);
  }
}

// From a drop event's DataTransfer. Entries must be taken synchronously, before any await.
export async function filesFromDataTransfer(dataTransfer) {
  const items = Array.from(dataTransfer.items || []).filter((item) => item.kind === 'file');
  const taken = items.map((item) => ({
    entry: typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null,
    file: item.getAsFile(),
  }));
  const out = [];
  for (const { entry, file } of taken) {
    if (entry) await walkEntry(entry, out, 0);
    else if (file) out.push({ path: file.name, blob: file });
  }
  if (items.length === 0 && dataTransfer.files) {
    for (const file of dataTransfer.files) out.push({ path: file.name, blob: file });
  }
  return out;
}

// From an <input type=file> (with or without webkitdirectory).
export function filesFromInput(input) {
  return Array.from(input.files || []).map((file) => ({
    path: file.webkitRelativePath || file.name,
    blob: file,
  }));
}

// Zip archives are recognised by their first bytes, whatever their name.
export async function isZip(blob) {
  if (blob.size < 4) return false;
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

export function baseName(path) {
  const parts = path.split('/');
  return parts[parts.length - 1] || path;
}

// What makes two added files the same file: its path as added, size and time of change (a
// Blob from a zip has no time; its path and size stand for it). Reading contents to compare
// would cost a read of every file; the same folder added twice is the case this is for.
export function sameFileKey(path, blob) {
  return `${path}\u0000${blob.size}\u0000${blob.lastModified === undefined ? '' : blob.lastModified}`;
}
