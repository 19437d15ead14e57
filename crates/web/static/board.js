// Live board: where JavaScript runs, the list is fetched again every five
// seconds and replaced when it changed (not while focus is inside it, so
// that nobody loses their place). Without JavaScript, reloading does the same.
(function () {
  'use strict';
  var board = document.getElementById('tableau');
  var status = document.getElementById('board-status');
  if (!board || !window.fetch) return;
  var source = board.getAttribute('data-source');
  var last = board.innerHTML;
  function refresh() {
    if (document.visibilityState !== 'visible') return;
    if (board.contains(document.activeElement)) return;
    fetch(source, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html === null || html === last) return;
        last = html;
        board.innerHTML = html;
        var now = new Date();
        status.textContent = 'Tableau mis à jour à ' + now.getHours() + ' h ' + String(now.getMinutes()).padStart(2, '0') + '.';
      })
      .catch(function () {});
  }
  setInterval(refresh, 5000);
})();
