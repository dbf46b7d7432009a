/* Register filter: shows the rows of #register-table whose data-* attributes match
   the chosen issuer, topic and year.  Progressive enhancement: without this script
   the full table is shown and the filter form stays hidden.  No dependencies. */
(function () {
  'use strict';
  var form = document.getElementById('register-filter');
  var table = document.getElementById('register-table');
  var output = document.getElementById('register-count');
  if (!form || !table || !output || !table.tBodies.length || !window.JSON) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var pattern = output.getAttribute('data-pattern') || '{shown} / {total}';
  var keys = ['issuer', 'topic', 'year'];
  var parsed = rows.map(function (row) {
    var issuers = [];
    try { issuers = JSON.parse(row.getAttribute('data-issuers') || '[]'); } catch (e) { issuers = []; }
    return { row: row, issuers: issuers, topic: row.getAttribute('data-topic') || '', year: row.getAttribute('data-year') || '' };
  });

  function value(name) { return form.elements[name] ? form.elements[name].value : ''; }

  function apply(updateUrl) {
    var issuer = value('issuer'), topic = value('topic'), year = value('year');
    var shown = 0;
    parsed.forEach(function (item) {
      var match = (!issuer || item.issuers.indexOf(issuer) !== -1) &&
                  (!topic || item.topic === topic) && (!year || item.year === year);
      item.row.hidden = !match;
      if (match) { shown += 1; }
    });
    output.textContent = pattern.replace('{shown}', String(shown)).replace('{total}', String(parsed.length));
    if (updateUrl && window.history && window.URLSearchParams) {
      var params = new URLSearchParams();
      keys.forEach(function (k) { if (value(k)) { params.set(k, value(k)); } });
      var query = params.toString();
      try { window.history.replaceState(null, '', query ? '?' + query : window.location.pathname); } catch (e) { /* file:// */ }
    }
  }

  // Restore a shared filter from ?issuer=…&topic=…&year=…
  if (window.URLSearchParams) {
    var initial = new URLSearchParams(window.location.search);
    keys.forEach(function (k) {
      var select = form.elements[k];
      var wanted = initial.get(k);
      if (select && wanted !== null) {
        for (var i = 0; i < select.options.length; i += 1) {
          if (select.options[i].value === wanted) { select.value = wanted; }
        }
      }
    });
  }
  form.addEventListener('change', function () { apply(true); });
  form.addEventListener('submit', function (event) { event.preventDefault(); apply(true); });
  form.addEventListener('reset', function () { window.setTimeout(function () { apply(true); }, 0); });
  form.hidden = false;
  output.setAttribute('aria-live', 'polite');
  apply(false);
}());
