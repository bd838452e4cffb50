(function () {
  'use strict';
  var form = document.getElementById('filters');
  var list = document.getElementById('list');
  var shown = document.getElementById('shown');
  var more = document.getElementById('more');
  if (!form || !list || !shown || !more) return;
  var items = Array.prototype.slice.call(list.children);
  var keys = ['principle', 'severity', 'rule', 'lang', 'folder'];
  // Findings shown at once: a page of thousands stays quick to filter; "Show more" adds a page.
  var PAGE = 200;
  var limit = PAGE;
  var texts = new Array(items.length);
  var indexed = 0;
  var timer = 0;

  // The text the search box looks in, read a slice at a time while the page is idle.
  function index(all, deadline) {
    while (indexed < items.length && (all || deadline.timeRemaining() > 2)) {
      texts[indexed] = items[indexed].textContent.toLowerCase();
      indexed++;
    }
    if (!all && indexed < items.length) idle(function (d) { index(false, d); });
  }
  var idle = window.requestIdleCallback || function (f) {
    return setTimeout(function () { f({ timeRemaining: function () { return 10; } }); }, 50);
  };

  function current() {
    var c = {};
    keys.forEach(function (k) { c[k] = form.elements[k].value; });
    c.q = form.elements.q.value.trim().toLowerCase();
    return c;
  }

  function matches(d, c, i) {
    return (!c.principle || d.p === c.principle) &&
      (!c.severity || d.s === c.severity) &&
      (!c.rule || d.r === c.rule) &&
      (!c.lang || d.l === c.lang) &&
      (!c.folder || d.d === c.folder || d.d.lastIndexOf(c.folder + '/', 0) === 0) &&
      (!c.q || texts[i].indexOf(c.q) >= 0);
  }

  function apply(keepLimit) {
    if (!keepLimit) limit = PAGE;
    var c = current();
    if (c.q) index(true);
    var n = 0;
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var ok = matches(el.dataset, c, i);
      if (ok) n++;
      var show = ok && n <= limit;
      if (el.hidden === show) el.hidden = !show;
    }
    var visible = Math.min(n, limit);
    var all = n === items.length;
    if (visible < n) {
      shown.textContent = 'Showing the first ' + visible + ' of ' + n +
        (all ? ' findings' : ' matching findings (' + items.length + ' in all)');
    } else {
      shown.textContent = all ? 'Showing all ' + n + ' findings' : 'Showing ' + n + ' of ' + items.length + ' findings';
    }
    more.hidden = visible >= n;
    var params = new URLSearchParams();
    keys.concat(['q']).forEach(function (k) {
      var v = k === 'q' ? form.elements.q.value.trim() : c[k];
      if (v) params.set(k, v);
    });
    var hash = params.toString();
    var here = location.hash.slice(1);
    if (hash !== here && (hash || here.indexOf('=') >= 0)) {
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    }
  }

  function fromHash() {
    var h = location.hash.slice(1);
    if (h.indexOf('=') < 0) return false;
    var p = new URLSearchParams(h);
    keys.forEach(function (k) {
      var select = form.elements[k];
      var v = p.get(k) || '';
      select.value = v;
      if (select.value !== v) select.value = '';
    });
    form.elements.q.value = p.get('q') || '';
    return true;
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  form.addEventListener('change', function (e) { if (e.target !== form.elements.q) apply(); });
  form.elements.q.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  more.addEventListener('click', function (e) {
    var what = e.target.getAttribute('data-more');
    if (!what) return;
    limit = what === 'all' ? Infinity : limit + PAGE;
    apply(true);
  });
  // Print every finding that matches the filters, not only the page shown.
  var before = PAGE;
  window.addEventListener('beforeprint', function () { before = limit; limit = Infinity; apply(true); });
  window.addEventListener('afterprint', function () { limit = before; apply(true); });
  window.addEventListener('hashchange', function () { if (fromHash()) apply(); });
  form.hidden = false;
  fromHash();
  apply();
  idle(function (d) { index(false, d); });
}());
