// The options panel (from the module's list of PS3.15 options) and the user's key, with what
// is remembered in this browser's localStorage: the options always, the key only when asked.

import { h, clear, byId, saveBlob } from './dom.js';

const SETTINGS_KEY = 'dicom-leakcheck.settings';
const KEY_KEY = 'dicom-leakcheck.key';
// Options the module accepts that the page does not offer yet (no effect in this version).
const NOT_YET = new Set([]);

function loadSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) || '{}');
    return { options: Array.isArray(saved.options) ? saved.options : [], rememberKey: Boolean(saved.rememberKey) };
  } catch {
    return { options: [], rememberKey: false };
  }
}

function storeSettings(settings) {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Storage may be off (private windows): settings then last for this visit only.
  }
}

// engine: the worker client; onOptionsChange(names) after each change of the options,
// onKeyChange() after each change of the key.
export function createSettings(engine, onOptionsChange, onKeyChange) {
  const settings = loadSettings();
  let key = null; // the key file's text, when the user has one
  let sessionKey = null; // made on first use when the user has none; never shown or stored
  if (settings.rememberKey) {
    try {
      key = localStorage.getItem(KEY_KEY);
    } catch {
      key = null;
    }
  }
  let known = [];

  function chosen() {
    const names = settings.options.filter((name) => known.some((o) => o.name === name) && !NOT_YET.has(name));
    // Settings saved before may hold two options that exclude each other: keep the first.
    const excludes = (name) => known.find((o) => o.name === name)?.excludes || [];
    return names.filter((name, i) => !names.slice(0, i).some((kept) => excludes(kept).includes(name)));
  }

  function renderOptions(options) {
    known = options;
    const box = clear(byId('options'));
    box.append(h('legend', {}, 'Keep or clean (PS3.15 Annex E options)'));
    for (const option of options) {
      const id = `opt-${option.name}`;
      const unavailable = NOT_YET.has(option.name);
      const input = h('input', {
        type: 'checkbox',
        id,
        name: option.name,
        checked: settings.options.includes(option.name) && !unavailable,
        disabled: unavailable,
        'aria-describedby': `${id}-help`,
      });
      input.addEventListener('change', () => {
        let names = settings.options.filter((n) => n !== option.name);
        if (input.checked) {
          names.push(option.name);
          // The core names the options that exclude this one (it refuses both together).
          for (const other of option.excludes || []) {
            names = names.filter((n) => n !== other);
            const box2 = byId(`opt-${other}`);
            if (box2) box2.checked = false;
          }
        }
        settings.options = names;
        storeSettings(settings);
        onOptionsChange(chosen());
      });
      box.append(
        h(
          'div',
          { class: 'option' },
          input,
          h('label', { for: id }, option.label),
          h('p', { id: `${id}-help`, class: 'help' }, option.help, option.details ? ` ${option.details}` : '', ' ', h('span', { class: 'fine' }, `PS3.15 ${option.section}, ${option.name}`), unavailable ? h('strong', {}, ' Not available yet in this version.') : null),
        ),
      );
    }
    byId('options-reset').onclick = () => {
      settings.options = [];
      storeSettings(settings);
      for (const input of box.querySelectorAll('input[type=checkbox]')) input.checked = false;
      onOptionsChange(chosen());
    };
  }

  // ---- the key ----
  function keyStatus() {
    const status = byId('key-status');
    if (key) {
      status.textContent = settings.rememberKey
        ? 'A key is set and remembered in this browser.'
        : 'A key is set for this visit. It is forgotten when you close the page.';
    } else {
      status.textContent = 'No key set: a one-time key is made when you clean files, so cleaned files get new IDs that match only within this visit.';
    }
    byId('key-forget').hidden = !key;
  }

  function setKey(text) {
    if (text !== key) onKeyChange();
    key = text;
    sessionKey = null;
    try {
      if (key && settings.rememberKey) localStorage.setItem(KEY_KEY, key);
      else localStorage.removeItem(KEY_KEY);
    } catch {
      // see storeSettings
    }
    keyStatus();
  }

  function wireKey() {
    const remember = byId('key-remember');
    remember.checked = settings.rememberKey;
    remember.addEventListener('change', () => {
      settings.rememberKey = remember.checked;
      storeSettings(settings);
      setKey(key);
    });
    byId('key-new').addEventListener('click', async () => {
      const { key: text } = await engine.request('generateKey');
      setKey(text);
      const shown = byId('key-shown');
      byId('key-text').value = text.trim();
      shown.hidden = false;
      byId('key-text').focus();
      byId('key-text').select();
    });
    byId('key-save').addEventListener('click', () => {
      const text = byId('key-text').value;
      if (text) saveBlob(new Blob([`${text}\n`], { type: 'text/plain' }), 'dicom-leakcheck.key');
    });
    byId('key-hide').addEventListener('click', () => {
      byId('key-text').value = '';
      byId('key-shown').hidden = true;
      byId('key-new').focus();
    });
    byId('key-load').addEventListener('click', () => byId('key-file').click());
    byId('key-file').addEventListener('change', async (event) => {
      const file = event.target.files[0];
      event.target.value = '';
      if (!file) return;
      const message = byId('key-message');
      try {
        if (file.size > 4096) throw new Error('this file is too large to be a key file');
        const text = (await file.text()).trim();
        await engine.request('checkKey', { text });
        setKey(text);
        message.textContent = `Key loaded from ${file.name}.`;
      } catch (e) {
        message.textContent = `Could not use ${file.name}: ${e.message}`;
      }
    });
    byId('key-forget').addEventListener('click', () => {
      setKey(null);
      byId('key-message').textContent = 'The key is forgotten.';
    });
    keyStatus();
  }

  return {
    renderOptions,
    wireKey,
    chosen,
    hasUserKey: () => Boolean(key),
    // The key to clean with: the user's, else a one-time key for this visit.
    async keyForCleaning() {
      if (key) return key;
      if (!sessionKey) sessionKey = (await engine.request('generateKey')).key;
      return sessionKey;
    },
  };
}
