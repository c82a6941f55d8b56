// hatchery — the little script every page loads (with the page's CSP nonce).
// Tables of class "data" sort by a click on a column header; numbers sort as numbers.
(function () {
  'use strict';
  function cellValue(row, i) {
    var c = row.children[i];
    if (!c) return '';
    var t = c.textContent.trim();
    var n = parseFloat(t.replace(/,/g, ''));
    if (!isNaN(n) && /^-?[\d,.]+/.test(t)) {
      if (t.indexOf('万') >= 0) n *= 1e4;
      if (t.indexOf('亿') >= 0) n *= 1e8;
      return n;
    }
    return t;
  }
  document.querySelectorAll('table.data').forEach(function (table) {
    var head = table.tHead;
    if (!head || !table.tBodies[0] || head.rows.length !== 1) return;
    // Lists sorted by the server have links in their headers: leave them be.
    if (head.querySelector('a')) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, i) {
      th.setAttribute('data-sort', '');
      th.title = '点击排序';
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(head.rows[0].cells, function (o) { o.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          var r = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y), 'zh-CN');
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
