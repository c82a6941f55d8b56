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

// Import page (/{kind}/import): the chosen file's bytes go as the body of
// POST /api/v1/{kind}/import?mode=check|all|good, with a progress bar; the
// answer lists every bad row (row as Excel numbers it, column, reason).
// "全部导入" is offered only when every row is good; "只导入无误的行" is a
// separate, explicit choice.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form) return;
  var input = document.getElementById('import-file');
  var checkBtn = document.getElementById('import-check');
  var bar = document.getElementById('import-progress');
  var status = document.getElementById('import-status');
  var result = document.getElementById('import-result');
  var summary = document.getElementById('import-summary');
  var wrap = document.getElementById('import-errors-wrap');
  var tbody = document.querySelector('#import-errors tbody');
  var allBtn = document.getElementById('import-all');
  var goodBtn = document.getElementById('import-good');
  var done = document.getElementById('import-done');
  var rowsList = document.getElementById('import-results');
  var file = null;
  var busy = false;
  var rejectedBtn = document.getElementById('import-rejected');
  var rejected = null;
  // The rows with errors as a CSV (UTF-8 with a BOM, so Excel and WPS read
  // it): the file's own columns and an error column, to fix and import again.
  function csvField(t) {
    t = t == null ? '' : String(t);
    if (/^[=+\-@]/.test(t)) t = "'" + t; // never a formula when opened
    return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }
  if (rejectedBtn) rejectedBtn.addEventListener('click', function () {
    if (!rejected) return;
    var lines = [rejected.rejected_columns.concat(['错误说明']).map(csvField).join(',')];
    rejected.rejected.forEach(function (r) {
      var why = (rejected.errors || []).filter(function (e) { return e.row === r.row; })
        .map(function (e) { return (e.column ? e.column + '：' : '') + e.message; }).join('；');
      lines.push(r.cells.concat([why]).map(csvField).join(','));
    });
    var blob = new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = (file && file.name ? file.name.replace(/\.[^.]*$/, '') : '导入') + '-有误的行.csv';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });

  function mime(f) {
    if (/\.csv$/i.test(f.name)) return 'text/csv';
    if (/\.xlsx$/i.test(f.name)) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return f.type || 'application/octet-stream';
  }
  function setBusy(b) {
    busy = b;
    checkBtn.disabled = b;
    input.disabled = b;
    if (b) { allBtn.disabled = true; goodBtn.disabled = true; }
  }
  function cell(tr, text) {
    var td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }
  function show(j, mode) {
    result.hidden = false;
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    var errors = j.errors || [];
    errors.forEach(function (e) {
      var tr = document.createElement('tr');
      cell(tr, String(e.row));
      cell(tr, e.column || '');
      cell(tr, e.value || '');
      cell(tr, e.message || '');
      tbody.appendChild(tr);
    });
    wrap.hidden = errors.length === 0;
    rejected = j.rejected && j.rejected.length ? j : null;
    if (rejectedBtn) rejectedBtn.hidden = !rejected;
    // what each good row was (or would be): 第 5 行：已存在，已更新
    if (rowsList) {
      while (rowsList.firstChild) rowsList.removeChild(rowsList.firstChild);
      (j.results || []).forEach(function (x) {
        var li = document.createElement('li');
        if (x.href) {
          var a = document.createElement('a');
          a.href = x.href;
          a.textContent = x.message;
          li.appendChild(a);
        } else {
          li.textContent = x.message;
        }
        rowsList.appendChild(li);
      });
      rowsList.hidden = !(j.results && j.results.length);
    }
    var text = '共 ' + j.rows + ' 行，无误 ' + j.good + ' 行';
    if (j.bad) text += '，有误 ' + j.bad + ' 行';
    if (j.error_count) text += '（共 ' + j.error_count + ' 处错误' + (j.errors_truncated ? '，下表只列出前 ' + errors.length + ' 处' : '') + '）';
    summary.textContent = text + '。';
    if (mode !== 'check' && !j.error) {
      done.hidden = false;
      done.textContent = '已导入 ' + j.imported + ' 行：新增 ' + (j.created || 0) + ' 行，修改 ' + (j.updated || 0) +
        ' 行，未改动 ' + (j.unchanged || 0) + ' 行' + (j.pending ? '；' + j.pending + ' 行待市专班审核' : '') +
        (j.proposed ? '；' + j.proposed + ' 处修改待市专班审核' : '') + '。';
      allBtn.hidden = true;
      goodBtn.hidden = true;
      var back = document.createElement('a');
      back.href = form.getAttribute('data-list');
      back.textContent = ' 返回列表';
      done.appendChild(back);
      return;
    }
    if (j.error) status.textContent = j.error.message;
    allBtn.hidden = false;
    allBtn.disabled = !(j.rows > 0 && j.good === j.rows && !j.error_count);
    goodBtn.hidden = !(j.good > 0 && j.good < j.rows);
    goodBtn.disabled = goodBtn.hidden;
    goodBtn.textContent = '只导入无误的 ' + j.good + ' 行';
  }
  function send(mode) {
    if (!file || busy) return;
    setBusy(true);
    done.hidden = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('data-api') + '?mode=' + mode);
    xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
    xhr.setRequestHeader('Content-Type', mime(file));
    xhr.setRequestHeader('Accept', 'application/json');
    bar.hidden = false;
    bar.max = 100;
    bar.value = 0;
    status.textContent = '正在上传…';
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.max = e.total;
      bar.value = e.loaded;
      status.textContent = '正在上传 ' + Math.round(e.loaded * 100 / e.total) + '%';
    };
    xhr.upload.onload = function () {
      status.textContent = mode === 'check' ? '上传完成，正在检查…' : '上传完成，正在导入…';
    };
    xhr.onload = function () {
      setBusy(false);
      bar.hidden = true;
      var j = null;
      try { j = JSON.parse(xhr.responseText); } catch (e) { j = null; }
      if (j && typeof j.rows === 'number') {
        status.textContent = mode === 'check' ? '检查完成。' : '';
        show(j, mode);
      } else {
        status.textContent = (j && j.error && j.error.message) || ('上传失败（HTTP ' + xhr.status + '），请稍后再试。');
      }
    };
    xhr.onerror = function () {
      setBusy(false);
      bar.hidden = true;
      status.textContent = '网络错误，上传未完成；请检查网络后重试。';
    };
    xhr.send(file);
  }
  input.addEventListener('change', function () {
    result.hidden = true;
    status.textContent = '';
    file = input.files && input.files[0] ? input.files[0] : null;
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    file = input.files && input.files[0] ? input.files[0] : null;
    if (!file) { status.textContent = '请先选择要导入的 .xlsx 或 .csv 文件。'; input.focus(); return; }
    send('check');
  });
  allBtn.addEventListener('click', function () { send('all'); });
  goodBtn.addEventListener('click', function () { send('good'); });
})();

