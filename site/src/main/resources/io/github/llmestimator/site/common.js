// Formatting shared by the pages. Values are the library's; this file only writes them as the library's report does.
var LLME = (function () {
  'use strict';
  var GIB = 1073741824n;
  var MIB = 1048576n;

  // bytes / unit with two decimals, rounded half up as Java's %.2f rounds these values (exact integers, so BigInt)
  function fixed2(bytes, unit) {
    var q = (bytes * 200n + unit) / (2n * unit);
    var s = q.toString();
    while (s.length < 3) { s = '0' + s; }
    return s.slice(0, -2) + '.' + s.slice(-2);
  }

  // As DataSize.toString(): "225.45 GiB (242.07 GB)", below one GiB in MiB and MB
  function size(bytes) {
    var b = BigInt(bytes);
    if (b < GIB) { return fixed2(b, MIB) + ' MiB (' + fixed2(b, 1000000n) + ' MB)'; }
    return fixed2(b, GIB) + ' GiB (' + fixed2(b, 1000000000n) + ' GB)';
  }

  // As MemoryKit.atLeast: the first standard size that holds the bytes, beyond the list whole TiB
  function kit(bytes, sizesGB) {
    for (var i = 0; i < sizesGB.length; i++) {
      if (sizesGB[i] * 1073741824 >= bytes) { return sizesGB[i]; }
    }
    return Math.ceil(Math.ceil(bytes / 1073741824) / 1024) * 1024;
  }

  // The value of a run-length coded series at a block: runs are [first block, value there, step per block]
  function runValue(runs, block) {
    var lo = 0;
    var hi = runs.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (runs[mid][0] <= block) { lo = mid; } else { hi = mid - 1; }
    }
    var run = runs[lo];
    return run[1] + (block - run[0]) * run[2];
  }

  // As Views.speed: three significant figures, thousands grouped
  function speed(t) {
    if (t >= 100) { return Math.round(t).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
    return t.toFixed(t >= 10 ? 1 : 2);
  }

  function grouped(n) {
    return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function shortTokens(n) {
    return n % 1024 === 0 ? (n / 1024) + 'K' : grouped(n);
  }

  return { size: size, kit: kit, runValue: runValue, speed: speed, grouped: grouped, shortTokens: shortTokens };
}());
