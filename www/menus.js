// @ts-check
// Menus on the platform's popover: `<div popover>` opened by its `popovertarget`
// button. The browser gives the top layer, light dismiss (a click outside, Esc) and one
// open menu at a time; this module adds what it does not: the place under the button,
// `aria-expanded`, content built on opening, focus on the first item and arrow keys.

/**
 * @param {HTMLElement} button the `popovertarget` of `menu`
 * @param {HTMLElement} menu an element with the `popover` attribute
 * @param {{build?(): void}} [opts] `build` fills the menu just before it opens
 */
export function wireMenu(button, menu, { build } = {}) {
  menu.addEventListener('beforetoggle', (e) => {
    const open = /** @type {ToggleEvent} */ (e).newState === 'open';
    button.setAttribute('aria-expanded', String(open));
    if (!open) return;
    build?.();
    place(button, menu);
  });
  menu.addEventListener('toggle', (e) => {
    if (/** @type {ToggleEvent} */ (e).newState === 'open') items(menu)[0]?.focus();
  });
  menu.addEventListener('keydown', arrowKeys);
}

/** Opens a menu (from the keyboard, without its button). */
export function openMenu(/** @type {HTMLElement} */ menu) {
  if (!isOpen(menu)) menu.showPopover();
}

export function isOpen(/** @type {HTMLElement} */ menu) {
  return menu.matches(':popover-open');
}

/** Closes every open menu; true when one was open. */
export function closeMenus() {
  const open = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('[popover]:popover-open')]);
  for (const m of open) m.hidePopover();
  return open.length > 0;
}

/** Right-aligned under its button, as the menus were before the top layer. */
function place(/** @type {HTMLElement} */ button, /** @type {HTMLElement} */ menu) {
  const r = button.getBoundingClientRect();
  menu.style.top = `${Math.round(r.bottom + 4)}px`;
  menu.style.right = `${Math.max(4, Math.round(document.documentElement.clientWidth - r.right))}px`;
}

function items(/** @type {HTMLElement} */ menu) {
  return /** @type {HTMLElement[]} */ ([...menu.querySelectorAll('button, input')]);
}

/** ↑/↓ move between the items of a menu. */
function arrowKeys(/** @type {KeyboardEvent} */ e) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const list = items(/** @type {HTMLElement} */ (e.currentTarget));
  const i = list.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  const next = e.key === 'ArrowDown' ? (i + 1) % list.length : (i - 1 + list.length) % list.length;
  list[next]?.focus();
  e.preventDefault();
}
