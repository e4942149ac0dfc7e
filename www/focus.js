// Where keyboard focus and the screen reader's attention go: to the summary when a check
// finishes (its verdict said in a live region), and back to the control the user was on when
// the page redrew or disabled it (a download from the keyboard must not leave focus on <body>).

import { byId } from './dom.js';

// Says `text` in the page's live region (#announce). Emptied first, so the same verdict twice
// is said twice.
export function announce(text) {
  const box = byId('announce');
  box.textContent = '';
  setTimeout(() => {
    box.textContent = text;
  }, 50);
}

// Brings the summary of the results on screen and puts focus on it.
export function showSummary() {
  const box = byId('overview');
  if (!box || box.closest('[hidden]')) return;
  box.scrollIntoView({ block: 'start' });
  box.focus({ preventScroll: true });
}

// A selector that finds `el` again after a redraw: its id, or its data-focus key (inside the
// file's card, which has an id). Null when it cannot be found again.
export function focusKeyOf(el) {
  if (!el || el === document.body || !el.isConnected) return null;
  if (el.id) return `#${CSS.escape(el.id)}`;
  const key = el.dataset && el.dataset.focus;
  if (!key) return null;
  const card = el.closest('[id]');
  return `${card ? `#${CSS.escape(card.id)} ` : ''}[data-focus="${CSS.escape(key)}"]`;
}

// Focus `key`'s element again when focus was lost meanwhile (the element was replaced or
// disabled, so the browser put focus on <body>).
export function restoreFocus(key) {
  const now = document.activeElement;
  if (!key || (now && now !== document.body && now.isConnected)) return;
  const el = document.querySelector(key);
  if (el && !el.disabled && !el.closest('[hidden]')) el.focus({ preventScroll: true });
}

// Runs `task`, then restores focus to where it was if the task made it drop.
export async function keepingFocus(task) {
  const key = focusKeyOf(document.activeElement);
  try {
    return await task();
  } finally {
    restoreFocus(key);
  }
}
