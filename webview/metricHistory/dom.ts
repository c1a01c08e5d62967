// Small DOM builders of the Metric History page (text only through textContent).

export function chartCard(
  title: string,
  id: string,
  png: () => void,
  csv: () => void,
): { card: HTMLElement; canvas: HTMLCanvasElement; wrap: HTMLElement } {
  const card = document.createElement('section');
  card.className = 'chart-card';
  card.dataset.chartId = id;
  const header = document.createElement('header');
  const h = document.createElement('h3');
  h.textContent = title;
  const tools = div('chart-tools');
  tools.append(button('PNG', 'Export this chart as a PNG image', png), button('CSV', 'Export the data of this chart as CSV', csv));
  header.append(h, tools);
  const wrap = div('chart-wrap');
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  wrap.append(canvas);
  card.append(header, wrap);
  return { card, canvas, wrap };
}

export function indexes(value: unknown): number[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
  return list.map(Number).filter((n) => Number.isInteger(n) && n >= 0);
}

export function labelled(text: string, control: HTMLElement): HTMLElement {
  const wrap = div('labelled');
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = text;
  wrap.append(label, control);
  return wrap;
}

export function chip(text: string): HTMLElement {
  const c = document.createElement('span');
  c.className = 'rev-chip';
  c.textContent = text;
  return c;
}

export function button(text: string, title: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.secondary = true;
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

export function option(value: string, label: string, selected: boolean, description?: string): HTMLElement {
  const node = document.createElement('vscode-option');
  node.value = value;
  node.textContent = label;
  node.selected = selected;
  if (description) node.description = description;
  return node;
}

export function div(className: string): HTMLDivElement {
  const node = document.createElement('div');
  node.className = className;
  return node;
}
