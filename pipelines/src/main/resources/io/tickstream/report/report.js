// The tickstream report's page: reads the lake's data from #report-data and draws it with uPlot.
// Symbol charts are drawn when they scroll into view, so a day of hundreds of symbols opens fast.
// window.tickstreamReport lets a test (or a person in the console) draw every chart and inspect it.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('report-data').textContent);
  const strategies = data.strategies;
  const columns = data.tradeColumns;
  const col = Object.fromEntries(columns.map((name, i) => [name, i]));
  const BUY = 1;
  const SELL = -1;
  const COLORS = ['#2f6fde', '#d9822b', '#7b4fd6', '#1f9d8a', '#c2417c', '#5c6b7a'];

  // ---- formatting --------------------------------------------------------------------------
  const int = (n) => Number(n).toLocaleString('en-US');
  const money = (n) =>
    n == null ? '' : Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = (x) => (x == null || !isFinite(x) ? '' : (x * 100).toFixed(1) + '%');
  const utc = (ms) => (ms == null ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
  const held = (s) => {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + r + 's';
  };
  const signed = (n) => (n > 0 ? 'pos' : n < 0 ? 'neg' : '');

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) e.append(c);
    return e;
  }

  // ---- charts: registered by name, drawn on demand -----------------------------------------
  const charts = new Map();

  function registerChart(name, container, draw) {
    const chart = { name, container, draw, plot: null };
    charts.set(name, chart);
    observer.observe(container);
    return chart;
  }

  const timings = { script: 0, firstChart: 0 };

  function render(chart) {
    if (chart.plot) return;
    chart.container.textContent = '';
    chart.plot = chart.draw(chart.container, Math.max(320, chart.container.clientWidth || 600));
    timings.firstChart = timings.firstChart || performance.now();
  }

  function redraw(chart) {
    if (chart.plot) {
      chart.plot.destroy();
      chart.plot = null;
      observer.unobserve(chart.container);
      observer.observe(chart.container);
    }
  }

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const chart = charts.get(entry.target.dataset.chart);
        if (chart) render(chart);
      }
    },
    { rootMargin: '600px 0px' }
  );

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const chart of charts.values()) {
        if (chart.plot) chart.plot.setSize({ width: chart.container.clientWidth, height: chart.plot.height });
      }
    }, 150);
  });

  // A y axis as wide as its longest label.
  const axisSize = (u, values) =>
    values ? Math.ceil(Math.max(3, ...values.map((v) => String(v).length)) * 7.2) + 24 : 60;
  const amounts = (u, values) => values.map((v) => v.toLocaleString('en-US', { maximumFractionDigits: 2 }));

  const utcDate = (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
  // uPlot's time templates as a trader reads them: 24-hour clock, ISO dates.
  const fmtDate = (template) =>
    uPlot.fmtDate(template
      .replace('{h}{aa}', '{HH}:00').replace(/\{h\}/g, '{HH}').replace(/\{aa\}/g, '')
      .replace('{M}/{D}/{YY}', '{YYYY}-{MM}-{DD}').replace('{M}/{D}', '{MM}-{DD}'));

  // ---- header: totals and data quality -----------------------------------------------------
  function header() {
    const t = data.totals, q = data.quality;
    const deadLetters = q.deadLetters.reduce((sum, d) => sum + d.records, 0);
    const card = (label, value, title, warn) =>
      el('div', { class: 'card' + (warn ? ' warn' : ''), title },
        el('div', { class: 'label', text: label }), el('div', { class: 'value', text: value }));
    const winRate = t.trades ? t.winners / t.trades : null;
    const h = document.getElementById('header');
    h.append(
      el('h1', { text: 'tickstream report' }),
      el('div', { class: 'meta', text:
        'Lake ' + data.lake + ' · ticks ' + (t.ticks ? utc(t.first_tick) + ' to ' + utc(t.last_tick) + ' UTC' : 'none') +
        ' · generated ' + data.generatedAt.replace('T', ' ').replace('Z', ' UTC') }),
      el('div', { class: 'cards', id: 'totals' },
        card('Ticks', int(t.ticks), 'ticks stored in the lake'),
        card('Symbols', int(t.symbols)),
        card('Bars', int(t.bars), '1-minute bars'),
        card('Signals', int(t.signals)),
        card('Trades', int(t.trades), 'closed round trips'),
        card('Total P&L', money(t.total_pnl)),
        card('Win rate', winRate == null ? '–' : pct(winRate), int(t.winners) + ' winning trades')),
      el('div', { class: 'cards', id: 'quality' },
        card('Dead letters', int(deadLetters),
          q.deadLetters.map((d) => d.error_code + ': ' + int(d.records)).join('\n') || 'none', deadLetters > 0),
        ...q.deadLetters.map((d) => card(d.error_code, int(d.records), 'dead letters with this reason', true)),
        card('Late ticks', int(q.late), 'stored, but behind their symbol\'s clock: in no bar', q.late > 0),
        card('Duplicate copies', int(q.duplicate_copies),
          int(q.duplicated_ids) + ' event ids stored more than once', q.duplicate_copies > 0))
    );
  }

  // ---- P&L by strategy -----------------------------------------------------------------------
  function maxDrawdown(pnls) {
    let cum = 0, peak = 0, worst = 0;
    for (const p of pnls) {
      cum += p;
      peak = Math.max(peak, cum);
      worst = Math.max(worst, peak - cum);
    }
    return worst;
  }

  function strategyTable() {
    if (!strategies.length) return;
    document.getElementById('strategies-section').hidden = false;
    const table = document.getElementById('strategies');
    const head = ['Strategy', 'Fast', 'Slow', 'Trades', 'Win rate', 'Total P&L', 'Average', 'Best', 'Worst', 'Max drawdown'];
    table.append(el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { class: i ? null : 'text', text: h })))));
    const body = el('tbody');
    strategies.forEach((s, i) => {
      const pnls = data.trades.filter((t) => t[col.strategy] === i).map((t) => t[col.pnl]);
      const cells = [
        [s.strategy, 'text'], [s.fast ?? ''], [s.slow ?? ''], [int(s.trades)],
        [s.trades ? pct(s.winners / s.trades) : ''], [money(s.total_pnl), signed(s.total_pnl)],
        [money(s.avg_pnl), signed(s.avg_pnl)], [money(s.best_trade), signed(s.best_trade)],
        [money(s.worst_trade), signed(s.worst_trade)], [money(maxDrawdown(pnls))]];
      body.append(el('tr', {}, ...cells.map(([v, c]) => el('td', { class: c || null, text: String(v) }))));
    });
    table.append(body);
  }

  // ---- equity curve ----------------------------------------------------------------------------
  function equityCurve() {
    const container = document.getElementById('equity');
    if (!data.trades.length) {
      container.replaceWith(el('div', { class: 'empty', text: 'No closed trades in the lake.' }));
      return;
    }
    // One point per trade exit; each strategy's cumulative P&L carried between its own exits.
    const xs = [], series = strategies.map(() => []), total = [];
    const cum = strategies.map(() => 0);
    let all = 0;
    for (const t of data.trades) {
      cum[t[col.strategy]] += t[col.pnl];
      all += t[col.pnl];
      xs.push(t[col.exit_time] / 1000);
      strategies.forEach((_, i) => series[i].push(cum[i]));
      total.push(all);
    }
    const several = strategies.length > 1;
    const plotSeries = [{}].concat(
      strategies.map((s, i) => ({ label: s.strategy, stroke: COLORS[i % COLORS.length], width: 1.5, value: (u, v) => money(v) })));
    const values = [xs].concat(series);
    if (several) {
      plotSeries.push({ label: 'all strategies', stroke: '#1d2330', width: 2, value: (u, v) => money(v) });
      values.push(total);
    }
    registerChart('equity', container, (target, width) =>
      new uPlot({
        width, height: 260, tzDate: utcDate, fmtDate,
        series: plotSeries.map((s, i) => (i ? Object.assign({ paths: uPlot.paths.stepped({ align: 1 }) }, s) : s)),
        scales: { x: { time: true } },
        axes: [{}, { values: amounts, size: axisSize }],
      }, values, target));
  }

  // ---- per symbol: closes, moving averages, signals -------------------------------------------
  function movingAverage(closes, n) {
    const out = new Array(closes.length).fill(null);
    if (!n) return out;
    let sum = 0;
    for (let i = 0; i < closes.length; i++) {
      sum += closes[i];
      if (i >= n) sum -= closes[i - n];
      if (i >= n - 1) out[i] = sum / n;
    }
    return out;
  }

  const strategySelect = document.getElementById('strategy');
  const selectedStrategy = () => Number(strategySelect.value || 0);

  function symbolChart(s) {
    return (target, width) => {
      const k = selectedStrategy();
      const st = strategies[k] || {};
      const xs = s.m.map((m) => s.t0 + (m + 1) * 60); // a bar's close is the price at its end
      const buys = new Array(xs.length).fill(null), sells = new Array(xs.length).fill(null);
      for (const [bar, side, strategy] of s.signals) {
        if (strategy !== k) continue;
        (side === BUY ? buys : sells)[bar] = s.close[bar];
      }
      const marker = (label, color) => ({
        label, stroke: color, fill: color, paths: () => null,
        points: { show: true, size: 9, width: 1, stroke: color, fill: color },
      });
      return new uPlot({
        width, height: 220, tzDate: utcDate, fmtDate, legend: { live: true },
        series: [
          {},
          { label: 'close', stroke: '#1d2330', width: 1 },
          { label: 'fast' + (st.fast ? ' (' + st.fast + ')' : ''), stroke: '#2f6fde', width: 1, dash: [4, 2] },
          { label: 'slow' + (st.slow ? ' (' + st.slow + ')' : ''), stroke: '#d9822b', width: 1, dash: [6, 3] },
          marker('BUY', getComputedStyle(document.body).getPropertyValue('--buy').trim() || '#12805c'),
          marker('SELL', getComputedStyle(document.body).getPropertyValue('--sell').trim() || '#c4320a'),
        ],
        scales: { x: { time: true } },
        axes: [{}, { values: amounts, size: axisSize }],
      }, [xs, s.close, movingAverage(s.close, st.fast), movingAverage(s.close, st.slow), buys, sells], target);
    };
  }

  function symbolCards() {
    const box = document.getElementById('symbols');
    if (!data.symbols.length) {
      box.append(el('div', { class: 'empty', text: 'No bars in the lake.' }));
      return;
    }
    for (const s of data.symbols) {
      const stats = el('span', { class: 'stats' });
      const chart = el('div', { class: 'chart', 'data-chart': 'symbol:' + s.symbol });
      const card = el('div', { class: 'symbol', 'data-symbol': s.symbol },
        el('h3', {}, el('span', { text: s.symbol }), stats), chart);
      card.stats = stats;
      box.append(card);
      registerChart('symbol:' + s.symbol, chart, symbolChart(s));
    }
    symbolStats();
  }

  /** Each card's heading: bars, last close and the selected strategy's trades and P&L. */
  function symbolStats() {
    const k = selectedStrategy();
    const bySymbol = new Map();
    for (const t of data.trades) {
      if (t[col.strategy] !== k) continue;
      const a = bySymbol.get(t[col.symbol]) || { n: 0, pnl: 0 };
      a.n++;
      a.pnl += t[col.pnl];
      bySymbol.set(t[col.symbol], a);
    }
    for (const card of document.querySelectorAll('#symbols .symbol')) {
      const s = data.symbols.find((x) => x.symbol === card.dataset.symbol);
      const a = bySymbol.get(s.symbol) || { n: 0, pnl: 0 };
      card.stats.textContent = int(s.close.length) + ' bars · last ' + s.close[s.close.length - 1] +
        ' · ' + a.n + ' trades · P&L ' + money(a.pnl);
    }
  }

  function symbolControls() {
    strategies.forEach((s, i) => strategySelect.append(el('option', { value: i, text: s.strategy })));
    strategySelect.disabled = strategies.length < 2;
    strategySelect.addEventListener('change', () => {
      symbolStats();
      for (const chart of charts.values()) if (chart.name.startsWith('symbol:')) redraw(chart);
    });
    document.getElementById('symbol-filter').addEventListener('input', (e) => {
      const f = e.target.value.trim().toUpperCase();
      for (const card of document.querySelectorAll('#symbols .symbol')) {
        card.hidden = f !== '' && !card.dataset.symbol.toUpperCase().includes(f);
      }
    });
  }

  // ---- trades table: sortable, first rows shown --------------------------------------------------
  const TRADE_VIEW = [
    ['Trade', 'trade_id', 'text', (v) => v],
    ['Symbol', 'symbol', 'text', (v) => v],
    ['Strategy', 'strategy', 'text', (v) => (strategies[v] || {}).strategy || ''],
    ['Qty', 'qty', '', int],
    ['Entry (UTC)', 'entry_time', 'text', utc],
    ['Entry price', 'entry_price', '', (v) => v],
    ['Exit (UTC)', 'exit_time', 'text', utc],
    ['Exit price', 'exit_price', '', (v) => v],
    ['P&L', 'pnl', '', money],
    ['Return', 'return_pct', '', (v) => v.toFixed(2) + '%'],
    ['Held', 'holding_seconds', '', held],
  ];
  const PAGE = 500;
  const trades = { rows: data.trades.slice(), shown: PAGE, sortedBy: 'exit_time', dir: 1 };

  function sortTrades(name, dir) {
    const i = col[name];
    const key = name === 'strategy' ? (t) => (strategies[t[i]] || {}).strategy || '' : (t) => t[i];
    trades.rows.sort((a, b) => {
      const x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : a[col.trade_id] < b[col.trade_id] ? -1 : 1) * dir;
    });
    trades.sortedBy = name;
    trades.dir = dir;
    drawTrades();
  }

  function drawTrades() {
    const table = document.getElementById('trades');
    table.textContent = '';
    document.getElementById('trades-count').textContent =
      int(trades.rows.length) + ' closed trades; click a heading to sort';
    const headRow = el('tr');
    for (const [label, name, cls] of TRADE_VIEW) {
      const th = el('th', { class: cls || null, text: label, 'data-column': name });
      if (name === trades.sortedBy) th.setAttribute('aria-sort', trades.dir > 0 ? 'ascending' : 'descending');
      th.addEventListener('click', () => sortTrades(name, name === trades.sortedBy ? -trades.dir : 1));
      headRow.append(th);
    }
    table.append(el('thead', {}, headRow));
    const body = el('tbody');
    for (const t of trades.rows.slice(0, trades.shown)) {
      body.append(el('tr', {}, ...TRADE_VIEW.map(([, name, cls, show]) =>
        el('td', { class: (cls || (name === 'pnl' ? signed(t[col.pnl]) : '')) || null, text: String(show(t[col[name]])) }))));
    }
    table.append(body);
    const more = document.getElementById('trades-more');
    more.hidden = trades.rows.length <= trades.shown;
    more.textContent = 'Show all ' + int(trades.rows.length) + ' trades';
  }

  document.getElementById('trades-more').addEventListener('click', () => {
    trades.shown = Infinity;
    drawTrades();
  });

  // ---- the page --------------------------------------------------------------------------------
  header();
  strategyTable();
  equityCurve();
  symbolControls();
  symbolCards();
  drawTrades();

  timings.script = performance.now();

  window.tickstreamReport = {
    /** Milliseconds after navigation start: this script done, the first chart drawn. */
    timings: () => Object.assign({}, timings),
    /** The names of every chart on the page. */
    charts: () => [...charts.keys()],
    /** The names of the charts drawn so far. */
    rendered: () => [...charts.values()].filter((c) => c.plot).map((c) => c.name),
    /** Draws every chart now; returns how many are drawn. */
    renderAll() {
      for (const chart of charts.values()) render(chart);
      return this.rendered().length;
    },
    /** A drawn chart's series as plotted: [x values, then each series]. */
    seriesOf: (name) => charts.get(name).plot.data,
    /** Sorts the trades table by a column of data.tradeColumns, 1 ascending or -1 descending. */
    sortTrades,
    /** The trade ids in the table's current order. */
    tradeOrder: () => trades.rows.map((t) => t[col.trade_id]),
    data,
  };
})();
