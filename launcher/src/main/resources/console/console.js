// The console page: polls /data/overview every two seconds and draws it; finds an order;
// sends faults. Plain DOM, no build step.
'use strict';

const POSITIONS = {
  gateway: [90, 210], identity: [90, 60], order: [330, 210], inventory: [560, 60],
  payment: [560, 200], shipping: [560, 340], notification: [800, 120], analytics: [800, 300],
};
const svgNs = 'http://www.w3.org/2000/svg';

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = (text === null || text === undefined) ? '–' : String(text);
  if (className) td.className = className;
  return td;
}

function fill(tableId, rows, render) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  rows.forEach((item) => render(body.insertRow(), item));
}

function svg(name, attributes, text) {
  const element = document.createElementNS(svgNs, name);
  Object.entries(attributes).forEach(([key, value]) => element.setAttribute(key, value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function drawTopology(overview) {
  const canvas = document.getElementById('topology');
  canvas.replaceChildren();
  const up = Object.fromEntries(overview.services.map((s) => [s.name, s.up]));
  overview.edges.forEach((edge, i) => {
    edge.from.split(', ').forEach((from) => {
      const a = POSITIONS[from], b = POSITIONS[edge.to];
      if (!a || !b || from === edge.to) return;
      const offset = (i % 3 - 1) * 6;
      const broken = edge.breaker && edge.breaker !== 'closed';
      const line = svg('line', { x1: a[0], y1: a[1] + offset, x2: b[0], y2: b[1] + offset,
        class: edge.pattern + (broken ? ' broken' : ''), 'data-edge': from + '->' + edge.to });
      line.appendChild(svg('title', {}, `${from} → ${edge.to} ${edge.pattern} ${edge.channel}`));
      canvas.appendChild(line);
      if (edge.rate) {
        canvas.appendChild(svg('text', { x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2 + offset - 3, class: 'figure' },
          `${edge.rate}/s` + (edge.p99Ms !== null && edge.p99Ms !== undefined ? ` p99 ${edge.p99Ms}ms` : '')));
      }
    });
  });
  Object.entries(POSITIONS).forEach(([name, [x, y]]) => {
    canvas.appendChild(svg('circle', { cx: x, cy: y, r: 34, class: up[name] === false ? 'down' : '',
      'data-service': name }));
    canvas.appendChild(svg('text', { x, y: y + 4 }, name));
  });
}

function render(overview) {
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  const traces = document.getElementById('traces-link');
  if (overview.traces) { traces.href = overview.traces; traces.hidden = false; }
  fill('services', overview.services, (row, s) => {
    row.dataset.service = s.name;
    cell(row, s.name);
    cell(row, s.up ? 'up' : 'down', s.up ? 'up' : 'down');
    cell(row, s.pid, 'num');
    cell(row, s.outboxBacklog, 'num');
  });
  fill('edges', overview.edges, (row, e) => {
    row.dataset.edge = e.from + '->' + e.to + (e.channel ? ':' + e.channel : '');
    cell(row, e.from); cell(row, e.to); cell(row, e.pattern, e.pattern); cell(row, e.channel || '');
    cell(row, e.rate, 'num'); cell(row, e.p99Ms, 'num');
    cell(row, e.errorRate === null || e.errorRate === undefined ? null : Math.round(e.errorRate * 100) + '%', 'num');
    cell(row, e.breaker || (e.channel ? '' : null), e.breaker || '');
    cell(row, e.pattern === 'queue' ? e.waiting : '', 'num');
  });
  const select = document.getElementById('fault-service');
  if (select.options.length === 0) {
    overview.services.forEach((s) => select.add(new Option(s.name, s.name)));
  }
  document.getElementById('sagas-in-flight').textContent =
    overview.sagas.inFlight === undefined ? (overview.sagas.error || '–') : overview.sagas.inFlight;
  fill('sagas', overview.sagas.recent || [], (row, s) => {
    const link = document.createElement('a');
    link.href = '#'; link.textContent = s.orderId.slice(0, 8) + '…';
    link.addEventListener('click', (event) => { event.preventDefault(); findOrder(s.orderId); });
    row.insertCell().appendChild(link);
    cell(row, s.mode); cell(row, s.status.toLowerCase(), s.status === 'CANCELLED' ? 'error' : 'up');
    cell(row, new Date(s.endedAt).toLocaleTimeString());
  });
  fill('dead-letters', overview.deadLetters, (row, d) => {
    cell(row, d.channel); cell(row, d.count, d.count > 0 ? 'num error' : 'num');
  });
  drawTopology(overview);
}

async function refresh() {
  try {
    const answer = await fetch('/data/overview');
    render(await answer.json());
  } catch (error) {
    document.getElementById('updated').textContent = 'the console does not answer: ' + error;
  } finally {
    setTimeout(refresh, 2000);
  }
}

async function findOrder(id) {
  document.getElementById('order-id').value = id;
  const error = document.getElementById('order-error');
  const shown = document.getElementById('order');
  const answer = await fetch('/data/orders/' + encodeURIComponent(id.trim()));
  const order = await answer.json();
  if (!answer.ok) {
    error.textContent = order.error; error.hidden = false; shown.hidden = true; return;
  }
  error.hidden = true; shown.hidden = false;
  document.getElementById('order-status').textContent = order.status;
  document.getElementById('order-saga').textContent =
    `saga ${order.sagaStatus || '–'} (${order.sagaMode || '–'})` + (order.reason ? ': ' + order.reason : '');
  const trace = document.getElementById('order-trace');
  trace.replaceChildren();
  if (order.trace && order.trace.traceId) {
    const link = document.createElement('a');
    link.id = 'trace-link'; link.href = order.trace.url; link.target = '_blank'; link.rel = 'noopener';
    link.textContent = `trace ${order.trace.traceId}`;
    trace.append(link, ` — ${order.trace.spans} spans from ${order.trace.services.length} services: `
      + order.trace.services.join(', '));
  } else {
    trace.textContent = 'no trace yet (spans reach the trace view within a few seconds)';
  }
  const timeline = document.getElementById('order-timeline');
  timeline.replaceChildren(...order.timeline.map((entry) => {
    const item = document.createElement('li');
    item.textContent = `${new Date(entry.at).toLocaleTimeString()} ${entry.step || ''} ${entry.event}`
      + (entry.detail ? ` (${entry.detail})` : '');
    return item;
  }));
}

async function fault(method) {
  const service = document.getElementById('fault-service').value;
  const body = { durationSeconds: Number(document.getElementById('fault-for').value) };
  const latency = Number(document.getElementById('fault-latency').value);
  const errorRate = Number(document.getElementById('fault-error-rate').value);
  if (latency > 0) body.latencyMs = latency;
  if (errorRate > 0) body.errorRate = errorRate;
  const answer = await fetch('/data/faults/' + service, {
    method, headers: { 'Content-Type': 'application/json',
      Authorization: 'Bearer ' + document.getElementById('fault-token').value.trim() },
    body: method === 'PUT' ? JSON.stringify(body) : undefined,
  });
  const result = answer.status === 204 ? {} : await answer.json();
  const shown = document.getElementById('fault-result');
  shown.className = answer.ok ? '' : 'error';
  shown.textContent = answer.ok ? (method === 'PUT' ? `${service}: ${JSON.stringify(result)}` : `${service}: cleared`)
    : result.error || JSON.stringify(result);
}

async function placeOrder() {
  const answer = await fetch('/data/orders/', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: '{}' });
  const placed = await answer.json();
  const error = document.getElementById('order-error');
  if (!answer.ok) {
    error.textContent = placed.detail || placed.error || JSON.stringify(placed); error.hidden = false; return;
  }
  await findOrder(placed.orderId);
  // The saga goes on after the order is accepted: show it again as it moves.
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await findOrder(placed.orderId);
    const status = document.getElementById('order-status').textContent;
    const trace = document.getElementById('trace-link');
    if ((status === 'COMPLETED' || status === 'CANCELLED') && trace) break;
  }
}

document.getElementById('place-order').addEventListener('click', () => placeOrder());
document.getElementById('order-form').addEventListener('submit', (event) => {
  event.preventDefault();
  findOrder(document.getElementById('order-id').value);
});
document.getElementById('fault-form').addEventListener('submit', (event) => { event.preventDefault(); fault('PUT'); });
document.getElementById('fault-clear').addEventListener('click', () => fault('DELETE'));
refresh();
