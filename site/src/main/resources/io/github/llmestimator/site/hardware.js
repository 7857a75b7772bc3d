// "Your own hardware": fit compares the library's totals with the memory typed in; decode speed is the library's step
// model on one device, 1 / (bytes per step / (c * bandwidth) + fixed seconds), with c and the fixed time solved from
// the library's own speeds by the generator (OwnHardwarePage) and checked against the library by SiteBrowserIT.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('hw-data').textContent);
  var byId = function (id) { return document.getElementById(id); };

  function fail(message) {
    var error = byId('hw-error');
    error.textContent = message;
    error.hidden = false;
    return null;
  }

  function update() {
    var memText = byId('memory').value.trim();
    var bwText = byId('bandwidth').value.trim();
    byId('hw-error').hidden = true;
    if (!/^[0-9]+$/.test(memText) || Number(memText) < 1 || Number(memText) > 100000) {
      return fail("Memory: '" + memText + "' (expected: whole GiB from 1 to 100,000)");
    }
    var bandwidth = Number(bwText);
    if (bwText === '' || !isFinite(bandwidth) || bandwidth <= 0 || bandwidth > 100000) {
      return fail("Bandwidth: '" + bwText + "' (expected: GB/s above 0, at most 100,000)");
    }
    var kind = byId('kind').value;
    var bytes = Number(memText) * 1073741824;
    var usable = kind === 'UNIFIED_MEMORY' ? Math.floor(bytes * data.appleGpuShare) : bytes;
    var context = Number(byId('hw-context').value);
    var ci = data.contexts.indexOf(context);
    var tbody = byId('hw-table').tBodies[0];
    tbody.textContent = '';
    data.models.forEach(function (model) {
      var tr = document.createElement('tr');
      tr.dataset.model = model.id;
      var th = document.createElement('th');
      th.scope = 'row';
      var a = document.createElement('a');
      a.href = 'models/' + model.id + '.html';
      a.textContent = model.name;
      th.appendChild(a);
      tr.appendChild(th);
      var cells;
      if (context > model.maxContext) {
        cells = ['-', '-', 'the model was trained for ' + LLME.grouped(model.maxContext) + ' tokens'];
      } else {
        var best = model.schemes.filter(function (s) { return s[1][ci] <= usable; })[0];
        if (!best) {
          var smallest = model.schemes[model.schemes.length - 1];
          cells = ['none fits', LLME.size(smallest[1][ci]) + ' at ' + smallest[0], '-'];
        } else {
          var step = model.step[kind];
          var tps = step.map(function (p) { return 1 / (best[2][ci] / (p[0] * bandwidth) + p[1]); });
          cells = [best[0], LLME.size(best[1][ci]),
            LLME.speed(tps[0]) + ' (' + LLME.speed(tps[1]) + '-' + LLME.speed(tps[2]) + ')'];
        }
      }
      cells.forEach(function (text, i) {
        var td = document.createElement('td');
        td.className = ['scheme', 'total', 'decode'][i];
        td.textContent = text;
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    byId('hw-table').dataset.state = kind + '|' + memText + '|' + bwText + '|' + context;
  }

  ['kind', 'memory', 'bandwidth', 'hw-context'].forEach(function (id) {
    byId(id).addEventListener(id === 'memory' || id === 'bandwidth' ? 'input' : 'change', update);
  });
  update();
}());
