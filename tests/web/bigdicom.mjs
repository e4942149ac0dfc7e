// A synthetic uncompressed multi-frame DICOM file of any size, written to disk as a stream
// (the pixel data is never held in memory), and reading its Pixel Data back in chunks.
// Explicit VR Little Endian (PS3.5 section 7.1.2), Multi-frame Grayscale Word Secondary
// Capture (PS3.3 A.8.3), 512 x 512 x 16 bit frames of pseudo-random values.
import { createWriteStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const FRAME_BYTES = 512 * 512 * 2;

function element(group, elem, vr, value, length = null) {
  let body = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (body.length % 2) body = Buffer.concat([body, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]);
  const len = length === null ? body.length : length;
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(len, 8);
  else head.writeUInt16LE(len, 6);
  return Buffer.concat([head, body]);
}

const us = (n) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

// Everything before the pixel values: preamble, meta group, data set, Pixel Data header.
// `transferSyntax` and `encapsulated` (undefined length, OB) for a compressed file.
export function bigHeader(frames, { transferSyntax = '1.2.840.10008.1.2.1', encapsulated = false } = {}) {
  const sopClass = '1.2.840.10008.5.1.4.1.1.7.3';
  const sopInstance = '1.2.826.0.1.3680043.10.543.1.1';
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', sopClass),
    element(0x0002, 0x0003, 'UI', sopInstance),
    element(0x0002, 0x0010, 'UI', transferSyntax),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.543.9'),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  const pixelLength = frames * FRAME_BYTES;
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    element(0x0002, 0x0000, 'UL', groupLength),
    metaBody,
    element(0x0008, 0x0016, 'UI', sopClass),
    element(0x0008, 0x0018, 'UI', sopInstance),
    element(0x0008, 0x0020, 'DA', '20240102'),
    element(0x0008, 0x0060, 'CS', 'OT'),
    element(0x0008, 0x0080, 'LO', 'ST. ELSEWHERE'),
    element(0x0010, 0x0010, 'PN', 'DOE^JOHN'),
    element(0x0010, 0x0020, 'LO', 'LC-12345'),
    element(0x0010, 0x0030, 'DA', '19700101'),
    element(0x0020, 0x000d, 'UI', '1.2.826.0.1.3680043.10.543.2'),
    element(0x0020, 0x000e, 'UI', '1.2.826.0.1.3680043.10.543.3'),
    element(0x0020, 0x0013, 'IS', '1'),
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0008, 'IS', String(frames)),
    element(0x0028, 0x0010, 'US', us(512)),
    element(0x0028, 0x0011, 'US', us(512)),
    element(0x0028, 0x0100, 'US', us(encapsulated ? 8 : 16)),
    element(0x0028, 0x0101, 'US', us(encapsulated ? 8 : 16)),
    element(0x0028, 0x0102, 'US', us(encapsulated ? 7 : 15)),
    element(0x0028, 0x0103, 'US', us(0)),
    encapsulated ? element(0x7fe0, 0x0010, 'OB', Buffer.alloc(0), 0xffffffff) : element(0x7fe0, 0x0010, 'OW', Buffer.alloc(0), pixelLength),
  ]);
}

// Writes a file of about `megabytes` MB; resolves to {path, size, pixelOffset, pixelSha256}.
export async function writeBigDicom(path, megabytes) {
  const frames = Math.max(1, Math.round((megabytes * 1024 * 1024) / FRAME_BYTES));
  const header = bigHeader(frames);
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  out.write(header);
  const chunkFrames = 16;
  let state = 0x9e3779b9;
  for (let done = 0; done < frames; done += chunkFrames) {
    const n = Math.min(chunkFrames, frames - done);
    const words = new Uint32Array((n * FRAME_BYTES) / 4);
    for (let i = 0; i < words.length; i++) {
      // xorshift32: cheap, deterministic, and no two frames alike.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    const chunk = Buffer.from(words.buffer);
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { path, size: statSync(path).size, pixelOffset: header.length, pixelBytes: frames * FRAME_BYTES, pixelSha256: hash.digest('hex') };
}

// Where the Pixel Data value starts in a file (Explicit VR LE, (7FE0,0010) OW with a defined
// length), searched in its first 16 MB; {offset, length} of the value.
export function findPixelData(path) {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16 * 1024 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const tag = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0]);
    const at = head.subarray(0, n).indexOf(tag);
    if (at < 0) throw new Error(`${path}: no Pixel Data element found`);
    return { offset: at + 12, length: head.readUInt32LE(at + 8) };
  } finally {
    closeSync(fd);
  }
}

