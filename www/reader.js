// The text reader (OCR) on the page's side: what the workers say about loading it, said in a
// status line, and, in the single file (which may fetch nothing: connect-src 'none'), the files
// the user picks to load it ("Load the text reader"). The workers load it lazily, the first time
// an image is searched (worker.js, ensureReader); checking headers never waits for it.
//
// An image searched without the reader has its text-like marks found but not read: its verdict
// says so (the core's `text-not-read` reason, `text_read` false), and the page never calls it
// clean (views.js, the check after cleaning).

import { byId } from './dom.js';

// The files the reader needs, pinned by sha256 in scripts/fetch-models.sh (PP-OCRv5 mobile
// recognition, Apache-2.0): rec.onnx 16,517,247 bytes and dict.txt 74,012 bytes.
export const READER_FILES_TEXT = 'rec.onnx + dict.txt, 16.6 MB';

const SAID = {
  none: 'Text written in images is read by a text reader (OCR), loaded the first time an image is searched.',
  loading: `Loading the text reader (${READER_FILES_TEXT}) to read text written in images…`,
  ready: 'Text reader ready: text written in images is read and matched with the patient.',
};

// {onLoaded()}: called when the user picked the reader's files (the images are searched again).
export function createReader({ onLoaded }) {
  // The single file carries the worker's source in the page; it can fetch nothing.
  const singleFile = Boolean(document.getElementById('worker-source'));
  let picked = null; // {model: File, dictionary: File}
  let state = 'none';

  function show(next, why) {
    state = next;
    const box = byId('reader');
    box.dataset.state = next;
    box.hidden = false;
    byId('reader-status').textContent = next === 'unavailable' ? `Text written in images cannot be read: ${why || 'the text reader is not available'}. An image with text-like marks is never called clean without it.` : SAID[next];
    // The files can be picked whenever the reader is not there (always possible in the single
    // file, where the page cannot load them itself).
    byId('reader-pick-line').hidden = next === 'ready' || (!singleFile && next !== 'unavailable');
  }

  function wire() {
    show('none');
    const input = byId('reader-files');
    byId('reader-pick-btn').textContent = `Load the text reader (${READER_FILES_TEXT})…`;
    byId('reader-pick-btn').addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      const files = [...input.files];
      input.value = '';
      const model = files.find((f) => /\.onnx$/i.test(f.name));
      const dictionary = files.find((f) => /\.txt$/i.test(f.name));
      if (!model || !dictionary) {
        show('unavailable', 'pick both files of the text reader: rec.onnx and dict.txt (from the models folder next to the page)');
        return;
      }
      picked = { model, dictionary };
      show('loading');
      onLoaded();
    });
  }

  return {
    wire,
    state: () => state,
    // The engine's hooks (engine.js): a worker's news about its reader, and the files it asks
    // for in the single file (read now, transferred: the page keeps only the File objects).
    hooks: {
      status({ state: next, why }) {
        // Several workers load it: a "ready" is not taken back by another's "loading".
        if (next === 'loading' && state === 'ready') return;
        show(next, why);
      },
      async files() {
        if (!picked) return null;
        const [model, dictionary] = await Promise.all([picked.model.arrayBuffer(), picked.dictionary.text()]);
        return { model, dictionary };
      },
    },
  };
}
