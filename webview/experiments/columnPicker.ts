// The "Columns…" popover: find columns by name (a thousand of them is normal), show or hide
// them one by one or every match at once, pin them. Lists at most LIMIT matches: typing
// narrows. Names are file-derived: set with textContent.
import type { ColumnInfo, ColumnLayout } from '../../src/protocol/experiments';
import { groupLabel } from '../../src/protocol/experiments';
import { setHidden, togglePinned } from './layout';

const LIMIT = 300;

export interface PickerHost {
  columns(): readonly ColumnInfo[];
  layout(): ColumnLayout;
  change(layout: ColumnLayout): void;
}

export class ColumnPicker {
  readonly element: HTMLDivElement;
  private readonly search = document.createElement('input');
  private readonly list = document.createElement('div');
  private readonly count = document.createElement('div');
  private open = false;

  constructor(private readonly host: PickerHost) {
    this.element = document.createElement('div');
    this.element.className = 'picker';
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-label', 'Columns');
    this.search.type = 'search';
    this.search.className = 'picker-search';
    this.search.placeholder = 'Search columns (key, file or group)';
    this.search.setAttribute('aria-label', 'Search columns');
    this.search.addEventListener('input', () => this.refresh());
    const buttons = document.createElement('div');
    buttons.className = 'picker-buttons';
    buttons.append(
      this.button('Show matches', 'Show every column that matches the search', () => this.setMatches(false)),
      this.button('Hide matches', 'Hide every column that matches the search', () => this.setMatches(true)),
      this.button('Reset', 'Every column shown, none pinned, default order and widths', () =>
        this.host.change({ hidden: [], order: [], pinned: [], widths: {} }),
      ),
    );
    this.list.className = 'picker-list';
    this.list.setAttribute('role', 'list');
    this.count.className = 'picker-count';
    this.element.append(this.search, buttons, this.count, this.list);
    this.list.addEventListener('change', (e) => {
      const box = e.target as HTMLInputElement;
      const id = box.closest<HTMLElement>('.picker-item')?.dataset.col;
      if (id) this.host.change(setHidden(this.host.layout(), [id], !box.checked));
    });
    this.list.addEventListener('click', (e) => {
      const pin = (e.target as HTMLElement).closest('.picker-pin');
      const id = pin?.closest<HTMLElement>('.picker-item')?.dataset.col;
      if (id) this.host.change(togglePinned(this.host.layout(), id));
    });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.close();
        e.stopPropagation();
      }
    });
    document.addEventListener('mousedown', (e) => {
      if (this.open && !this.element.contains(e.target as Node) && !(e.target as HTMLElement).closest('.columns-button')) this.close();
    });
  }

  toggle(anchor: HTMLElement): void {
    if (this.open) {
      this.close();
      return;
    }
    this.open = true;
    this.element.hidden = false;
    const r = anchor.getBoundingClientRect();
    this.element.style.top = `${r.bottom + 4}px`;
    this.element.style.right = `${Math.max(8, document.documentElement.clientWidth - r.right)}px`;
    this.refresh();
    this.search.focus();
  }

  close(): void {
    this.open = false;
    this.element.hidden = true;
  }

  /** Redraws the list (after a layout or table change), when open. */
  refresh(): void {
    if (!this.open) return;
    const layout = this.host.layout();
    const hidden = new Set(layout.hidden);
    const pinned = new Set(layout.pinned);
    const matches = this.matches();
    const items = matches.slice(0, LIMIT).map((c) => {
      const item = document.createElement('div');
      item.className = 'picker-item';
      item.dataset.col = c.id;
      item.setAttribute('role', 'listitem');
      item.title = c.id;
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = !hidden.has(c.id);
      const key = document.createElement('span');
      key.className = 'picker-key';
      key.textContent = c.key;
      const where = document.createElement('span');
      where.className = 'picker-where';
      where.textContent = groupLabel(c);
      label.append(box, key, where);
      const pin = document.createElement('button');
      pin.type = 'button';
      pin.className = `picker-pin${pinned.has(c.id) ? ' on' : ''}`;
      pin.textContent = pinned.has(c.id) ? 'Unpin' : 'Pin';
      item.append(label, pin);
      return item;
    });
    this.list.replaceChildren(...items);
    const total = this.host.columns().length;
    this.count.textContent = `${matches.length} of ${total} columns${matches.length > LIMIT ? `; the first ${LIMIT} listed, type to narrow` : ''} · ${hidden.size} hidden · ${pinned.size} pinned`;
  }

  private matches(): ColumnInfo[] {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    return this.host.columns().filter((c) => {
      const text = `${c.id} ${groupLabel(c)}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  private setMatches(hide: boolean): void {
    this.host.change(
      setHidden(
        this.host.layout(),
        this.matches().map((c) => c.id),
        hide,
      ),
    );
  }

  private button(text: string, title: string, run: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'picker-button';
    b.textContent = text;
    b.title = title;
    b.addEventListener('click', run);
    return b;
  }
}