// SHA-256 of `length` bytes from `offset`, read in 8 MB chunks.
export function hashRange(path, offset, length) {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, length - done), offset + done);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      done += n;
    }
    return { sha256: hash.digest('hex'), read: done };
  } finally {
    closeSync(fd);
  }
}

// The first `n` bytes of a file.
export function readHead(path, n) {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(n);
    const got = readSync(fd, head, 0, n, 0);
    return head.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

// A compressed multi-frame file of about `megabytes` MB whose Pixel Data is encapsulated
// (PS3.5 A.4) with an EMPTY Basic Offset Table and one fragment per frame, fragments of
// varying sizes, so a reader can find each fragment only from the one before it: the case
// that needs a fragment header read per step. JPEG Baseline transfer syntax (PS3.5 A.4.1);
// the fragments are a JPEG start and end marker around pseudo-random bytes (nothing here
// decodes them: the file is read by ranges, its pixels copied as they are).
// Resolves to {path, size, frames, pixelOffset, pixelSha256} (the hash of every byte from the
// Pixel Data value to the end of the file: item headers, fragments, sequence delimiter).
export async function writeBigEncapsulated(path, megabytes) {
  const average = 256 * 1024;
  const frames = Math.max(2, Math.round((megabytes * 1024 * 1024) / average));
  const sizes = Array.from({ length: frames }, (_, i) => average - 32 * 1024 + ((i * 7919) % 64) * 1024);
  const header = bigHeader(frames, { transferSyntax: '1.2.840.10008.1.2.4.50', encapsulated: true });
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  out.write(header);
  const item = (length) => {
    const b = Buffer.alloc(8);
    b.writeUInt16LE(0xfffe, 0);
    b.writeUInt16LE(0xe000, 2);
    b.writeUInt32LE(length, 4);
    return b;
  };
  const write = async (chunk) => {
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(item(0)); // the Basic Offset Table, empty
  let state = 0x2545f491;
  const block = Buffer.alloc(average + 32 * 1024);
  for (let f = 0; f < frames; f++) {
    // A fresh pseudo-random start per frame; the rest of the block is reused.
    for (let i = 0; i < 4096; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      block.writeUInt32LE(state >>> 0, i);
    }
    const fragment = block.subarray(0, sizes[f]);
    fragment.writeUInt16BE(0xffd8, 0); // SOI
    fragment.writeUInt16BE(0xffd9, sizes[f] - 2); // EOI
    await write(item(sizes[f]));
    await write(Buffer.from(fragment));
  }
  const delimiter = Buffer.alloc(8);
  delimiter.writeUInt16LE(0xfffe, 0);
  delimiter.writeUInt16LE(0xe0dd, 2);
  await write(delimiter);
  out.end();
  await once(out, 'finish');
  return { path, size: statSync(path).size, frames, pixelOffset: header.length, pixelSha256: hash.digest('hex') };
}

// Where the encapsulated Pixel Data value starts ((7FE0,0010) OB, undefined length), searched
// in the first 16 MB.
export function findEncapsulatedPixelData(path) {
  const head = readHead(path, 16 * 1024 * 1024);
  const tag = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const at = head.indexOf(tag);
  if (at < 0) throw new Error(`${path}: no encapsulated Pixel Data element found`);
  return at + 12;
}
