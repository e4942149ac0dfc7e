// The image preview in a file's card: the current frame on a canvas (window/level, frames and
// cine, zoom and pan, overlay planes), the risk of text burned into the pixels with its reasons,
// and boxes over that text (found by the text finder, known screen layouts, or drawn by the
// user) that the Clean Pixel Data option blacks out (PS3.15 E.3.1). Decoding and text finding
// run in the worker (worker.js). This module: the panel (risk, then the viewer of
// preview-viewer.js) and the cleaned frame after cleaning.

import { h, clear } from './dom.js';
import { defaultWindow, paintFrame } from './preview-draw.js';
import { viewOf, loadInfo, burnedIn } from './preview-state.js';
import { buildViewer } from './preview-viewer.js';

const RISK_TEXT = { high: 'High', medium: 'Medium', low: 'Low' };

// ---- the panel ----------------------------------------------------------------------------------

// ctx: {request(type, payload), pixelCleaning() -> bool, onRegionsChange(item)}
export function previewPanel(item, ctx) {
  const view = viewOf(item);
  const uid = `pv${item.id}`;
  const body = h('div', { class: 'pv-body' }, h('p', { class: 'fine' }, 'Loading the image…'));
  const section = h(
    'section',
    { class: 'preview', 'aria-labelledby': `${uid}-h`, 'data-testid': 'preview' },
    h('h4', { id: `${uid}-h` }, 'The image'),
    riskBlock(item),
    body,
  );
  loadInfo(item, ctx)
    .then(() => {
      clear(body);
      // The verdict may have been refined with the pixels searched (preview-state.js).
      const risk = section.querySelector('[data-testid=burned-in-risk]');
      const fresh = riskBlock(item);
      if (risk && fresh) risk.replaceWith(fresh);
      else if (fresh) section.insertBefore(fresh, body);
      if (!view.available) {
        body.append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, 'The image cannot be shown by this version of the page.'));
        return;
      }
      if (!view.error && !view.info) {
        // No Pixel Data (a DICOMDIR, a structured report, …): nothing to show.
        section.hidden = true;
        return;
      }
      if (view.error) {
        body.append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, `The image cannot be shown: ${view.error}`));
        return;
      }
      if (view.info.cannot_decode) {
        body.append(h('p', { class: 'notes pv-cannot', 'data-testid': 'preview-message' }, view.info.cannot_decode));
        return;
      }
      buildViewer(item, ctx, body, uid);
    })
    .catch((e) => {
      if (e.name !== 'CancelledError') clear(body).append(h('p', { class: 'fine', 'data-testid': 'preview-message' }, `The image cannot be shown: ${e.message}`));
    });
  return section;
}

// A newer verdict (the pixels searched) for the card `card` of `item`: its risk block anew.
export function refreshRisk(card, item) {
  const risk = card.querySelector('[data-testid=burned-in-risk]');
  const fresh = riskBlock(item);
  if (risk && fresh) risk.replaceWith(fresh);
}

// The risk of burned-in text, in plain words, with the DICOM detail folded.
function riskBlock(item) {
  const b = burnedIn(item);
  if (!b || !b.risk) return null;
  const reasons = b.reasons || [];
  return h(
    'div',
    { class: `pv-risk pv-risk-${b.risk}`, 'data-testid': 'burned-in-risk', 'data-risk': b.risk },
    h('p', {}, h('strong', {}, `Risk of text burned into the image: ${RISK_TEXT[b.risk] || b.risk}.`), ' ', b.risk === 'low' ? 'Nothing suggests text in the pixels.' : 'Patient information may be written into the picture itself; cleaning the header does not remove it.'),
    reasons.length ? h('ul', { class: 'pv-reasons' }, reasons.map((r) => h('li', { 'data-level': r.level || null }, r.text || r.code))) : null,
    reasons.some((r) => r.detail || r.code)
      ? h('details', { class: 'dicom-detail' }, h('summary', {}, 'Why (DICOM detail)'), h('ul', { class: 'fine' }, reasons.map((r) => h('li', {}, h('code', {}, r.code || ''), r.detail ? ` ${r.detail}` : ''))))
      : null,
  );
}

// ---- the cleaned image --------------------------------------------------------------------------

// The cleaned file's frame (the one shown in the preview), decoded from the output bytes, so
// the user sees what leaves the computer.
export function cleanedPreview(item, ctx) {
  const view = item.view;
  if (!item.deid || !view || !view.info || !view.available || view.info.cannot_decode) return null;
  const canvas = h('canvas', { class: 'pv-cleaned', 'data-testid': 'cleaned-canvas' });
  const note = h('p', { class: 'fine' }, 'Decoding the cleaned file…');
  const figure = h('figure', { class: 'pv-after' }, canvas, h('figcaption', {}, `The cleaned image, frame ${view.frame + 1}: check that no text is left before you share it.`), note);
  (async () => {
    try {
      // No fileId: the worker keeps the original's bytes, not this one-off read.
      const blob = item.deid.blob;
      const info = await ctx.request('imageInfo', { blob });
      const r = await ctx.request('decodeFrame', { blob, index: view.frame });
      paintFrame(canvas, info.info || view.info, r.frame, view.wl || defaultWindow(info.info || view.info, r.frame));
      canvas.dataset.ready = 'true';
      note.remove();
    } catch (e) {
      if (e.name !== 'CancelledError') note.textContent = `The cleaned image cannot be shown: ${e.message}`;
    }
  })();
  return figure;
}
