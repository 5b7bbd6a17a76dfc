// An impact run works in the background: while its page says so
// (data-refresh, in seconds), the page reloads itself until the run has
// finished. Plain script, no build; without it the page's link reloads.
'use strict';

(function reloadWhileRunning() {
  var running = document.querySelector('[data-refresh]');
  if (running === null) return;
  var seconds = Number(running.getAttribute('data-refresh')) || 2;
  setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