// Print buttons (the evaluation page is printable).
(function () {
  'use strict';
  document.querySelectorAll('button.print-page').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
})();
// Lists as cards on a phone (style.css, max-width 600px): every table of
// class "data" not marked "keep" gets each cell labelled with its column's
// header (shown before the value on a card), the cell holding a status
// marked so that it comes first after the name, and the columns whose
// header is marked "minor" hidden on the card.
(function () {
  'use strict';
  document.querySelectorAll('table.data:not(.keep):not(.grid)').forEach(function (table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1 || !table.tBodies[0]) return;
    var heads = Array.prototype.map.call(head.rows[0].cells, function (th) {
      return { label: th.textContent.replace(/\s+/g, ' ').trim(), minor: th.classList.contains('minor') };
    });
    table.classList.add('cards');
    var wrap = table.closest('.table-wrap');
    if (wrap) wrap.classList.add('cards');
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        var h = heads[i];
        if (!h) return;
        if (i > 0 && h.label && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', h.label);
        if (h.minor) cell.classList.add('minor');
        if (i > 0 && cell.querySelector('.status, .review')) cell.classList.add('status-cell');
      });
    });
  });
})();
// The print frame's time: when the page is printed, not when it was made.
(function () {
  'use strict';
  var t = document.querySelector('.print-head time.printed-at');
  if (!t) return;
  function now() {
    var d = new Date(Date.now() + 8 * 3600 * 1000); // 北京时间
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    t.textContent = d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + ' ' +
      p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
  }
  now();
  window.addEventListener('beforeprint', now);
})();
// After a form error, the first field in error gets the focus (and is
// scrolled to), so the user sees what to fix.
(function () {
  'use strict';
  var bad = document.querySelector('main [aria-invalid="true"]');
  if (bad) {
    bad.focus();
    if (bad.scrollIntoView) bad.scrollIntoView({ block: 'center' });
  }
})();

