// The calculator: looks the library's figures up in the tables the generator embedded; computes none of its own.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('model-data').textContent);
  var byId = function (id) { return document.getElementById(id); };
  var schemeSelect = byId('scheme');
  var contextInput = byId('context');
  var contextRange = byId('context-range');
  var cacheSelect = byId('cache');
  var CHART_SCHEMES = ['BF16', 'Q8_0', 'Q6_K', 'Q4_K_M', 'Q3_K_M', 'Q2_K', 'IQ1_S'];

  function find(list, name) {
    for (var i = 0; i < list.length; i++) { if (list[i].name === name) { return list[i]; } }
    return null;
  }

  function memory(scheme, cache, context) {
    var block = Math.ceil(context / data.blockTokens);
    var m = {
      weights: scheme.weights,
      kv: LLME.runValue(cache.kv, block),
      state: LLME.runValue(cache.state, block),
      buffers: LLME.runValue(cache.buffers, block),
      runtime: data.runtimeBytes
    };
    m.total = m.weights + m.kv + m.state + m.buffers + m.runtime;
    m.kit = LLME.kit(m.total, data.kitsGB);
    return m;
  }

  // A context the page accepts, or null: a whole number from 1 to the model's maximum, never clamped
  function readContext() {
    var text = contextInput.value.trim();
    var error = byId('context-error');
    if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > data.maxContext) {
      error.textContent = "Context: '" + text + "' (expected: a whole number of tokens from 1 to "
        + LLME.grouped(data.maxContext) + ')';
      error.hidden = false;
      contextInput.setAttribute('aria-invalid', 'true');
      return null;
    }
    error.hidden = true;
    contextInput.removeAttribute('aria-invalid');
    return Number(text);
  }

  function update() {
    var context = readContext();
    if (context === null) { return; }
    contextRange.value = context;
    var scheme = find(data.schemes, schemeSelect.value);
    var cache = find(data.cacheTypes, cacheSelect.value);
    var m = memory(scheme, cache, context);
    byId('weights').textContent = LLME.size(m.weights);
    byId('kv').textContent = LLME.size(m.kv);
    byId('state').textContent = LLME.size(m.state);
    byId('kv-state').textContent = LLME.size(m.kv + m.state);
    byId('buffers').textContent = LLME.size(m.buffers);
    byId('runtime').textContent = LLME.size(m.runtime);
    byId('total').textContent = LLME.size(m.total);
    byId('kit').textContent = m.kit + ' GB kit';
    byId('memory-caption').textContent = 'Memory at ' + scheme.name + ', ' + LLME.grouped(context) + ' tokens, '
      + cache.name + ' cache';
    byId('memory').dataset.state = scheme.name + '|' + cache.name + '|' + context;
    document.querySelectorAll('tr[data-scheme]').forEach(function (tr) {
      tr.classList.toggle('chosen', tr.dataset.scheme === scheme.name);
    });
    chart(scheme, cache, context);
    speeds(scheme.name, cache, context);
  }

  function speeds(schemeName, cache, context) {
    var table = byId('speeds');
    var tbody = table.tBodies[0];
    var note = byId('speed-context');
    var grid = data.speedContexts.filter(function (c) { return c >= context; })[0];
    if (!cache.speeds) {
      tbody.textContent = '';
      byId('profile').textContent = '';
      note.textContent = 'The speed matrix is precomputed for the f16 and q8_0 caches; choose one of those to see'
        + ' it.';
      table.dataset.state = schemeName + '|' + cache.name + '|' + context;
      return;
    }
    var chunk = window.LLME_SPEEDS && window.LLME_SPEEDS[schemeName];
    if (!chunk) {
      note.textContent = 'Loading the speed matrix of ' + schemeName + '…';
      var script = document.createElement('script');
      script.src = data.id + '/' + schemeName + '.js';
      script.onload = update;
      script.onerror = function () { note.textContent = 'The speed matrix of ' + schemeName + ' could not be loaded.'; };
      document.head.appendChild(script);
      return;
    }
    var matrix = chunk[cache.name][String(grid)];
    tbody.textContent = '';
    matrix.rows.forEach(function (row) {
      var tr = document.createElement('tr');
      tr.className = row[1] ? 'fits' : 'no-fit';
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row[0];
      tr.appendChild(th);
      [row[2], row[3], row[4]].forEach(function (text) {
        var td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    note.textContent = schemeName + ', ' + cache.name + ' cache: decode at position ' + LLME.grouped(grid)
      + ', prefill of a ' + LLME.grouped(matrix.prompt) + '-token prompt'
      + (grid === context ? '.' : ' (speeds are precomputed at ' + data.speedContexts.map(LLME.shortTokens).join(', ')
      + ' tokens; shown for ' + LLME.grouped(grid) + ', the nearest at or above your ' + LLME.grouped(context) + ').');
    byId('profile').textContent = matrix.profile;
    table.dataset.state = schemeName + '|' + cache.name + '|' + context;
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function el(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function chart(chosen, cache, context) {
    var names = CHART_SCHEMES.filter(function (n) { return find(data.schemes, n); });
    if (names.indexOf(chosen.name) < 0) { names.push(chosen.name); }
    var xs = data.speedContexts;
    var lines = names.map(function (n) {
      var s = find(data.schemes, n);
      return { name: n, points: xs.map(function (c) { return memory(s, cache, c).total / 1073741824; }) };
    });
    var top = 0;
    lines.forEach(function (l) { l.points.forEach(function (p) { top = Math.max(top, p); }); });
    var step = Math.pow(10, Math.floor(Math.log10(top)));
    if (top / step < 2) { step /= 5; } else if (top / step < 5) { step /= 2; }
    top = Math.ceil(top / step) * step;
    var W = 640, H = 340, L = 56, R = 70, T = 14, B = 40;
    var lx = function (c) { return Math.log2(c); };
    var x0 = lx(xs[0]), x1 = lx(xs[xs.length - 1]);
    var px = function (c) { return L + (x1 === x0 ? 0 : (lx(c) - x0) / (x1 - x0)) * (W - L - R); };
    var py = function (g) { return T + (1 - g / top) * (H - T - B); };
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': 'chart-title chart-desc' });
    svg.appendChild(el('title', { id: 'chart-title' }, 'Total memory in GiB against context, ' + cache.name + ' cache'));
    svg.appendChild(el('desc', { id: 'chart-desc' }, lines.map(function (l) {
      return l.name + ': ' + l.points.map(function (p, i) { return LLME.shortTokens(xs[i]) + ' ' + p.toFixed(1); })
        .join(', ');
    }).join('; ') + ' GiB'));
    for (var g = 0; g <= top + 1e-9; g += step) {
      svg.appendChild(el('line', { x1: L, x2: W - R, y1: py(g), y2: py(g), 'class': 'grid' }));
      svg.appendChild(el('text', { x: L - 6, y: py(g) + 4, 'text-anchor': 'end' }, String(+g.toFixed(2))));
    }
    xs.forEach(function (c) {
      svg.appendChild(el('text', { x: px(c), y: H - B + 16, 'text-anchor': 'middle' }, LLME.shortTokens(c)));
    });
    svg.appendChild(el('text', { x: L, y: H - 6 }, 'context (tokens, log scale)'));
    svg.appendChild(el('text', { x: 4, y: T + 2, 'class': 'unit' }, 'GiB'));
    var cx = Math.min(Math.max(context, xs[0]), xs[xs.length - 1]);
    svg.appendChild(el('line', { x1: px(cx), x2: px(cx), y1: T, y2: H - B, 'class': 'now' }));
    lines.forEach(function (l, i) {
      var d = l.points.map(function (p, j) { return (j ? 'L' : 'M') + px(xs[j]).toFixed(1) + ' ' + py(p).toFixed(1); })
        .join(' ');
      var thick = l.name === chosen.name;
      svg.appendChild(el('path', { d: d, 'class': 'series s' + (i % 7) + (thick ? ' chosen' : '') }));
      var last = l.points[l.points.length - 1];
      svg.appendChild(el('text', { x: W - R + 4, y: py(last) + 4, 'class': thick ? 'chosen-label' : '' }, l.name));
    });
    var box = byId('chart');
    box.textContent = '';
    box.appendChild(svg);
  }

  schemeSelect.addEventListener('change', update);
  cacheSelect.addEventListener('change', update);
  contextInput.addEventListener('input', update);
  contextRange.addEventListener('input', function () { contextInput.value = contextRange.value; update(); });
  document.querySelectorAll('button[data-context]').forEach(function (b) {
    b.addEventListener('click', function () { contextInput.value = b.dataset.context; update(); });
  });
  update();
}());
