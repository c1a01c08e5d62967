// The Lineage Card page: title, completeness bar, the five answers as tables, the MLflow model's
// flavors and signature, problems, and "Copy as Markdown". Every string is file-derived and set
// with textContent; links are buttons that send the host the link it gave (it checks them).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { CardCell, CardSection, CardTable, CardView, HostMessage, WebviewMessage } from '../../src/protocol/lineageCard';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class LineageCardView {
  private readonly title = el('h1', 'title');
  private readonly facts = el('div', 'facts');
  private readonly bar = el('div', 'completeness');
  private readonly summary = el('div', 'completeness-text');
  private readonly status = el('span', 'status');
  private readonly body = el('div', 'sections');
  private readonly message = el('div', 'message');
  private statusTimer = 0;

  constructor(
    root: HTMLElement,
    private readonly post: (m: WebviewMessage) => void,
  ) {
    const head = el('div', 'head');
    const copy = document.createElement('vscode-button');
    copy.textContent = 'Copy as Markdown';
    copy.title = 'Copy the card as Markdown, for a model card or a pull request';
    copy.addEventListener('click', () => post({ type: 'copyMarkdown' }));
    const titles = el('div', 'titles');
    titles.append(this.title, this.facts);
    this.status.setAttribute('aria-live', 'polite');
    head.append(titles, el('div', 'grow'), this.status, copy);
    this.bar.setAttribute('role', 'meter');
    this.bar.setAttribute('aria-valuemin', '0');
    this.bar.setAttribute('aria-valuemax', '5');
    root.append(head, this.bar, this.summary, this.message, this.body);
    this.showMessage('Loading…');
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'loading':
        this.title.textContent = message.title;
        this.showMessage('Loading…');
        return;
      case 'error':
        this.showMessage(message.message, true);
        return;
      case 'copied':
        this.status.textContent = 'Copied as Markdown';
        window.clearTimeout(this.statusTimer);
        this.statusTimer = window.setTimeout(() => {
          this.status.textContent = '';
        }, 2500);
        return;
      case 'card':
        this.render(message.card);
        return;
    }
  }

  private showMessage(text: string, error = false): void {
    this.message.textContent = text;
    this.message.className = error ? 'message error' : 'message';
    this.message.hidden = false;
    this.body.replaceChildren();
  }

  private render(card: CardView): void {
    this.message.hidden = true;
    this.title.textContent = card.title;
    this.facts.replaceChildren(...card.facts.map((f) => el('span', 'fact', f)));
    this.bar.replaceChildren(
      ...card.sections.map((s) => {
        const seg = el('span', `segment ${s.answered ? 'answered' : 'missing'}`);
        seg.title = s.answered ? `${s.title}: answered` : `${s.title} unknown: ${s.missing?.reason ?? ''}`;
        return seg;
      }),
    );
    this.bar.setAttribute('aria-valuenow', String(card.answered));
    this.bar.setAttribute('aria-label', `${card.answered} of ${card.total} lineage questions answered`);
    this.summary.textContent = card.completeness;
    this.summary.className = `completeness-text ${card.answered === card.total ? 'complete' : 'incomplete'}`;
    const parts: HTMLElement[] = card.sections.map((s) => this.section(s));
    if (card.mlmodel) {
      const box = el('section', 'section mlmodel');
      box.append(el('h2', undefined, card.mlmodel.title), ...card.mlmodel.tables.map((t) => this.table(t)));
      parts.push(box);
    }
    if (card.problems.length) {
      const box = el('section', 'section problems');
      const list = el('ul');
      list.append(...card.problems.map((p) => el('li', undefined, p)));
      box.append(el('h2', undefined, 'Problems'), list);
      parts.push(box);
    }
    this.body.replaceChildren(...parts);
  }

  private section(s: CardSection): HTMLElement {
    const box = el('section', `section ${s.answered ? 'answered' : 'missing'}`);
    box.dataset.question = s.question;
    const h = el('h2');
    h.append(el('span', `mark ${s.answered ? 'yes' : 'no'}`, s.answered ? '✓' : '?'), el('span', undefined, s.title));
    box.append(h);
    if (s.missing) {
      box.append(
        el('p', 'missing-reason', `Unknown: ${s.missing.reason}.`),
        el('p', 'missing-action', `To answer it: ${s.missing.action}.`),
      );
    }
    if (s.note) box.append(el('p', 'note', s.note));
    box.append(...s.tables.map((t) => this.table(t)));
    return box;
  }

  private table(t: CardTable): HTMLElement {
    const wrap = el('div', 'table-wrap');
    if (t.caption) {
      const caption = el('div', 'caption');
      caption.append(
        t.captionLink
          ? this.link({ text: t.caption, link: t.captionLink, title: "Open at this version's commit" })
          : el('span', undefined, t.caption),
      );
      wrap.append(caption);
    }
    const table = el('table');
    if (t.columns.some((c) => c !== '')) {
      const head = el('tr');
      // A column of figures gets a right-aligned header, like its cells.
      head.append(...t.columns.map((c, i) => el('th', t.rows.length > 0 && t.rows.every((r) => r[i]?.numeric) ? 'num' : undefined, c)));
      table.append(el('thead'));
      table.tHead!.append(head);
    }
    const body = el('tbody');
    for (const row of t.rows) {
      const tr = el('tr');
      tr.append(
        ...row.map((c) => {
          const td = el('td', [c.numeric ? 'num' : '', c.tone ? `tone-${c.tone}` : ''].filter(Boolean).join(' ') || undefined);
          td.append(c.link ? this.link(c) : document.createTextNode(c.text));
          if (c.title && !c.link) td.title = c.title;
          return td;
        }),
      );
      body.append(tr);
    }
    table.append(body);
    wrap.append(table);
    return wrap;
  }

  private link(c: CardCell): HTMLElement {
    const a = el('button', 'link', c.text);
    a.type = 'button';
    if (c.title) a.title = c.title;
    const link = c.link!;
    a.addEventListener('click', () => this.post({ type: 'open', link }));
    return a;
  }
}