// A report's fill-in workbook (/reports/{form}/{period}/{org}, #report-upload):
// the chosen .xlsx goes as the body of POST /api/v1/reports/.../upload?submit=0|1;
// on success the page reloads with what was saved, else each problem is
// listed with its sheet and row.
(function () {
  'use strict';
  var form = document.getElementById('report-upload');
  if (!form) return;
  var input = document.getElementById('upload-file');
  var status = document.getElementById('upload-status');
  var list = document.getElementById('upload-errors');
  function send(submit) {
    var file = input.files && input.files[0];
    if (!file) { status.textContent = '请先选择填好的 .xlsx 表格。'; return; }
    while (list.firstChild) list.removeChild(list.firstChild);
    status.textContent = '正在上传…';
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('data-api') + '?submit=' + (submit ? '1' : '0'));
    xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
    xhr.setRequestHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = function () {
      var j = null;
      try { j = JSON.parse(xhr.responseText); } catch (e) { j = null; }
      if (xhr.status === 200) {
        window.location.href = form.getAttribute('data-back') + '?done=' + (submit ? 'submitted' : 'uploaded');
        return;
      }
      var err = j && j.error ? j.error : { message: '上传失败，请稍后再试。' };
      status.textContent = err.message;
      (err.issues || []).forEach(function (i) {
        var li = document.createElement('li');
        li.textContent = i.message;
        list.appendChild(li);
      });
    };
    xhr.onerror = function () { status.textContent = '网络错误，请稍后再试。'; };
    xhr.send(file);
  }
  document.getElementById('upload-save').addEventListener('click', function () { send(false); });
  document.getElementById('upload-submit').addEventListener('click', function () { send(true); });
})();

// Evidence for a task or a 督办单 (/tasks/{id}) or an application for policy
// support (/policy-applications/{id}), form.evidence-upload: the chosen
// photo or PDF goes as the body of the form's data-api (POST …/attachments)
// (the server checks its type by content and its size); on success the
// page reloads showing the file, else the server's reason is shown. Each
// form posts itself as multipart/form-data to its action when no script runs.
(function () {
  'use strict';
  document.querySelectorAll('form.evidence-upload').forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    var status = form.querySelector('.upload-status');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var file = input.files && input.files[0];
      if (!file) { status.textContent = '请先选择照片或 PDF 文件。'; input.focus(); return; }
      if (file.size > 8 * 1024 * 1024) { status.textContent = '文件过大，上限为 8 MB；请压缩照片或拆分 PDF 后再上传。'; return; }
      status.textContent = '正在上传…';
      var xhr = new XMLHttpRequest();
      var api = form.getAttribute('data-api');
      xhr.open('POST', api + (api.indexOf('?') < 0 ? '?' : '&') + 'name=' + encodeURIComponent(file.name));
      xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.onload = function () {
        if (xhr.status === 201) { window.location.href = form.getAttribute('data-back'); return; }
        var j = null;
        try { j = JSON.parse(xhr.responseText); } catch (e) { j = null; }
        status.textContent = (j && j.error && j.error.message) || ('上传失败（HTTP ' + xhr.status + '），请稍后再试。');
      };
      xhr.onerror = function () { status.textContent = '网络错误，上传未完成；请检查网络后重试。'; };
      xhr.send(file);
    });
  });
})();

// A reference picker (page_records.c write_ref_picker): a box with a datalist
// of names; as one types, the list API is asked for the names that contain
// what was typed, so a record past the first 300 can be found too.
(function () {
  'use strict';
  document.querySelectorAll('input[data-ref]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    if (!list || !window.fetch) return;
    var timer = null, last = '';
    input.addEventListener('input', function () {
      var q = input.value.trim();
      if (q === last || q.length < 1) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        fetch(input.getAttribute('data-ref') + '?limit=30&q=' + encodeURIComponent(q), { credentials: 'same-origin' })
          .then(function (res) { return res.ok ? res.json() : null; })
          .then(function (j) {
            if (!j || !j.items) return;
            var have = {};
            list.querySelectorAll('option').forEach(function (o) { have[o.value] = 1; });
            j.items.forEach(function (it) {
              if (!it.name || have[it.name]) return;
              var o = document.createElement('option');
              o.value = it.name;
              list.appendChild(o);
              have[it.name] = 1;
            });
          })
          .catch(function () {});
      }, 250);
    });
  });
})();
